"""Accident rates, months and Pareto: pure functions, table-tested without the database."""

import datetime
from decimal import Decimal

import pytest

from nonconformities import indicators
from nonconformities.choices import EventType

D = datetime.date


@pytest.mark.parametrize(
    ("accidents", "hours", "expected"),
    [
        (2, 150_000, Decimal("13.33")),
        (1, 1_000_000, Decimal("1.00")),
        (0, 120_000, Decimal("0.00")),
        (3, 0, None),
        (3, None, None),
        (0, 0, None),
        (1, Decimal("12000.5"), Decimal("83.33")),
    ],
)
def test_frequency_rate_is_lost_time_accidents_per_million_hours(accidents, hours, expected):
    assert indicators.frequency_rate(accidents, hours) == expected


@pytest.mark.parametrize(
    ("days", "hours", "expected"),
    [
        (45, 150_000, Decimal("0.30")),
        (10, 12_000, Decimal("0.83")),
        (0, 12_000, Decimal("0.00")),
        (12, 0, None),
        (12, None, None),
    ],
)
def test_severity_rate_is_days_lost_per_thousand_hours(days, hours, expected):
    assert indicators.severity_rate(days, hours) == expected


def test_rates_over_months_sum_numerators_and_hours_before_dividing():
    accidents = {D(2026, 1, 1): (1, 10), D(2026, 3, 1): (1, 5)}
    hours = {D(2026, 1, 1): Decimal(10_000), D(2026, 2, 1): Decimal(10_000), D(2026, 3, 1): Decimal(20_000)}
    rates = indicators.rates_over(indicators.months_between(D(2026, 1, 1), D(2026, 3, 1)), accidents, hours)
    assert (rates.accidents, rates.days_lost, rates.hours) == (2, 15, Decimal(40_000))
    assert rates.frequency == Decimal("50.00")
    assert rates.severity == Decimal("0.38")


def test_a_month_with_accidents_but_no_hours_has_no_rate():
    rates = indicators.rates_over([D(2026, 5, 1)], {D(2026, 5, 1): (2, 8)}, {})
    assert rates.accidents == 2
    assert rates.frequency is None and rates.severity is None


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [
        (D(2026, 1, 1), -1, D(2025, 12, 1)),
        (D(2026, 12, 1), 1, D(2027, 1, 1)),
        (D(2026, 11, 1), -11, D(2025, 12, 1)),
        (D(2026, 3, 1), 0, D(2026, 3, 1)),
        (D(2026, 3, 1), -27, D(2023, 12, 1)),
    ],
)
def test_add_months_crosses_years(month, count, expected):
    assert indicators.add_months(month, count) == expected


def test_rolling_twelve_months_end_with_the_month():
    months = indicators.rolling_months(D(2026, 3, 1))
    assert len(months) == 12 and months[0] == D(2025, 4, 1) and months[-1] == D(2026, 3, 1)


def test_months_between_includes_both_ends_and_is_empty_when_reversed():
    assert indicators.months_between(D(2025, 11, 15), D(2026, 2, 3)) == [
        D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1),
    ]
    assert indicators.months_between(D(2026, 2, 1), D(2026, 1, 1)) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-03", D(2026, 3, 1)), ("2026-03-17", D(2026, 3, 1)), ("2026-13", None), ("mars", None), ("", None), (None, None)],
)
def test_parse_month(value, expected):
    assert indicators.parse_month(value) == expected


def test_pareto_sorts_descending_and_accumulates_to_one_hundred():
    bars = indicators.pareto([("Machine", 2), ("Méthode", 5), ("Milieu", 0), ("Matière", 3)])
    assert [bar.label for bar in bars] == ["Méthode", "Matière", "Machine"]
    assert [bar.cumulative_percent for bar in bars] == [50.0, 80.0, 100.0]


def test_pareto_of_costs_and_of_nothing():
    bars = indicators.pareto([("P1", Decimal("100.50")), ("P2", Decimal("299.50")), ("P3", None)])
    assert [(bar.label, bar.cumulative_percent) for bar in bars] == [("P2", 74.9), ("P1", 100.0)]
    assert indicators.pareto([]) == []
    assert indicators.pareto([("P1", 0)]) == []


def test_every_event_type_belongs_to_a_family():
    assert {indicators.family_of(value) for value in EventType.values} == set(indicators.FAMILIES)
    assert set(indicators.FAMILY_OF_TYPE) == set(EventType.values)
    assert indicators.family_of(EventType.NEAR_MISS) == "safety"
    assert indicators.family_of(EventType.ENVIRONMENTAL_INCIDENT) == "environment"
