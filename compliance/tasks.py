"""Celery tasks of the watch: a periodic fan-out (database beat) and one task per source, so a
slow or failing source never delays the others."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from compliance import services_watch
from compliance.choices import SourceKind
from qse.tasks import TASK_OPTIONS, tenant_task
from qse.tenancy import system_context


@tenant_task(atomic=False, soft_time_limit=90, time_limit=120)
def source_poll_task(*, organization, source_id: int) -> int:
    """Poll one source (its own timeouts inside; the time limits are the last resort)."""
    run = services_watch.source_poll(organization=organization, source_id=source_id, now=timezone.now())
    return run.items_new


@shared_task(name="compliance.tasks.watch_poll_due", **TASK_OPTIONS)
def watch_poll_due() -> int:
    """Periodic: one poll task per due source of every organization (sent on commit)."""
    from compliance.models import Source

    now = timezone.now()
    with system_context():
        due = list(
            Source.objects.filter(is_active=True, archived_at__isnull=True).exclude(kind=SourceKind.MANUAL)
            .filter(services_watch.due_filter(now)).values_list("organization_id", "pk")
        )
        for organization_id, source_id in due:
            transaction.on_commit(
                lambda o=organization_id, s=source_id: source_poll_task.delay(organization_id=o, source_id=s)
            )
    return len(due)
