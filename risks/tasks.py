"""Celery tasks of the risks app: one service call each, for one organization."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from qse.tasks import tenant_task
from risks import services


@tenant_task(atomic=False)
def matrix_rescore_task(*, organization, matrix_id: int, old_data: dict, acting_user_id: int) -> int:
    """Rescore a large register after a matrix change, batch by batch (idempotent)."""
    acting_user = get_user_model().objects.filter(pk=acting_user_id).first()
    return services.matrix_rescore_batches(
        organization=organization, matrix_id=matrix_id, old_data=old_data, acting_user=acting_user
    )
