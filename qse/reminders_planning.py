"""Apps register functions that plan their reminder rows for the active organization.

A planner is called as ``planner(today=...)`` inside ``organization_context``; it must be
idempotent (planning twice the same day adds nothing), which ``plan_reminders`` gives.
"""

import datetime
from collections.abc import Callable

Planner = Callable[..., int]
_planners: list[Planner] = []


def register_planner(planner: Planner) -> None:
    """Add an app's planner (registering the same function twice keeps one)."""
    if planner not in _planners:
        _planners.append(planner)


def plan_all(*, today: datetime.date) -> int:
    """Run every planner for the active organization; returns how many reminders are new."""
    return sum(planner(today=today) for planner in _planners)
