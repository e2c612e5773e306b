"""Apps register functions that plan their reminder rows for the active organization."""

import datetime
from collections.abc import Callable

from django.utils import timezone

_planners: list[Callable[[datetime.date], int]] = []


def register_planner(planner: Callable[[datetime.date], int]) -> None:
    _planners.append(planner)


def plan_all(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return sum(planner(today) for planner in _planners)
