"""Generic writes for scoped records: create, update under optimistic locking, archive.

Each runs in one transaction with the acting user recorded in the history context.
Domain apps call these from their own named services when the write is plain.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

import pghistory
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pghistory import runtime as pghistory_runtime

from qse.permissions import can
from qse.tenancy import current_organization


class ConflictError(Exception):
    """Someone else saved the record since it was read: the caller shows both versions."""

    def __init__(self, current: models.Model):
        super().__init__(_("This record was changed by someone else in the meantime."))
        self.current = current


@contextlib.contextmanager
def recorded(acting_user, reason: str = ""):
    """One transaction whose history rows name the acting user (and why, when given)."""
    context = {"user": acting_user.pk if acting_user else None}
    if reason:
        context["reason"] = reason
    with transaction.atomic(), _history_context(context, own=bool(reason)):
        yield


@contextlib.contextmanager
def _history_context(metadata: dict, *, own: bool):
    """pghistory merges a nested context into the enclosing one: one context row, so a reason
    given inside a larger unit of work (the demo's seed, an import calling services) would
    become the reason of every row of that unit, before and after. A reason therefore opens
    a context of its own, inheriting the enclosing metadata, and puts the enclosing one back.
    (pghistory 3.9 keeps the active context in ``runtime._tracker``; pinned in uv.lock.)"""
    enclosing = getattr(pghistory_runtime._tracker, "value", None)
    if not own or enclosing is None:
        with pghistory.context(**metadata):
            yield
        return
    pghistory_runtime._tracker.value = pghistory_runtime.Context(
        id=uuid.uuid4(), metadata={**enclosing.metadata, **metadata})
    try:
        yield
    finally:
        pghistory_runtime._tracker.value = enclosing


def ensure_can(user, verb: str, obj_or_model) -> None:
    if not can(user, verb, obj_or_model):
        raise PermissionDenied(_("You are not allowed to do this."))


def _split_m2m(model, data: dict[str, Any]) -> tuple[dict, dict]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    return plain, {k: v for k, v in data.items() if k in m2m_names}


def _validate_integrity(obj: models.Model) -> None:
    """Unique and check constraints as a ValidationError (shown on the form), not a 500."""
    obj.validate_unique()
    obj.validate_constraints()


def object_create(*, model, acting_user, data: dict[str, Any], reason: str = "", **extra) -> models.Model:
    """Create a record in the current organization."""
    ensure_can(acting_user, "add", model)
    plain, m2m = _split_m2m(model, data)
    with recorded(acting_user, reason):
        obj = model(organization=current_organization(), created_by=acting_user, **plain, **extra)
        _validate_integrity(obj)
        obj.save()
        for name, values in m2m.items():
            getattr(obj, name).set(values)
    return obj


def object_update(
    *, obj, acting_user, data: dict[str, Any], expected_version: int | None, reason: str = ""
) -> models.Model:
    """Apply a user's edit if nobody saved the record since ``expected_version`` was read."""
    ensure_can(acting_user, "change", obj)
    plain, m2m = _split_m2m(type(obj), data)
    with recorded(acting_user, reason):
        current = _save_locked(obj, expected_version, plain, validate=True)
        for name, values in m2m.items():
            getattr(current, name).set(values)
    return current


def object_bump(*, obj, acting_user, expected_version: int | None, reason: str = "", **changes):
    """A service-side field change with the same locking (used by domain services)."""
    with recorded(acting_user, reason):
        return _save_locked(obj, expected_version, changes, validate=False)


def _save_locked(obj, expected_version: int | None, changes: dict, *, validate: bool) -> models.Model:
    """Lock the row, refuse a stale version, apply the changes, bump the version."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current)
    for name, value in changes.items():
        setattr(current, name, value)
    current.version += 1
    if validate:
        _validate_integrity(current)
    current.save()
    return current


def object_archive(*, obj, acting_user, reason: str = "") -> models.Model:
    """Archive instead of deleting: the record stays as quality evidence."""
    ensure_can(acting_user, "archive", obj)
    return object_bump(
        obj=obj, acting_user=acting_user, expected_version=None, reason=reason, archived_at=timezone.now()
    )
