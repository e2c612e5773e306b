"""Objectives, indicators, measurements, dashboards and dependencies: declarations on the
generic views (pages, API, import, navigation); the other pages are in ``views_pages``."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from objectives import charts, selectors, services, spc
from objectives.api import IndicatorApiMixin
from objectives.choices import TileSize
from objectives.filtersets import (
    ActionDependencyFilterSet,
    DashboardFilterSet,
    DashboardTileFilterSet,
    IndicatorFilterSet,
    MeasurementFilterSet,
    ObjectiveFilterSet,
    PolicyAxisFilterSet,
)
from objectives.forms import (
    ActionDependencyForm,
    DashboardForm,
    DashboardTileForm,
    IndicatorForm,
    MeasurementForm,
    ObjectiveForm,
    PolicyAxisForm,
)
from objectives.models import (
    ActionDependency,
    Dashboard,
    DashboardTile,
    Indicator,
    Measurement,
    Objective,
    PolicyAxis,
)
from objectives.serializers import (
    ActionDependencySerializer,
    DashboardSerializer,
    DashboardTileSerializer,
    IndicatorSerializer,
    MeasurementSerializer,
    ObjectiveSerializer,
    PolicyAxisSerializer,
)
from objectives.smart import SMART_FIELDS, is_smart, objective_smart
from objectives.sources import is_computed, source_for
from objectives.tables import (
    ActionDependencyTable,
    DashboardTable,
    DashboardTileTable,
    IndicatorTable,
    MeasurementTable,
    ObjectiveTable,
    PolicyAxisTable,
)
from qse.permissions import can
from qse.registry import add_nav, add_process_section, register
from qse.views.declarations import ObjectViews

SERIES_PERIODS = 36


@register
class PolicyAxisViews(ObjectViews):
    model = PolicyAxis
    url_prefix = "axes"
    table = PolicyAxisTable
    form = PolicyAxisForm
    filterset = PolicyAxisFilterSet
    serializer = PolicyAxisSerializer
    import_fields = ["title", "description", "order"]
    nav_block = "steer"
    nav_order = 30

    @classmethod
    def get_queryset(cls, request):
        return selectors.policy_axis_queryset()

    @classmethod
    def detail_context(cls, request, obj):
        objectives = selectors.objective_queryset().restrict(request.user, "view").filter(axis=obj, archived_at__isnull=True)
        return {"objectives_table": ObjectiveTable(objectives, request=request, exclude=("parent",))}


@register
class ObjectiveViews(ObjectViews):
    model = Objective
    table = ObjectiveTable
    form = ObjectiveForm
    filterset = ObjectiveFilterSet
    serializer = ObjectiveSerializer
    import_fields = ["level", "axis", "parent", "title", "description", "owner", "process", "site", "service", "target", "due_on"]
    nav_block = "steer"
    nav_order = 32
    detail_exclude = ObjectViews.detail_exclude + tuple(SMART_FIELDS)  # shown as the SMART check

    @classmethod
    def get_queryset(cls, request):
        return selectors.objective_queryset()

    @classmethod
    def initial_for(cls, request):
        return {"owner": request.user}

    @classmethod
    def detail_context(cls, request, obj):
        from objectives.planning import plan_progress

        today = timezone.localdate()
        criteria = objective_smart(obj, indicator_count=obj.indicator_count)
        indicators = list(selectors.indicator_queryset().restrict(request.user, "view").filter(objectives=obj, archived_at__isnull=True))
        plans = list(obj.action_plans.restrict(request.user, "view").filter(archived_at__isnull=True))
        children = selectors.objective_queryset().restrict(request.user, "view").filter(parent=obj, archived_at__isnull=True)
        return {
            "smart": criteria, "is_smart": is_smart(criteria),
            "indicators": [(i, selectors.status_of(i, today=today)) for i in indicators],
            "plans": plans, "progress": plan_progress(user=request.user, plan_ids=[p.pk for p in plans], today=today),
            "children": children,
        }


def _indicator_context(request, obj):
    today = timezone.localdate()
    series = selectors.series_of(obj)[-SERIES_PERIODS:]
    context = {
        "status": selectors.status_of(obj, today=today), "series": series[::-1][:12],
        "source": source_for(obj.source), "is_computed": is_computed(obj.source),
        "trend": charts.trend_figure(obj, series) if series else None,
        "objectives": obj.objectives.restrict(request.user, "view").filter(archived_at__isnull=True),
        "may_measure": not is_computed(obj.source) and can(request.user, "add", Measurement(indicator=obj, organization_id=obj.organization_id)),
        "may_open_action": can(request.user, "add", _action_model()),
        "measurement_form": MeasurementForm(user=request.user, initial={"indicator": obj.pk, "period_on": today}),
    }
    prediction, future = charts.forecast_of(obj, series)
    context["forecast"] = prediction
    context["breach_period"] = future[prediction.breach_step - 1] if prediction and prediction.breach_step else None
    context.update(_control(obj, series))
    return context


def _action_model():
    from improvement.models import Action

    return Action


def _control(obj, series) -> dict:
    """The control chart: limits from the baseline period (the first 12 values without one)."""
    if len(series) < 4:
        return {"control": None}
    if obj.baseline_from and obj.baseline_to:
        baseline = [v for period, v in series if obj.baseline_from <= period <= obj.baseline_to]
    else:
        baseline = [v for _period, v in series[:12]]
    limits = spc.xmr_limits(baseline)
    if limits is None:
        return {"control": None}
    flags = spc.western_electric([v for _p, v in series], limits)
    return {"control": charts.control_figure(obj, series, limits, flags), "limits": limits,
            "flags": [(series[i][0], rules) for i, rules in flags.items()]}


@register
class IndicatorViews(ObjectViews):
    model = Indicator
    table = IndicatorTable
    form = IndicatorForm
    filterset = IndicatorFilterSet
    serializer = IndicatorSerializer
    api_mixins = (IndicatorApiMixin,)
    import_fields = [
        "code", "name", "definition", "purpose", "formula", "unit", "frequency", "direction", "target",
        "green_threshold", "red_threshold", "owner", "process", "site",
    ]
    nav_block = "steer"
    nav_order = 34
    # The status card shows these, formatted (the source by its label).
    detail_exclude = ObjectViews.detail_exclude + (
        "name", "code", "target", "green_threshold", "red_threshold", "source", "source_parameter", "direction", "frequency",
    )

    @classmethod
    def get_queryset(cls, request):
        return selectors.indicator_queryset()

    @classmethod
    def initial_for(cls, request):
        return {"owner": request.user}

    @classmethod
    def detail_context(cls, request, obj):
        return _indicator_context(request, obj)


@register
class MeasurementViews(ObjectViews):
    model = Measurement
    table = MeasurementTable
    form = MeasurementForm
    filterset = MeasurementFilterSet
    serializer = MeasurementSerializer
    import_fields = ["indicator", "period_on", "value", "comment"]

    @classmethod
    def get_queryset(cls, request):
        return selectors.measurement_queryset()

    @classmethod
    def create(cls, request, data: dict):
        return services.measurement_create(acting_user=request.user, data=data)

    @classmethod
    def update(cls, request, instance, data: dict, expected_version):
        return services.measurement_update(measurement=instance, acting_user=request.user, data=data,
                                           expected_version=expected_version)

    @classmethod
    def import_save(cls, instances: list, acting_user) -> None:
        services.measurements_import(instances=instances, acting_user=acting_user)


@register
class DashboardViews(ObjectViews):
    model = Dashboard
    table = DashboardTable
    form = DashboardForm
    filterset = DashboardFilterSet
    serializer = DashboardSerializer
    nav_block = "steer"
    nav_order = 12

    @classmethod
    def get_queryset(cls, request):
        return selectors.dashboard_queryset()

    @classmethod
    def detail_context(cls, request, obj):
        from objectives.views_pages import dashboard_tiles

        tiles = dashboard_tiles(request, obj)
        # Every tile of a dashboard has the dashboard's site: the first one answers for all.
        arrange = bool(tiles) and can(request.user, "change", tiles[0]["tile"])
        if arrange:
            for entry in tiles:
                entry["api_url"] = reverse("objectives-dashboardtile-detail", kwargs={"dashboard_pk": obj.pk, "pk": entry["tile"].pk})
        return {"tiles": tiles, "may_add_tile": can(request.user, "add", DashboardTile), "arrange": arrange,
                "sizes": TileSize.choices, "periods": TILE_PERIODS}


# The periods offered on a tile in place (the form takes any number of months, 1 to 60).
TILE_PERIODS = (3, 6, 12, 24, 36)


@register
class DashboardTileViews(ObjectViews):
    model = DashboardTile
    url_prefix = "tiles"
    parent = ("dashboard", Dashboard, "dashboard")
    table = DashboardTileTable
    form = DashboardTileForm
    filterset = DashboardTileFilterSet
    serializer = DashboardTileSerializer

    @classmethod
    def get_queryset(cls, request):
        return DashboardTile.objects.select_related("dashboard", "indicator")


@register
class ActionDependencyViews(ObjectViews):
    model = ActionDependency
    url_prefix = "dependencies"
    table = ActionDependencyTable
    form = ActionDependencyForm
    filterset = ActionDependencyFilterSet
    serializer = ActionDependencySerializer

    @classmethod
    def get_queryset(cls, request):
        return selectors.dependency_queryset()


add_nav("steer", gettext_lazy("Objectives tree"), "objectives:tree", model=Objective, order=31)
add_nav("improve", gettext_lazy("Workload"), "objectives:workload", model=Objective, order=40)
add_process_section(
    Indicator._meta.verbose_name_plural, model=Indicator, table=IndicatorTable, list_url_name="objectives:indicator_list",
    order=30, rows=lambda user, process: selectors.indicator_queryset().restrict(user, "view")
    .filter(process=process, archived_at__isnull=True).order_by("code"),
)

from objectives import sensors_views  # noqa: E402, F401  (sensor devices declare their own)
