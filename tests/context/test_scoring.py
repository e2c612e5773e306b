import datetime

import pytest

from context.choices import PartyPriority
from context.scoring import is_review_due, party_priority, yearly_review_on


@pytest.mark.parametrize(
    ("influence", "interest", "expected"),
    [
        (5, 5, PartyPriority.MANAGE_CLOSELY),
        (3, 3, PartyPriority.MANAGE_CLOSELY),
        (5, 1, PartyPriority.KEEP_SATISFIED),
        (3, 2, PartyPriority.KEEP_SATISFIED),
        (1, 5, PartyPriority.KEEP_INFORMED),
        (2, 3, PartyPriority.KEEP_INFORMED),
        (2, 2, PartyPriority.MONITOR),
        (1, 1, PartyPriority.MONITOR),
    ],
)
def test_party_priority_is_the_quadrant_of_the_influence_interest_grid(influence, interest, expected):
    assert party_priority(influence=influence, interest=interest) == expected


def test_the_high_threshold_is_a_parameter():
    assert party_priority(influence=3, interest=3, high_from=4) == PartyPriority.MONITOR


@pytest.mark.parametrize(("influence", "interest"), [(0, 3), (6, 3), (3, 0), (3, 6)])
def test_scores_outside_one_to_five_are_refused(influence, interest):
    with pytest.raises(ValueError):
        party_priority(influence=influence, interest=interest)


@pytest.mark.parametrize(
    ("decided_on", "expected"),
    [
        (datetime.date(2026, 2, 24), datetime.date(2027, 2, 24)),
        (datetime.date(2028, 2, 29), datetime.date(2029, 2, 28)),
        (datetime.date(2026, 12, 31), datetime.date(2027, 12, 31)),
    ],
)
def test_a_climate_decision_is_reviewed_a_year_later(decided_on, expected):
    assert yearly_review_on(decided_on) == expected


def test_a_review_is_due_on_its_date_and_after():
    review = datetime.date(2027, 2, 24)
    assert not is_review_due(next_review_on=review, today=datetime.date(2027, 2, 23))
    assert is_review_due(next_review_on=review, today=review)
    assert not is_review_due(next_review_on=None, today=review)
