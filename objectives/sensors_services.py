"""Writes on sensor devices: the generic ones, plus issuing and revoking a device's token
and queuing the roll-ups again when the limits that define "out of range" change."""

from __future__ import annotations

import secrets

from django.utils import timezone

from objectives.models import Device
from objectives.sensors_rollups import requeue_device
from qse import services
from qse.models.tokens import token_digest

LIMIT_FIELDS = ("limit_low", "limit_high")


def device_update(*, device: Device, acting_user, data: dict, expected_version: int | None) -> Device:
    """Edit a device; new limits re-count its out-of-range readings at the next refresh."""
    before = tuple(getattr(device, name) for name in LIMIT_FIELDS)
    updated = services.object_update(obj=device, acting_user=acting_user, data=data, expected_version=expected_version)
    if tuple(getattr(updated, name) for name in LIMIT_FIELDS) != before:
        requeue_device(organization_id=updated.organization_id, device_id=updated.pk)
        from objectives.sensors_tasks import schedule_rollups

        schedule_rollups(organization_id=updated.organization_id)
    return updated


def device_token_issue(*, device: Device, acting_user) -> tuple[Device, str]:
    """A new token for the device (the previous one stops working); the key is returned to be
    shown once, only its SHA-256 digest is kept."""
    services.ensure_can(acting_user, "change", device)
    key = secrets.token_urlsafe(32)
    updated = services.object_bump(
        obj=device, acting_user=acting_user, expected_version=None, reason="token",
        token_prefix=key[:8], token_digest=token_digest(key), token_created_at=timezone.now(), token_revoked_at=None,
    )
    return updated, key


def device_token_revoke(*, device: Device, acting_user) -> Device:
    """The device's token stops working at once; its prefix stays visible in the history."""
    services.ensure_can(acting_user, "change", device)
    device.refresh_from_db(fields=["token_digest", "token_revoked_at"])  # the caller's copy may predate the token
    if not device.has_active_token:
        return device
    return services.object_bump(obj=device, acting_user=acting_user, expected_version=None, reason="token",
                                token_revoked_at=timezone.now())
