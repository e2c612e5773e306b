"""Pure functions of the context analysis: no ORM, no clock."""

from __future__ import annotations

import datetime

from context.choices import PartyPriority

# On the 1-5 scales, a score from this value up counts as "high" on the grid.
HIGH_FROM = 3
SCORE_RANGE = range(1, 6)


def party_priority(*, influence: int, interest: int, high_from: int = HIGH_FROM) -> PartyPriority:
    """The quadrant of the influence x interest grid a party falls in."""
    if influence not in SCORE_RANGE or interest not in SCORE_RANGE:
        raise ValueError(f"scores are 1-5, got influence={influence} interest={interest}")
    high_influence, high_interest = influence >= high_from, interest >= high_from
    if high_influence and high_interest:
        return PartyPriority.MANAGE_CLOSELY
    if high_influence:
        return PartyPriority.KEEP_SATISFIED
    if high_interest:
        return PartyPriority.KEEP_INFORMED
    return PartyPriority.MONITOR


def yearly_review_on(decided_on: datetime.date) -> datetime.date:
    """One year after a decision; a 29 February decision is reviewed on 28 February."""
    try:
        return decided_on.replace(year=decided_on.year + 1)
    except ValueError:
        return decided_on.replace(year=decided_on.year + 1, day=28)


def is_review_due(*, next_review_on: datetime.date | None, today: datetime.date) -> bool:
    return next_review_on is not None and next_review_on <= today
