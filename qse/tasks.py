"""Celery plumbing: every task takes ``organization_id`` and runs with that organization
active (row-level security included), in one transaction unless it commits row by row.

Tasks are acks_late and rejected on worker loss, so a task may run twice: each one is
idempotent (reminder rows are unique per occurrence, and sent under a row lock).
"""

from __future__ import annotations

import functools

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from qse.models import Organization
from qse.tenancy import organization_context

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True}


def tenant_task(*, atomic: bool = True, **options):
    """Declare a task run for one organization: ``fn(*, organization, ...)``.

    The task itself is called with ``organization_id``. With ``atomic=False`` the function
    runs outside any transaction and opens ``organization_context`` per unit of work (a
    sweep that must commit row by row).
    """

    def decorator(function):
        @shared_task(name=f"{function.__module__}.{function.__name__}", **TASK_OPTIONS, **options)
        @functools.wraps(function)
        def task(*, organization_id: int, **kwargs):
            organization = Organization.objects.get(pk=organization_id)
            if not atomic:
                return function(organization=organization, **kwargs)
            with organization_context(organization):
                return function(organization=organization, **kwargs)

        return task

    return decorator


@tenant_task()
def reminders_plan_task(*, organization: Organization) -> int:
    """Plan today's reminders of one organization (idempotent)."""
    from qse.reminders_planning import plan_all

    return plan_all(today=timezone.localdate())


@tenant_task(atomic=False)
def reminders_send_task(*, organization: Organization) -> int:
    """Send one organization's pending reminders, one transaction per reminder."""
    from qse.reminders import send_pending

    return send_pending(organization=organization)


@shared_task(name="qse.tasks.reminders_fan_out", **TASK_OPTIONS)
def reminders_fan_out(*, plan: bool = True) -> int:
    """Periodic (database beat): per organization, plan (if asked) then send reminders."""
    organization_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    for organization_id in organization_ids:
        signature = reminders_signature(organization_id=organization_id, plan=plan)
        transaction.on_commit(signature.delay)
    return len(organization_ids)


def reminders_signature(*, organization_id: int, plan: bool):
    """Send alone, or plan then send (a chain: what was just planned goes out at once)."""
    send = reminders_send_task.si(organization_id=organization_id)
    if not plan:
        return send
    return reminders_plan_task.si(organization_id=organization_id) | send
