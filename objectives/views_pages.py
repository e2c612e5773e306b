"""Pages beyond the declared models: the objectives tree, a measurement entered from the
indicator's card, the preventive action opened from a forecast, the dashboards' tiles, the
Gantt of a plan or an objective, and the workload per owner per week."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from improvement.models import Action, ActionPlan
from objectives import charts, planning, selectors, services
from objectives.choices import TileSize
from objectives.filtersets import WorkloadFilterSet
from objectives.forms import MeasurementForm
from objectives.models import Objective
from qse.labels import person_label
from qse.permissions import can

TILE_HEIGHT = {TileSize.SMALL: 180, TileSize.MEDIUM: 220, TileSize.LARGE: 340}


def _member(request) -> None:
    if request.membership is None:
        raise PermissionDenied(_("You are not a member of any organization."))


@login_required
def tree(request):
    """The cascade: policy axes, strategic objectives, operational objectives, SMART flags."""
    _member(request)
    if not can(request.user, "view", Objective):
        raise PermissionDenied(_("You are not allowed to do this."))
    return render(request, "objectives/tree.html", {"tree": selectors.objective_tree(user=request.user)})


def _indicator(request, pk, verb="view"):
    indicator = get_object_or_404(selectors.indicator_queryset().restrict(request.user, "view"), pk=pk)
    if verb != "view" and not can(request.user, verb, indicator):
        raise PermissionDenied(_("You are not allowed to do this."))
    return indicator


@login_required
@require_POST
def measure(request, pk):
    """The owner's value for a period, from the indicator's card."""
    indicator = _indicator(request, pk)
    form = MeasurementForm(request.POST, user=request.user)
    if form.is_valid() and form.cleaned_data["indicator"].pk == indicator.pk:
        try:
            services.measurement_create(acting_user=request.user, data=form.changes())
            messages.success(request, _("Value recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors) or _("Check the value."))
    return HttpResponseRedirect(indicator.get_absolute_url())


@login_required
@require_POST
def preventive_action(request, pk):
    """One click from a forecast: a preventive action whose origin is the indicator."""
    from objectives.services_actions import preventive_action_create

    indicator = _indicator(request, pk)
    try:
        action = preventive_action_create(indicator=indicator, acting_user=request.user, today=timezone.localdate())
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return HttpResponseRedirect(indicator.get_absolute_url())
    messages.success(request, _("Preventive action opened: complete it."))
    return HttpResponseRedirect(action.get_absolute_url() + "edit/")


def dashboard_tiles(request, dashboard) -> list[dict]:
    """Each tile's indicator, status and chart over its period (one query for every series)."""
    today = timezone.localdate()
    tiles = list(selectors.tiles_of(dashboard, user=request.user))
    longest = max([t.period_months or dashboard.period_months for t in tiles], default=12)
    first = (today.replace(day=1) - datetime.timedelta(days=31 * longest)).replace(day=1)
    series = selectors.series_by_indicator({t.indicator_id for t in tiles}, first=first)
    result = []
    for tile in tiles:
        months = tile.period_months or dashboard.period_months
        start = (today.replace(day=1) - datetime.timedelta(days=31 * months)).replace(day=1)
        points = [(p, v) for p, v in series[tile.indicator_id] if p >= start]
        chart = None
        if points and tile.size != TileSize.SMALL:
            large = tile.size == TileSize.LARGE  # a legend and a forecast where there is room
            chart = charts.trend_figure(tile.indicator, points, height=TILE_HEIGHT[tile.size], with_forecast=large, legend=large)
        result.append({"tile": tile, "indicator": tile.indicator, "status": selectors.status_of(tile.indicator, today=today),
                       "chart": chart, "months": months})
    return result


@login_required
def management_home(request):
    """Management's home: the organization's dashboard, or the key figures until one is composed."""
    _member(request)
    dashboard = selectors.home_dashboard(user=request.user)
    return redirect(dashboard.get_absolute_url() if dashboard else "qse:management_dashboard")


# --- planning ---------------------------------------------------------------------------------


def _gantt_page(request, *, title, back, plan_ids, subject):
    today = timezone.localdate()
    actions = planning.actions_for_plan(user=request.user, plan_ids=plan_ids)
    data = planning.gantt(actions=actions, links=planning.links_between(actions), today=today)
    context = {
        "title": title, "back": back, "subject": subject, "gantt": data, "today": today,
        "progress": planning.plan_progress(user=request.user, plan_ids=plan_ids, today=today),
        "may_link": can(request.user, "add", planning.ActionDependency),
    }
    return render(request, "objectives/gantt.html", context)


@login_required
def plan_gantt(request, pk):
    _member(request)
    plan = get_object_or_404(ActionPlan.objects.restrict(request.user, "view"), pk=pk)
    return _gantt_page(request, title=plan.title, back=plan.get_absolute_url(), plan_ids=[plan.pk], subject=plan)


@login_required
def objective_gantt(request, pk):
    _member(request)
    objective = get_object_or_404(Objective.objects.restrict(request.user, "view"), pk=pk)
    plan_ids = list(objective.action_plans.restrict(request.user, "view").values_list("pk", flat=True))
    return _gantt_page(request, title=objective.title, back=objective.get_absolute_url(), plan_ids=plan_ids, subject=objective)


@login_required
def workload(request):
    """Open actions per owner per ISO week, from this week on (12 weeks): the busiest owners
    first, a page of them at a time, filtered by site, process, owner or overload."""
    _member(request)
    if not can(request.user, "view", Objective):
        raise PermissionDenied(_("You are not allowed to do this."))
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    filterset = WorkloadFilterSet(request.GET, queryset=Action.objects.restrict(request.user, "view"), request=request)
    actions = filterset.qs if filterset.is_valid() else Action.objects.none()
    overloaded = request.GET.get("overloaded") == "1"
    page = _page_number(request)

    def read(number):
        return planning.workload(user=request.user, first_monday=monday, weeks=12, actions=actions,
                                 overloaded_only=overloaded, limit=WORKLOAD_PER_PAGE,
                                 offset=(number - 1) * WORKLOAD_PER_PAGE)

    data = read(page)
    pages = max(1, -(-data["count"] // WORKLOAD_PER_PAGE))
    if page > pages:  # a page past the end (the data changed, a hand-typed link): the last one
        page = pages
        data = read(page)
    people = {u.pk: person_label(u) for u in get_user_model().objects.filter(pk__in=[pk for pk in data["cells"] if pk])}
    empty = planning.WeekLoad()
    rows = [
        {"person": people.get(owner_id, "?"), "weeks": [cells.get(week, empty) for week in data["weeks"]]}
        for owner_id, cells in data["cells"].items()  # busiest first, as the SQL ordered them
    ]
    return render(request, "objectives/workload.html", {
        "weeks": data["weeks"], "rows": rows, "overload": OVERLOAD_HOURS, "default_hours": planning.DEFAULT_EFFORT_HOURS,
        "filterset": filterset, "overloaded": overloaded, "page": page, "pages": pages, "owners": data["count"],
    })


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


# Owners per page: a coordinator reads the busiest first; the rest is a click away.
WORKLOAD_PER_PAGE = 25
OVERLOAD_HOURS = planning.OVERLOAD_HOURS
