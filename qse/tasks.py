"""Celery plumbing: every task takes ``organization_id`` and runs inside one transaction
with that organization active (row-level security included)."""

from __future__ import annotations

import functools

from celery import shared_task

from qse.models import Organization
from qse.tenancy import organization_context

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True}


def tenant_task(**options):
    """Declare a task run for one organization: ``fn(*, organization_id, ...)``."""

    def decorator(function):
        @shared_task(name=f"{function.__module__}.{function.__name__}", **TASK_OPTIONS, **options)
        @functools.wraps(function)
        def task(*, organization_id: int, **kwargs):
            organization = Organization.objects.get(pk=organization_id)
            with organization_context(organization):
                return function(organization_id=organization_id, **kwargs)

        return task

    return decorator


@tenant_task()
def reminders_plan_task(*, organization_id: int) -> int:
    from qse.reminders_planning import plan_all

    return plan_all()


@tenant_task()
def reminders_send_task(*, organization_id: int) -> int:
    from qse.reminders import send_pending

    return send_pending()


@shared_task(name="qse.tasks.reminders_fan_out", **TASK_OPTIONS)
def reminders_fan_out(plan: bool = True) -> int:
    """Periodic (database beat): plan and send reminders, one task per organization."""
    organization_ids = list(Organization.objects.values_list("pk", flat=True))
    for organization_id in organization_ids:
        if plan:
            reminders_plan_task.delay(organization_id=organization_id)
        reminders_send_task.delay(organization_id=organization_id)
    return len(organization_ids)
