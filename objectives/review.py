"""The review sections objectives provide: the extent objectives are met, the indicators'
monitoring and measurement results with their trend, and the processes' performance."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from objectives import kpi
from objectives.choices import IndicatorStatus, ObjectiveStatus
from objectives.models import Indicator, Measurement, Objective
from objectives.selectors import series_by_indicator, thresholds_of
from qse.review import ReviewScope, ReviewSection, in_scope, register_section, visible

INDICATOR_LIMIT = 40
CHART_SERIES = 5  # the lines a readable chart holds


def objectives(scope: ReviewScope) -> dict:
    """Objectives by status and the list of them due in or before the period (one query each)."""
    rows = in_scope(visible(Objective, scope), scope).exclude(status=ObjectiveStatus.DRAFT)
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).order_by())
    listed = rows.select_related("owner").order_by("due_on", "pk")[:INDICATOR_LIMIT]
    return {
        "summary": _("{achieved} objectives achieved, {not_achieved} not achieved, {active} in progress.").format(
            achieved=counts.get(ObjectiveStatus.ACHIEVED, 0), not_achieved=counts.get(ObjectiveStatus.NOT_ACHIEVED, 0),
            active=counts.get(ObjectiveStatus.ACTIVE, 0)),
        "chart": {"kind": "bar", "labels": [str(label) for value, label in ObjectiveStatus.choices if value != "draft"],
                  "series": [{"name": str(_("Objectives")),
                              "values": [counts.get(v, 0) for v in ObjectiveStatus.values if v != "draft"]}]},
        "columns": [_("Objective"), _("Target"), _("Deadline"), _("Owner"), _("Status")],
        "rows": [[o.title, o.target, date_format(o.due_on, "SHORT_DATE_FORMAT") if o.due_on else "",
                  o.owner.get_full_name() or o.owner.get_username() if o.owner else "", o.get_status_display()]
                 for o in listed],
    }


def _indicators(scope: ReviewScope):
    """The indicators in scope with their last value within the period (one query)."""
    last = (Measurement.objects.filter(indicator=OuterRef("pk"), archived_at__isnull=True,
                                       period_on__lte=scope.end).order_by("-period_on"))
    return (in_scope(visible(Indicator, scope), scope).select_related("process")
            .annotate(period_value=Subquery(last.values("value")[:1]),
                      period_on=Subquery(last.values("period_on")[:1]))
            .order_by("process__code", "code")[:INDICATOR_LIMIT])


def _level(indicator) -> str:
    if indicator.period_value is None:
        return str(IndicatorStatus.NO_DATA.label)
    return str(IndicatorStatus(kpi.level_of(indicator.period_value, thresholds_of(indicator))).label)


def _chart(indicators: list, scope: ReviewScope) -> dict:
    """Each of the first indicators' values over the period, as a share of its target (so
    indicators of different units share one chart)."""
    chosen = [i for i in indicators if i.period_value is not None and i.target][:CHART_SERIES]
    series = series_by_indicator([i.pk for i in chosen], first=scope.start)
    months = sorted({day for points in series.values() for day, _value in points if day <= scope.end})
    lines = []
    for indicator in chosen:
        by_month = {day: value for day, value in series[indicator.pk]}
        lines.append({"name": indicator.code,
                      "values": [round(float(by_month[m]) * 100 / float(indicator.target), 1) if m in by_month else None
                                 for m in months]})
    return {"kind": "line", "labels": [m.strftime("%m/%y") for m in months], "series": lines,
            "unit": str(_("% of target"))}


def monitoring(scope: ReviewScope) -> dict:
    """Monitoring and measurement results: each indicator's last value of the period against its
    target, and the trend of the first ones (two queries)."""
    indicators = list(_indicators(scope))
    levels = [_level(i) for i in indicators]
    on_target = sum(1 for i in indicators if i.period_value is not None
                    and kpi.level_of(i.period_value, thresholds_of(i)) == IndicatorStatus.GREEN)
    return {
        "summary": _("{on_target} of {count} indicators on target at the end of the period "
                     "(trend in % of target).").format(on_target=on_target, count=len(indicators)),
        "chart": _chart(indicators, scope),
        "columns": [_("Code"), _("Indicator"), _("Last value"), _("Target"), _("Unit"), _("Level")],
        "rows": [[i.code, i.name, _number(i.period_value), _number(i.target), i.unit, level]
                 for i, level in zip(indicators, levels, strict=True)],
    }


def _number(value) -> str:
    return "" if value is None else f"{value.normalize():f}"


def process_performance(scope: ReviewScope) -> dict:
    """Per process: its indicators and how many were on target at the period's end (one query,
    the levels computed from the annotated values)."""
    indicators = list(_indicators(scope))
    per_process: dict[str, list[int]] = {}
    for indicator in indicators:
        name = f"{indicator.process.code} · {indicator.process.name}" if indicator.process else str(_("No process"))
        counts = per_process.setdefault(name, [0, 0, 0])
        counts[0] += 1
        if indicator.period_value is not None:
            level = kpi.level_of(indicator.period_value, thresholds_of(indicator))
            counts[1 if level == IndicatorStatus.GREEN else 2] += 1
    return {
        "summary": _("{count} processes measured.").format(count=len(per_process)),
        "columns": [_("Process"), _("Indicators"), _("On target"), _("Watch or off target")],
        "rows": [[name, *counts] for name, counts in sorted(per_process.items())],
    }


def register() -> None:
    for key, title, selector, order in (
        ("objectives.objectives", gettext_lazy("Extent to which objectives have been met"), objectives, 30),
        ("objectives.process_performance", gettext_lazy("Process performance"), process_performance, 32),
        ("objectives.monitoring", gettext_lazy("Monitoring and measurement results"), monitoring, 34),
    ):
        register_section(ReviewSection(key=key, title=title, selector=selector, order=order, process_review=True))

