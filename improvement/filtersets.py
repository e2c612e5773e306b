import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from improvement import selectors
from improvement.choices import ActionStatus, PlanStatus, Priority
from improvement.models import Action, ActionPlan
from qse.filtersets import ScopedFilterSet

EFFECTIVENESS = (("effective", _("Done (effective)")), ("awaiting", _("Awaiting effectiveness check")))


class ActionFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices, label=_("Status"))
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("Priority"))
    late = django_filters.BooleanFilter(method="filter_late", label=_("Late"))
    effectiveness = django_filters.ChoiceFilter(
        choices=EFFECTIVENESS, method="filter_effectiveness", label=_("Effectiveness check")
    )
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label=_("Due before"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Action
        fields = ["q", "plan", "owner", "process", "site", "status", "priority", "late", "effectiveness", "due_before"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_late(self, queryset, name, value):
        late = selectors.late_on(timezone.localdate())
        if value is None:
            return queryset
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_effectiveness(self, queryset, name, value):
        return queryset.filter(selectors.DONE_EFFECTIVE if value == "effective" else selectors.AWAITING_CHECK)


class ActionPlanFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("Status"))

    class Meta:
        model = ActionPlan
        fields = ["q", "owner", "process", "site", "status"]
