"""Pure rules of training validity and of the training matrix (no ORM, no clock)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

# A valid training is "expiring" this many days before its end: the time to book a renewal.
EXPIRING_DAYS = 60
# A training without expiry compares as valid for ever (latest-date aggregates in SQL).
NEVER = datetime.date(9999, 12, 31)


class Cell:
    """The states of a matrix cell (values are the CSS class suffixes and API words)."""

    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"  # required, never trained
    NONE = ""  # not required, never trained: nothing to show


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, the day clipped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(trained_on: datetime.date, validity_months: int | None) -> datetime.date | None:
    """The last day a training is valid: the day before the same date ``validity_months`` later;
    None when the topic does not expire."""
    if not validity_months:
        return None
    return add_months(trained_on, validity_months) - datetime.timedelta(days=1)


def cell_status(*, required: bool, latest_until: datetime.date | None, trained: bool,
                today: datetime.date, expiring_days: int = EXPIRING_DAYS) -> str:
    """The state of one person x topic cell, from their latest validity (None: never expires)."""
    if not trained:
        return Cell.MISSING if required else Cell.NONE
    if latest_until is None or latest_until == NEVER:
        return Cell.VALID
    if latest_until < today:
        return Cell.EXPIRED
    if latest_until <= today + datetime.timedelta(days=expiring_days):
        return Cell.EXPIRING
    return Cell.VALID


def is_required(*, everyone: bool, team_roles: Iterable[str], member_role: str, for_team: bool) -> bool:
    """A member requires a topic required for everyone, for their role in the team, or for the
    team itself (its process, or a risk of its process)."""
    return everyone or for_team or member_role in set(team_roles)


def is_gap(status: str) -> bool:
    """A cell the coordinator must act on: required and missing, or expired."""
    return status in (Cell.MISSING, Cell.EXPIRED)
