"""Accident rates, Pareto and month arithmetic: pure functions over aggregated numbers.

No ORM, no clock: the selectors aggregate in SQL and hand plain numbers to these functions.

French practice (INRS, CARSAT):
- TF (taux de fréquence) = lost-time accidents x 1,000,000 / hours worked;
- TG (taux de gravité) = days lost x 1,000 / hours worked.
A period without hours worked has no rate (``None``), never a division error nor a zero
that would look like an excellent result.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from nonconformities.choices import EventType

TWO_PLACES = Decimal("0.01")


def _rate(numerator, hours, factor: int) -> Decimal | None:
    hours = Decimal(str(hours or 0))
    if hours <= 0:
        return None
    value = Decimal(str(numerator or 0)) * factor / hours
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def frequency_rate(lost_time_accidents, hours) -> Decimal | None:
    """TF: lost-time accidents per million hours worked."""
    return _rate(lost_time_accidents, hours, 1_000_000)


def severity_rate(days_lost, hours) -> Decimal | None:
    """TG: days lost per thousand hours worked."""
    return _rate(days_lost, hours, 1_000)


# --- months ------------------------------------------------------------------------------

def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every first-of-month from ``first`` to ``last`` included (empty when reversed)."""
    months, month = [], month_start(first)
    while month <= month_start(last):
        months.append(month)
        month = add_months(month, 1)
    return months


def parse_month(value: str | None) -> datetime.date | None:
    """"2026-03" (what ``<input type=month>`` sends) as 2026-03-01; None when unreadable."""
    try:
        year, month = (int(part) for part in (value or "").split("-")[:2])
        return datetime.date(year, month, 1)
    except (TypeError, ValueError, OverflowError):  # a year of 20 digits overflows date()
        return None


# --- accident rates ------------------------------------------------------------------------

@dataclass(frozen=True)
class Rates:
    """Accidents, days lost and hours of a scope and period, with TF and TG."""

    accidents: int
    days_lost: int
    hours: Decimal

    @property
    def frequency(self) -> Decimal | None:
        return frequency_rate(self.accidents, self.hours)

    @property
    def severity(self) -> Decimal | None:
        return severity_rate(self.days_lost, self.hours)


def rates_over(
    months: Iterable[datetime.date],
    accidents: dict[datetime.date, tuple[int, int]],
    hours: dict[datetime.date, Decimal],
) -> Rates:
    """Sum the (accidents, days lost) and the hours of some months into rates."""
    months = list(months)
    return Rates(
        accidents=sum(accidents.get(m, (0, 0))[0] for m in months),
        days_lost=sum(accidents.get(m, (0, 0))[1] for m in months),
        hours=sum((Decimal(str(hours.get(m, 0))) for m in months), Decimal(0)),
    )


def rolling_months(month: datetime.date, length: int = 12) -> list[datetime.date]:
    """The ``length`` months ending with ``month`` (rolling 12 months)."""
    return [add_months(month, offset) for offset in range(1 - length, 1)]


# --- Pareto --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ParetoBar:
    label: str
    value: Decimal | int
    cumulative_percent: float


def pareto(rows: Iterable[tuple[str, Decimal | int]]) -> list[ParetoBar]:
    """Bars sorted from the largest, each with the cumulative share of the total (0-100)."""
    ordered = sorted(((label, value or 0) for label, value in rows if value), key=lambda row: (-row[1], str(row[0])))
    total = sum(value for _label, value in ordered)
    bars, running = [], 0
    for label, value in ordered:
        running += value
        bars.append(ParetoBar(label, value, round(float(running) * 100 / float(total), 1)))
    return bars


# --- type families -------------------------------------------------------------------------

FAMILIES = {
    "quality": _("Quality"),
    "safety": _("Health and safety"),
    "environment": _("Environment"),
}

FAMILY_OF_TYPE = {
    EventType.INTERNAL_NC: "quality",
    EventType.CUSTOMER_COMPLAINT: "quality",
    EventType.SUPPLIER_NC: "quality",
    EventType.AUDIT_FINDING: "quality",
    EventType.REGULATORY_DEVIATION: "quality",
    EventType.INCIDENT: "safety",
    EventType.NEAR_MISS: "safety",
    EventType.WORK_ACCIDENT: "safety",
    EventType.COMMUTING_ACCIDENT: "safety",
    EventType.OCCUPATIONAL_DISEASE: "safety",
    EventType.ENVIRONMENTAL_INCIDENT: "environment",
}


def family_of(event_type: str) -> str:
    return FAMILY_OF_TYPE.get(event_type, "quality")
