"""Pure functions of indicators: periods, when a value is due, and the status a reader sees.

No database, no clock: callers pass ``today``. Thresholds are read in the indicator's
direction: at or better than the green threshold (the target when there is none) is green,
at or worse than the red threshold is red, orange in between; without a red threshold there
is no orange zone (short of green is red).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from objectives.choices import Direction, Frequency, IndicatorStatus

# Days after a period ends by which its value is expected (the owner needs the month's data).
GRACE_DAYS = 10


def period_start(day: datetime.date, frequency: str) -> datetime.date:
    """The first day of the period of ``frequency`` that contains ``day``."""
    if frequency == Frequency.WEEKLY:
        return day - datetime.timedelta(days=day.weekday())
    if frequency == Frequency.QUARTERLY:
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    if frequency == Frequency.YEARLY:
        return day.replace(month=1, day=1)
    return day.replace(day=1)


def shift_period(start: datetime.date, frequency: str, count: int) -> datetime.date:
    """The start of the period ``count`` periods after (or before) the one starting ``start``."""
    if frequency == Frequency.WEEKLY:
        return start + datetime.timedelta(weeks=count)
    months = {Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}.get(frequency, 1) * count
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_end(start: datetime.date, frequency: str) -> datetime.date:
    return shift_period(start, frequency, 1) - datetime.timedelta(days=1)


def due_on(start: datetime.date, frequency: str) -> datetime.date:
    """When the value of the period starting ``start`` is due."""
    return period_end(start, frequency) + datetime.timedelta(days=GRACE_DAYS)


def expected_period(frequency: str, today: datetime.date) -> datetime.date:
    """The latest period whose value is due by ``today``."""
    current = period_start(today - datetime.timedelta(days=GRACE_DAYS), frequency)
    return shift_period(current, frequency, -1)


def periods_between(first: datetime.date, last: datetime.date, frequency: str) -> list[datetime.date]:
    """Starts of the periods from the one holding ``first`` to the one holding ``last``."""
    start, periods = period_start(first, frequency), []
    while start <= last:
        periods.append(start)
        start = shift_period(start, frequency, 1)
    return periods


@dataclass(frozen=True)
class Thresholds:
    target: Decimal
    green: Decimal | None
    red: Decimal | None
    direction: str

    def is_better_or_equal(self, value, limit) -> bool:
        return value >= limit if self.direction == Direction.HIGHER_IS_BETTER else value <= limit


def level_of(value, thresholds: Thresholds) -> str:
    """Green, orange or red for a value (the status without lateness)."""
    green = thresholds.green if thresholds.green is not None else thresholds.target
    if thresholds.is_better_or_equal(value, green):
        return IndicatorStatus.GREEN
    if thresholds.red is None:
        return IndicatorStatus.RED
    red = thresholds.red
    at_or_worse = value <= red if thresholds.direction == Direction.HIGHER_IS_BETTER else value >= red
    return IndicatorStatus.RED if at_or_worse else IndicatorStatus.ORANGE


def indicator_status(*, value, period_on: datetime.date | None, thresholds: Thresholds, frequency: str,
                     today: datetime.date) -> str:
    """What the card shows: no data yet, late (the value of a due period is missing), else
    the level of the latest value."""
    if value is None or period_on is None:
        return IndicatorStatus.NO_DATA
    if period_on < expected_period(frequency, today):
        return IndicatorStatus.LATE
    return level_of(value, thresholds)
