"""Reads over the trigger-written history (django-pghistory): who changed what, when."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qse.fields import hidden_fields
from qse.labels import choice_labels
from qse.models import ScopedModel
from qse.permissions import can

IGNORED = {"updated_at", "version", "created_at", "created_by", "organization"}
# In place of the name of a related record the reader may not open.
NOT_SHOWN = _("(not shown)")


@dataclass
class HistoryEntry:
    at: object
    user: str
    label: str
    reason: str = ""
    changes: list[tuple[str, object, object]] = field(default_factory=list)


def _field_values(model, event, names: dict, hidden: frozenset) -> dict:
    """A snapshot's values as people read them: choice labels, related records' names."""
    values = {}
    for f in model._meta.concrete_fields:
        if f.name in IGNORED or f.name in hidden or not hasattr(event, f.attname):
            continue
        raw = getattr(event, f.attname)
        if f.choices:
            raw = dict(f.flatchoices).get(raw, raw)
        elif getattr(f, "base_field", None) is not None and f.base_field.choices:
            raw = choice_labels(f, raw)
        elif f.is_relation and raw is not None:
            raw = names.get((f.related_model, raw), raw)
        values[f.verbose_name] = raw
    return values


def _related_names(model, events, user, hidden: frozenset) -> dict:
    """Display names of every record the snapshots point to: one query per related model.
    A record the reader may not open is not named (the same answer as its own page)."""
    names = {}
    for f in model._meta.concrete_fields:
        if not f.is_relation or f.name in IGNORED or f.name in hidden:
            continue
        ids = {getattr(e, f.attname) for e in events} - {None}
        if ids:
            for obj in f.related_model._base_manager.filter(pk__in=ids):
                names[(f.related_model, obj.pk)] = _name_for(user, obj)
    return names


def _name_for(user, obj) -> str:
    if isinstance(obj, ScopedModel) and not (user is not None and can(user, "view", obj)):
        return NOT_SHOWN
    return obj.get_full_name() if hasattr(obj, "get_full_name") else str(obj)


def object_history(obj, limit: int = 50, *, user=None) -> list[HistoryEntry]:
    """Entries newest first, each with (field, old, new) for what changed, as ``user`` may
    read them: fields hidden from them (``qse.fields``) are left out, and records they may
    not open are not named (without a user, both are withheld)."""
    events = list(
        obj.events.select_related("pgh_context").order_by("pgh_created_at", "pgh_id")
    )
    user_ids = {e.pgh_context.metadata.get("user") for e in events if e.pgh_context}
    users = {
        u.pk: (u.get_full_name() or u.username)
        for u in get_user_model().objects.filter(pk__in=[i for i in user_ids if i])
    }
    entries, previous = [], {}
    model = type(obj)
    hidden = hidden_fields(user, model)
    names = _related_names(model, events, user, hidden)
    for event in events:
        values = _field_values(model, event, names, hidden)
        changes = [(name, previous.get(name), value) for name, value in values.items() if previous.get(name) != value]
        metadata = event.pgh_context.metadata if event.pgh_context else {}
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                user=users.get(metadata.get("user"), "—"),
                label=event.pgh_label,
                reason=metadata.get("reason", ""),
                changes=changes if previous else [],
            )
        )
        previous = values
    return list(reversed(entries))[:limit]
