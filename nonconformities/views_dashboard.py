"""The events dashboard: open events, overdue declarations, TF/TG, Pareto charts, trend."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nonconformities import charts_dashboard, indicators, selectors_dashboard
from qse.models import Site
from qse.registry import add_nav

# The months a filter may name: the period's arithmetic (a year before, a month after)
# stays within the dates Python and PostgreSQL handle.
FIRST_MONTH, LAST_MONTH = datetime.date(1900, 1, 1), datetime.date(2199, 12, 1)
COST_BY = [("process", gettext_lazy("by process")), ("product", gettext_lazy("by product"))]


class MonthInput(forms.TextInput):
    input_type = "month"


class DashboardFilterForm(forms.Form):
    """From and to months (``YYYY-MM``) and one site; empty means the last 12 months, every site."""

    start = forms.CharField(label=gettext_lazy("From"), required=False, widget=MonthInput)
    end = forms.CharField(label=gettext_lazy("To"), required=False, widget=MonthInput)
    site = forms.ModelChoiceField(label=gettext_lazy("site"), queryset=Site.objects.none(), required=False,
                                  empty_label=gettext_lazy("All sites"))
    cost_by = forms.ChoiceField(label=gettext_lazy("Cost of non-quality"), choices=COST_BY, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.restrict(user, "view").filter(archived_at__isnull=True)

    def _month(self, name: str):
        value = self.cleaned_data.get(name)
        month = indicators.parse_month(value)
        if value and (month is None or not FIRST_MONTH <= month <= LAST_MONTH):
            raise forms.ValidationError(_("Give a month as YYYY-MM, between {first} and {last}.").format(
                first=f"{FIRST_MONTH:%Y-%m}", last=f"{LAST_MONTH:%Y-%m}"))
        return month

    def clean_start(self):
        return self._month("start")

    def clean_end(self):
        return self._month("end")

    def period(self, *, today) -> selectors_dashboard.Period:
        default = selectors_dashboard.default_period(today=today)
        data = {}
        if self.is_bound:
            self.is_valid()  # the valid parts of a partly wrong filter still apply; the rest shows an error
            data = self.cleaned_data
        last = data.get("end") or default.last
        first = data.get("start") or indicators.add_months(last, -11)
        if first > last:
            first, last = last, first
        # Five years at most: the page stays readable and the queries bounded.
        first = max(first, indicators.add_months(last, -59))
        site = data.get("site")
        return selectors_dashboard.Period(first, last, site.pk if site else None)


@login_required
def dashboard(request):
    if request.membership is None:
        raise PermissionDenied(_("You are not a member of any organization."))
    now = timezone.now()
    today = timezone.localdate(now)
    form = DashboardFilterForm(request.GET or None, user=request.user)
    period = form.period(today=today)
    if not form.is_bound:  # show the months the page covers
        form = DashboardFilterForm(user=request.user, initial={"start": f"{period.first:%Y-%m}", "end": f"{period.last:%Y-%m}"})
    cost_by = form.cleaned_data.get("cost_by") if form.is_bound else ""
    data = selectors_dashboard.events_dashboard(user=request.user, period=period, now=now)
    context = {
        "form": form, "period": period, "data": data,
        "charts": charts_dashboard.dashboard_charts(data, cost_by=cost_by or "process"),
        "families": indicators.FAMILIES,
    }
    return render(request, "nonconformities/dashboard.html", context)


add_nav("steer", gettext_lazy("Events dashboard"), "nonconformities:dashboard", order=30)

urlpatterns = [path("dashboard/", dashboard, name="dashboard")]
