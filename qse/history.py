"""Reads over the trigger-written history (django-pghistory): who changed what, when."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

IGNORED = {"updated_at", "version", "created_at", "created_by", "organization"}


@dataclass
class HistoryEntry:
    at: object
    user: str
    label: str
    reason: str = ""
    changes: list[tuple[str, object, object]] = field(default_factory=list)


def _field_values(model, event, names: dict) -> dict:
    """A snapshot's values as people read them: choice labels, related records' names."""
    values = {}
    for f in model._meta.concrete_fields:
        if f.name in IGNORED or not hasattr(event, f.attname):
            continue
        raw = getattr(event, f.attname)
        if f.choices:
            raw = dict(f.flatchoices).get(raw, raw)
        elif f.is_relation and raw is not None:
            raw = names.get((f.related_model, raw), raw)
        values[f.verbose_name] = raw
    return values


def _related_names(model, events) -> dict:
    """Display names of every record the snapshots point to: one query per related model."""
    names = {}
    for f in model._meta.concrete_fields:
        if not f.is_relation or f.name in IGNORED:
            continue
        ids = {getattr(e, f.attname) for e in events} - {None}
        if ids:
            for obj in f.related_model._base_manager.filter(pk__in=ids):
                names[(f.related_model, obj.pk)] = obj.get_full_name() if hasattr(obj, "get_full_name") else str(obj)
    return names


def object_history(obj, limit: int = 50) -> list[HistoryEntry]:
    """Entries newest first, each with (field, old, new) for what changed."""
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
    names = _related_names(model, events)
    for event in events:
        values = _field_values(model, event, names)
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
