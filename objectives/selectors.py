"""Reads of the objectives app: registers, the cascade tree, indicator series and status.
Already prefetched; the caller scopes with ``restrict()`` (or passes the user)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Subquery

from objectives import kpi
from objectives.choices import ObjectiveLevel
from objectives.models import (
    ActionDependency,
    Dashboard,
    DashboardTile,
    Indicator,
    Measurement,
    Objective,
    PolicyAxis,
)
from objectives.smart import is_smart, objective_smart


def _latest(field: str):
    rows = Measurement.objects.filter(indicator=OuterRef("pk"), archived_at__isnull=True).order_by("-period_on")
    return Subquery(rows.values(field)[:1])


def indicator_queryset():
    """Indicators with their people and places, and their latest value and period (one query)."""
    return Indicator.objects.select_related("owner", "process", "site").annotate(
        latest_value=_latest("value"), latest_period=_latest("period_on"),
    )


def thresholds_of(indicator: Indicator) -> kpi.Thresholds:
    return kpi.Thresholds(indicator.target, indicator.green_threshold, indicator.red_threshold, indicator.direction)


def status_of(indicator: Indicator, *, today: datetime.date) -> str:
    """The card's status, from the ``latest_*`` annotations of ``indicator_queryset``."""
    return kpi.indicator_status(
        value=indicator.latest_value, period_on=indicator.latest_period, thresholds=thresholds_of(indicator),
        frequency=indicator.frequency, today=today,
    )


def measurement_queryset():
    return Measurement.objects.select_related("indicator", "indicator__owner")


def series_of(indicator: Indicator, *, first: datetime.date | None = None) -> list[tuple[datetime.date, Decimal]]:
    """(period, value) of the indicator's measurements, oldest first (one query)."""
    rows = Measurement.objects.filter(indicator=indicator, archived_at__isnull=True)
    if first is not None:
        rows = rows.filter(period_on__gte=first)
    return list(rows.order_by("period_on").values_list("period_on", "value"))


def series_by_indicator(indicator_ids, *, first: datetime.date) -> dict[int, list[tuple[datetime.date, Decimal]]]:
    """The series of many indicators in one query (a dashboard's tiles)."""
    grouped: dict[int, list] = {pk: [] for pk in indicator_ids}
    rows = (
        Measurement.objects.filter(indicator_id__in=list(indicator_ids), archived_at__isnull=True, period_on__gte=first)
        .order_by("indicator_id", "period_on").values_list("indicator_id", "period_on", "value")
    )
    for indicator_id, period_on, value in rows:
        grouped[indicator_id].append((period_on, value))
    return grouped


def objective_queryset():
    return Objective.objects.select_related("owner", "process", "site", "axis", "parent").annotate(
        indicator_count=Count("indicators", distinct=True),
    )


def policy_axis_queryset():
    return PolicyAxis.objects.all()


@dataclass
class TreeNode:
    objective: Objective
    is_smart: bool
    children: list


def objective_tree(*, user) -> list[dict]:
    """The cascade as the user may see it: each axis with its strategic objectives and their
    operational ones, and objectives whose parent the user cannot see at the end (3 queries)."""
    objectives = list(
        objective_queryset().restrict(user, "view").filter(archived_at__isnull=True).order_by("title")
    )
    nodes = {o.pk: TreeNode(o, is_smart(objective_smart(o, indicator_count=o.indicator_count)), []) for o in objectives}
    by_axis: dict[int, list] = {}
    orphans = []
    for node in nodes.values():
        objective = node.objective
        if objective.level == ObjectiveLevel.OPERATIONAL and objective.parent_id in nodes:
            nodes[objective.parent_id].children.append(node)
        elif objective.level == ObjectiveLevel.STRATEGIC and objective.axis_id:
            by_axis.setdefault(objective.axis_id, []).append(node)
        else:
            orphans.append(node)
    axes = PolicyAxis.objects.restrict(user, "view").filter(archived_at__isnull=True)
    tree = [{"axis": axis, "objectives": by_axis.get(axis.pk, [])} for axis in axes]
    if orphans:
        tree.append({"axis": None, "objectives": orphans})
    return tree


def dashboard_queryset():
    return Dashboard.objects.select_related("site", "process")


def tiles_of(dashboard: Dashboard, *, user):
    """The tiles of a dashboard the user may see, with their indicators' latest values."""
    indicators = indicator_queryset()
    return (
        DashboardTile.objects.restrict(user, "view").filter(dashboard=dashboard, archived_at__isnull=True)
        .filter(indicator__in=Indicator.objects.restrict(user, "view").filter(archived_at__isnull=True))
        .prefetch_related(Prefetch("indicator", queryset=indicators)).order_by("order", "pk")
    )


def home_dashboard(*, user) -> Dashboard | None:
    """The organization's dashboard (management's home): the first organization-scope one."""
    from objectives.choices import DashboardScope

    return (
        Dashboard.objects.restrict(user, "view").filter(archived_at__isnull=True, scope=DashboardScope.ORGANIZATION)
        .order_by("pk").first()
    )


def dependency_queryset():
    return ActionDependency.objects.select_related("predecessor", "successor")


def indicators_due(*, today: datetime.date):
    """Manual indicators (task context) whose value for the due period is missing: the
    reminder of their owner. One query; the period due depends on each frequency."""
    from objectives.sources import MANUAL

    indicators = Indicator.objects.in_current_organization().filter(archived_at__isnull=True, source=MANUAL)
    rows = indicators.annotate(latest_period=_latest("period_on")).values_list("pk", "owner_id", "frequency", "latest_period")
    due = []
    for pk, owner_id, frequency, latest in rows:
        expected = kpi.expected_period(frequency, today)
        if latest is None or latest < expected:
            due.append((pk, owner_id, expected))
    return due

