"""Celery tasks of the objectives app: (*, organization_id, ...) -> one service call each."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from qse.models import Membership, Organization
from qse.tasks import TASK_OPTIONS, tenant_task
from qse.tenancy import organization_context


@tenant_task()
def indicator_alerts_task(*, organization: Organization, indicator_id: int) -> int:
    """Plan an indicator's alerts after a value changed (sent by the reminder sweep)."""
    from objectives.alerts import plan_indicator_alerts
    from objectives.models import Indicator

    indicator = Indicator.objects.in_current_organization().filter(pk=indicator_id).first()
    return plan_indicator_alerts(indicator=indicator) if indicator else 0


@tenant_task(atomic=False)
def indicators_refresh_task(*, organization: Organization, indicator_id: int | None = None) -> int:
    """Recompute the organization's computed indicators (or one), each in its own transaction
    under its owner's membership (the values are what the owner may see), then plan alerts."""
    from objectives.alerts import plan_indicator_alerts
    from objectives.models import Indicator
    from objectives.services import indicator_refresh
    from objectives.sources import is_computed

    with organization_context(organization):
        indicators = Indicator.objects.in_current_organization().filter(archived_at__isnull=True)
        if indicator_id is not None:
            indicators = indicators.filter(pk=indicator_id)
        targets = [(i.pk, i.owner_id) for i in indicators if is_computed(i.source)]
    written = 0
    today = timezone.localdate()
    for pk, owner_id in targets:
        membership = Membership.objects.filter(organization=organization, user_id=owner_id, is_active=True).first()
        if membership is None:
            continue  # an owner who left: the indicator waits for a new owner
        with organization_context(organization, membership):
            indicator = Indicator.objects.get(pk=pk)
            written += indicator_refresh(indicator=indicator, today=today)
            plan_indicator_alerts(indicator=indicator)
    return written


@shared_task(name="objectives.tasks.indicators_refresh_fan_out", **TASK_OPTIONS)
def indicators_refresh_fan_out() -> int:
    """Periodic (database beat): refresh every organization's computed indicators."""
    organization_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    for organization_id in organization_ids:
        transaction.on_commit(lambda pk=organization_id: indicators_refresh_task.delay(organization_id=pk))
    return len(organization_ids)
