"""Apps register functions that plan their reminder rows for the active organization.

A planner is called as ``planner(today=...)`` inside ``organization_context``; it must be
idempotent (planning twice the same day adds nothing), which ``plan_reminders`` gives.
"""

import datetime
from collections.abc import Callable

from qse.models import Membership
from qse.roles import Role
from qse.tenancy import current_organization

Planner = Callable[..., int]
_planners: list[Planner] = []


def register_planner(planner: Planner) -> None:
    """Add an app's planner (registering the same function twice keeps one)."""
    if planner not in _planners:
        _planners.append(planner)


def plan_all(*, today: datetime.date) -> int:
    """Run every planner for the active organization; returns how many reminders are new."""
    return sum(planner(today=today) for planner in _planners)


def coordinator_ids() -> list[int]:
    """The active QSE coordinators of the active organization: the recipients of the
    reminders that concern the management system as a whole."""
    return list(
        Membership.objects.filter(
            organization=current_organization(), role=Role.COORDINATOR, is_active=True, user__is_active=True,
        ).order_by("user_id").values_list("user_id", flat=True)
    )
