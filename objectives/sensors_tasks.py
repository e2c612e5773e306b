"""Celery tasks of the sensor module: roll-ups per organization (after each ingested batch
and every minute from beat) and the monthly partitions made ahead (daily from beat).

Both are idempotent: a refresh claims queued hours and recomputes them from the readings
(running it twice recomputes nothing twice); a partition that exists is left as it is.
"""

from __future__ import annotations

from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

from objectives import sensors_rollups
from objectives.sensors_sql import PENDING
from qse.models import Organization
from qse.tasks import TASK_OPTIONS, tenant_task
from qse.tenancy import system_context
from qse.throttle import claim_once

# After a batch, at most one refresh is enqueued per organization in this window; beat's
# minute sweep catches whatever arrives after it.
DEBOUNCE_SECONDS = 10


@tenant_task(atomic=False)
def sensors_rollups_task(*, organization: Organization) -> int:
    """Drain one organization's queue of hours, a slice per transaction."""
    return sensors_rollups.rollups_refresh(organization=organization)


def schedule_rollups(*, organization_id: int) -> None:
    """Refresh this organization's roll-ups once the batch is committed (debounced)."""

    def enqueue():
        if claim_once(f"objectives:sensors-rollups:{organization_id}", DEBOUNCE_SECONDS):
            sensors_rollups_task.delay(organization_id=organization_id)

    transaction.on_commit(enqueue)


@shared_task(name="objectives.sensors_tasks.sensors_rollups_fan_out", **TASK_OPTIONS)
def sensors_rollups_fan_out() -> int:
    """Periodic (database beat): a refresh for each organization with queued hours."""
    with system_context(), connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT organization_id FROM {PENDING} ORDER BY organization_id")
        organization_ids = [row[0] for row in cursor.fetchall()]
        for organization_id in organization_ids:
            transaction.on_commit(lambda pk=organization_id: sensors_rollups_task.delay(organization_id=pk))
    return len(organization_ids)


@shared_task(name="objectives.sensors_tasks.sensors_partitions_task", **TASK_OPTIONS)
def sensors_partitions_task(*, months_ahead: int = 3) -> list[str]:
    """Periodic (database beat): this month's readings partition and the next ones."""
    with transaction.atomic():
        return sensors_rollups.partitions_ensure(today=timezone.now().date(), months_ahead=months_ahead)
