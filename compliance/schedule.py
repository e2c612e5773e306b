"""Dates of the evaluation cycle (pure: given dates, no clock)."""

from __future__ import annotations

import datetime

from risks.reminders import add_months  # one month arithmetic for the product


def next_due(evaluated_on: datetime.date, interval_months: int) -> datetime.date:
    """When the next evaluation is due after one made on ``evaluated_on``."""
    return add_months(evaluated_on, interval_months)


def is_overdue(next_due_on: datetime.date | None, today: datetime.date) -> bool:
    return next_due_on is not None and next_due_on < today
