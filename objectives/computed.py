"""Indicators computed from the application's own data, read through each app's selectors
(aggregated in SQL: one query per value) under the indicator owner's rights, narrowed to the
indicator's site and process when it names them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from improvement.choices import ActionStatus

HUNDRED = Decimal(100)


def _actions(indicator):
    from improvement.selectors import action_queryset
    from qse.tenancy import current_membership

    actions = action_queryset().restrict(current_membership().user, "view").filter(archived_at__isnull=True)
    if indicator.site_id:
        actions = actions.filter(site_id=indicator.site_id)
    if indicator.process_id:
        actions = actions.filter(process_id=indicator.process_id)
    return actions.exclude(status=ActionStatus.CANCELLED)


def actions_on_time_rate(*, indicator, start: datetime.date, end: datetime.date) -> Decimal | None:
    """% of the actions due in the period that were done by their due date (None: none due)."""
    figures = _actions(indicator).filter(due_on__gte=start, due_on__lte=end).aggregate(
        due=Count("pk"), on_time=Count("pk", filter=Q(status=ActionStatus.DONE, done_on__lte=F("due_on"))),
    )
    if not figures["due"]:
        return None
    return (HUNDRED * figures["on_time"] / figures["due"]).quantize(Decimal("0.1"))


def late_actions(*, indicator, start: datetime.date, end: datetime.date) -> Decimal:
    """Actions late on the period's last day: due before it and not done by then."""
    late = _actions(indicator).filter(due_on__lt=end).filter(
        Q(done_on__isnull=True, status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]) | Q(done_on__gt=end)
    )
    return Decimal(late.count())


def _events(indicator, start: datetime.date, end: datetime.date):
    from nonconformities.selectors_dashboard import Period, events_in_period
    from qse.tenancy import current_membership

    period = Period(start.replace(day=1), end.replace(day=1), indicator.site_id)
    events = events_in_period(user=current_membership().user, period=period)
    events = events.filter(occurred_at__date__gte=start, occurred_at__date__lte=end)
    return events.filter(process_id=indicator.process_id) if indicator.process_id else events


def _severity(parameter: str) -> int:
    return int(parameter) if parameter.strip().isdigit() else 1


def nonconformities_by_severity(*, indicator, start: datetime.date, end: datetime.date) -> Decimal:
    """Quality events (nonconformities, complaints, audit findings...) of the period at or above
    the severity given as parameter (1 minor .. 4 critical; all when empty)."""
    from nonconformities.indicators import FAMILY_OF_TYPE

    quality = [t for t, family in FAMILY_OF_TYPE.items() if family == "quality"]
    events = _events(indicator, start, end).filter(event_type__in=quality, severity__gte=_severity(indicator.source_parameter))
    return Decimal(events.count())


def non_quality_cost(*, indicator, start: datetime.date, end: datetime.date) -> Decimal:
    """Cost of non-quality: the total cost of the period's events."""
    return _events(indicator, start, end).aggregate(total=Sum("cost_total"))["total"] or Decimal(0)


def _rates(indicator, start: datetime.date, end: datetime.date):
    from nonconformities.selectors_dashboard import Period, accident_rates
    from qse.tenancy import current_membership

    period = Period(start.replace(day=1), end.replace(day=1), indicator.site_id)
    rates = accident_rates(user=current_membership().user, period=period)
    return rates["rolling"] if indicator.source_parameter == "rolling" else rates["period"]


def frequency_rate(*, indicator, start: datetime.date, end: datetime.date) -> Decimal | None:
    """TF: lost-time accidents per million hours worked (events module's figures)."""
    return _rates(indicator, start, end).frequency


def severity_rate(*, indicator, start: datetime.date, end: datetime.date) -> Decimal | None:
    """TG: days lost per thousand hours worked (events module's figures)."""
    return _rates(indicator, start, end).severity


def _is_severity(value: str) -> bool:
    return value == "" or value in {"1", "2", "3", "4"}


def _is_rolling(value: str) -> bool:
    return value in {"", "rolling"}


PROVIDERS = {
    "actions_on_time": (_("% of actions done on time"), actions_on_time_rate, "", None),
    "late_actions": (_("Late actions"), late_actions, "", None),
    "nc_by_severity": (
        _("Nonconformities by severity"), nonconformities_by_severity,
        _("Lowest severity counted: 1 minor, 2 moderate, 3 major, 4 critical (empty: all)."), _is_severity,
    ),
    "non_quality_cost": (_("Cost of non-quality"), non_quality_cost, "", None),
    "accident_frequency": (
        _("Accident frequency rate (TF)"), frequency_rate, _("\"rolling\" for the 12 rolling months."), _is_rolling,
    ),
    "accident_severity": (
        _("Accident severity rate (TG)"), severity_rate, _("\"rolling\" for the 12 rolling months."), _is_rolling,
    ),
}
