"""Pure date rules of periodic checks and document reviews (no ORM, no clock)."""

from __future__ import annotations

import calendar
import datetime

# A check is "due soon" this many days before its due date (dashboard and reminders).
CHECK_NOTICE_DAYS = 30
# A document's review is announced this many days before it is due.
REVIEW_NOTICE_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due_on(*, done_on: datetime.date, frequency_months: int) -> datetime.date:
    """When the next check is due: the law counts the period from the last check's date."""
    return add_months(done_on, frequency_months)


def due_state(*, due_on: datetime.date | None, today: datetime.date, notice_days: int = CHECK_NOTICE_DAYS) -> str:
    """"overdue", "due_soon", "planned" or "unknown" (no due date yet)."""
    if due_on is None:
        return "unknown"
    if due_on < today:
        return "overdue"
    if due_on <= today + datetime.timedelta(days=notice_days):
        return "due_soon"
    return "planned"
