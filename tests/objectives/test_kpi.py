"""The indicator status as a pure function: a hand-written table of value, thresholds,
direction, frequency, latest period and today."""

import datetime
from decimal import Decimal as D

import pytest

from objectives import kpi
from objectives.choices import Direction, Frequency, IndicatorStatus

HIGH = kpi.Thresholds(target=D("95"), green=D("95"), red=D("85"), direction=Direction.HIGHER_IS_BETTER)
LOW = kpi.Thresholds(target=D("2"), green=D("3"), red=D("6"), direction=Direction.LOWER_IS_BETTER)
NO_RED = kpi.Thresholds(target=D("10"), green=None, red=None, direction=Direction.HIGHER_IS_BETTER)
NOV_23 = datetime.date(2026, 11, 23)
NOV_5 = datetime.date(2026, 11, 5)

CASES = [
    # value, period, thresholds, frequency, today, expected
    (D("96"), datetime.date(2026, 10, 1), HIGH, Frequency.MONTHLY, NOV_23, IndicatorStatus.GREEN),
    (D("95"), datetime.date(2026, 10, 1), HIGH, Frequency.MONTHLY, NOV_23, IndicatorStatus.GREEN),  # at green: green
    (D("90"), datetime.date(2026, 10, 1), HIGH, Frequency.MONTHLY, NOV_23, IndicatorStatus.ORANGE),
    (D("85"), datetime.date(2026, 10, 1), HIGH, Frequency.MONTHLY, NOV_23, IndicatorStatus.RED),  # at red: red
    (D("60"), datetime.date(2026, 10, 1), HIGH, Frequency.MONTHLY, NOV_23, IndicatorStatus.RED),
    (D("2.5"), datetime.date(2026, 10, 1), LOW, Frequency.MONTHLY, NOV_23, IndicatorStatus.GREEN),
    (D("3"), datetime.date(2026, 10, 1), LOW, Frequency.MONTHLY, NOV_23, IndicatorStatus.GREEN),
    (D("4"), datetime.date(2026, 10, 1), LOW, Frequency.MONTHLY, NOV_23, IndicatorStatus.ORANGE),
    (D("6"), datetime.date(2026, 10, 1), LOW, Frequency.MONTHLY, NOV_23, IndicatorStatus.RED),
    (D("9"), datetime.date(2026, 10, 1), NO_RED, Frequency.MONTHLY, NOV_23, IndicatorStatus.RED),  # no orange zone
    (D("10"), datetime.date(2026, 10, 1), NO_RED, Frequency.MONTHLY, NOV_23, IndicatorStatus.GREEN),
    # October's value is due on 10 November: on the 23rd, September as latest is late ...
    (D("96"), datetime.date(2026, 9, 1), HIGH, Frequency.MONTHLY, NOV_23, IndicatorStatus.LATE),
    # ... but not on the 5th (September is still the latest due).
    (D("96"), datetime.date(2026, 9, 1), HIGH, Frequency.MONTHLY, NOV_5, IndicatorStatus.GREEN),
    # the running month's value counts as the latest
    (D("80"), datetime.date(2026, 11, 1), HIGH, Frequency.MONTHLY, NOV_23, IndicatorStatus.RED),
    # quarterly: Q3 (July) is due on 10 October; on 23 November Q3 is the latest due
    (D("96"), datetime.date(2026, 7, 1), HIGH, Frequency.QUARTERLY, NOV_23, IndicatorStatus.GREEN),
    (D("96"), datetime.date(2026, 4, 1), HIGH, Frequency.QUARTERLY, NOV_23, IndicatorStatus.LATE),
    # weekly: week of 9 Nov ends the 15th, due the 25th; on the 23rd the week of 2 Nov is due
    (D("96"), datetime.date(2026, 11, 2), HIGH, Frequency.WEEKLY, NOV_23, IndicatorStatus.GREEN),
    (D("96"), datetime.date(2026, 10, 26), HIGH, Frequency.WEEKLY, NOV_23, IndicatorStatus.LATE),
    # yearly: 2025 is due on 10 January 2026
    (D("96"), datetime.date(2025, 1, 1), HIGH, Frequency.YEARLY, NOV_23, IndicatorStatus.GREEN),
    (D("96"), datetime.date(2024, 1, 1), HIGH, Frequency.YEARLY, NOV_23, IndicatorStatus.LATE),
    (None, None, HIGH, Frequency.MONTHLY, NOV_23, IndicatorStatus.NO_DATA),
]


@pytest.mark.parametrize(("value", "period", "thresholds", "frequency", "today", "expected"), CASES)
def test_the_status_follows_the_table(value, period, thresholds, frequency, today, expected):
    assert kpi.indicator_status(value=value, period_on=period, thresholds=thresholds, frequency=frequency, today=today) == expected


@pytest.mark.parametrize(("day", "frequency", "start"), [
    (datetime.date(2026, 11, 23), Frequency.WEEKLY, datetime.date(2026, 11, 23)),
    (datetime.date(2026, 11, 29), Frequency.WEEKLY, datetime.date(2026, 11, 23)),
    (datetime.date(2026, 11, 23), Frequency.MONTHLY, datetime.date(2026, 11, 1)),
    (datetime.date(2026, 11, 23), Frequency.QUARTERLY, datetime.date(2026, 10, 1)),
    (datetime.date(2026, 3, 31), Frequency.QUARTERLY, datetime.date(2026, 1, 1)),
    (datetime.date(2026, 11, 23), Frequency.YEARLY, datetime.date(2026, 1, 1)),
])
def test_a_day_falls_in_the_period_that_starts_on_its_first_day(day, frequency, start):
    assert kpi.period_start(day, frequency) == start


def test_periods_shift_across_years():
    assert kpi.shift_period(datetime.date(2026, 11, 1), Frequency.MONTHLY, 3) == datetime.date(2027, 2, 1)
    assert kpi.shift_period(datetime.date(2026, 1, 1), Frequency.QUARTERLY, -1) == datetime.date(2025, 10, 1)
    assert kpi.period_end(datetime.date(2026, 2, 1), Frequency.MONTHLY) == datetime.date(2026, 2, 28)
    assert kpi.due_on(datetime.date(2026, 10, 1), Frequency.MONTHLY) == datetime.date(2026, 11, 10)
