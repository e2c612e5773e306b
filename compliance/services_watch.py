"""Every write of the watch: polling a source (recording the poll and its new items once),
entering an item by hand, and qualifying the inbox (relevant: a new text, a new version of a
text, or a link to one; not relevant: with the reason), one by one or in bulk."""

from __future__ import annotations

import datetime
import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from compliance import polling, services
from compliance.choices import ItemStatus, SourceKind, TextKind
from compliance.models import PollRun, Source, Text, WatchItem
from compliance.models.watch import PISTE_API_URL, PISTE_TOKEN_URL
from qse.services import ensure_can, object_create, recorded
from qse.tenancy import organization_context

# Backoff after consecutive failures: 5, 10, 20, 40... minutes, never beyond the interval.
BACKOFF_FIRST = datetime.timedelta(minutes=5)


def backoff(*, interval_minutes: int, error_count: int) -> datetime.timedelta:
    """Pure: how long to wait before polling again a source that failed ``error_count`` times."""
    interval = datetime.timedelta(minutes=interval_minutes)
    if error_count <= 0:
        return interval
    return min(interval, BACKOFF_FIRST * 2 ** (error_count - 1))


def due_filter(now: datetime.datetime) -> Q:
    return Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)


def due_sources(*, now: datetime.datetime):
    """The active organization's polled sources whose next poll has come."""
    return (Source.objects.in_current_organization()
            .filter(is_active=True, archived_at__isnull=True).exclude(kind=SourceKind.MANUAL).filter(due_filter(now)))


def _state(source: Source) -> polling.SourceState:
    last_run = source.last_polled_at.date() - datetime.timedelta(days=1) if source.last_polled_at else None
    address = source.address or (PISTE_API_URL if source.kind == SourceKind.PISTE else "")
    return polling.SourceState(
        kind=source.kind, address=address, etag=source.etag, last_modified=source.last_modified,
        query=source.query, client_id=source.client_id, client_secret=source.client_secret,
        token_url=source.token_url or PISTE_TOKEN_URL, access_token=source.access_token,
        token_expires_at=source.token_expires_at, since=last_run,
    )


def source_poll(*, organization, source_id: int, now: datetime.datetime, client=None) -> PollRun:
    """Poll one source of ``organization`` and record what happened.

    The network call runs outside any transaction (a slow source holds no lock and no
    connection's transaction open); the poll's record and its new items are written in one
    transaction afterwards, the items with ON CONFLICT DO NOTHING on (organization, source,
    key): an item seen twice is stored once, even when two polls of a source overlap."""
    with organization_context(organization):
        source = Source.objects.in_current_organization().get(pk=source_id)
        state = _state(source)
    started = time.monotonic()
    own_client = client is None
    client = client or polling.make_client()
    try:
        outcome = polling.fetch(state, client=client, now=now)
    finally:
        if own_client:
            client.close()
    duration = int((time.monotonic() - started) * 1000)
    with organization_context(organization):
        source = Source.objects.select_for_update().get(pk=source_id)
        new = _store_items(source, outcome.items) if outcome.ok else 0
        run = PollRun.objects.create(
            organization=source.organization, source=source, started_at=now, duration_ms=duration,
            http_status=outcome.http_status, items_found=len(outcome.items), items_new=new, error=outcome.error,
        )
        _record_outcome(source, outcome, now=now)
    return run


def _store_items(source: Source, items: list[polling.FetchedItem]) -> int:
    keys = {item.key for item in items}
    known = set(WatchItem.objects.filter(source=source, key__in=keys).values_list("key", flat=True))
    rows, seen = [], set()
    for item in items:
        if item.key in known or item.key in seen:
            continue
        seen.add(item.key)
        rows.append(WatchItem(
            organization=source.organization, source=source, key=item.key, guid=item.guid, title=item.title,
            link=item.link, summary=item.summary, published_at=item.published_at, identifiers=item.identifiers,
        ))
    created = WatchItem.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def _record_outcome(source: Source, outcome: polling.Outcome, *, now: datetime.datetime) -> None:
    """The source's last poll and validators, written without touching its version: a poll
    never turns a coordinator's open edit into a conflict."""
    errors = 0 if outcome.ok else source.error_count + 1
    changes = {
        "last_polled_at": now, "last_status": outcome.http_status, "last_items": len(outcome.items),
        "last_error": outcome.error, "error_count": errors,
        "next_poll_at": now + backoff(interval_minutes=source.interval_minutes, error_count=errors),
    }
    if outcome.ok:
        changes.update(etag=outcome.etag[:300], last_modified=outcome.last_modified[:100])
    if outcome.access_token:
        changes.update(access_token=outcome.access_token, token_expires_at=outcome.token_expires_at)
    Source.objects.filter(pk=source.pk).update(**changes)


def poll_due(*, organization, now: datetime.datetime, client=None) -> list[PollRun]:
    """Poll, one after the other, every due source of ``organization`` (the beat task sends
    one task per source instead; this serves the command and the tests). A failing or slow
    source is recorded and the next one is polled all the same."""
    with organization_context(organization):
        ids = list(due_sources(now=now).values_list("pk", flat=True))
    return [source_poll(organization=organization, source_id=pk, now=now, client=client) for pk in ids]


# --- the inbox -------------------------------------------------------------------------------


def item_enter(*, acting_user, data: dict) -> WatchItem:
    """An item entered by hand (its identity is its link, else its title)."""
    identity = data.get("link") or data["title"]
    return object_create(model=WatchItem, acting_user=acting_user, data=data, key=polling.item_key(identity),
                         guid=identity[:500], identifiers=polling.identifiers_in(f"{data['title']} {identity}"))


def _locked_new(item: WatchItem) -> WatchItem:
    current = WatchItem.objects.select_for_update().get(pk=item.pk)
    if current.status != ItemStatus.NEW:
        raise ValidationError(_("This item was already qualified."))
    return current


def _qualified(item: WatchItem, acting_user, now, **changes) -> WatchItem:
    """Write the qualification on the row ``_locked_new`` holds (``reason`` is the item's field
    here, not the history's, hence no ``object_bump``)."""
    for name, value in {**changes, "qualified_by": acting_user, "qualified_at": now}.items():
        setattr(item, name, value)
    item.version += 1
    item.save()
    return item


def item_dismiss(*, item: WatchItem, acting_user, reason: str, now: datetime.datetime) -> WatchItem:
    """Not relevant, and why (the reason is required: the next audit asks)."""
    ensure_can(acting_user, "change", item)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the item is not relevant.")})
    with recorded(acting_user, reason=reason):
        return _qualified(_locked_new(item), acting_user, now, status=ItemStatus.NOT_RELEVANT, reason=reason.strip())


def item_create_text(*, item: WatchItem, acting_user, kind: str, now: datetime.datetime, reason: str = "") -> WatchItem:
    """Relevant: a new text of the referential, filled from the item."""
    ensure_can(acting_user, "change", item)
    with recorded(acting_user):
        current = _locked_new(item)
        ids = current.identifiers or {}
        text = services.text_create(acting_user=acting_user, data={
            "kind": kind or TextKind.OTHER, "reference": current.title[:200], "title": current.title[:500],
            "nor": ids.get("nor", "")[:20], "celex": ids.get("celex", "")[:30], "eli": ids.get("eli", "")[:300],
            "official_url": current.link[:500], "summary": current.summary,
            "published_on": current.published_at.date() if current.published_at else None,
            "domains": current.source.domains, "themes": current.source.themes,
        })
        return _qualified(current, acting_user, now, status=ItemStatus.RELEVANT, reason=reason, text=text)


def item_add_version(*, item: WatchItem, text: Text, acting_user, now: datetime.datetime, reason: str = "") -> WatchItem:
    """Relevant: the item modifies a text of the referential, whose new version it records
    (its requirements and evaluations are flagged for re-evaluation)."""
    ensure_can(acting_user, "change", item)
    with recorded(acting_user):
        current = _locked_new(item)
        version = services.text_add_version(text=text, acting_user=acting_user, data={
            "modified_by_reference": current.title[:300], "summary": current.summary or text.summary,
            "effective_on": current.published_at.date() if current.published_at else None,
        })
        return _qualified(current, acting_user, now, status=ItemStatus.RELEVANT, reason=reason, text=text,
                          text_version=version)


def item_link(*, item: WatchItem, text: Text, acting_user, now: datetime.datetime, reason: str = "") -> WatchItem:
    """Relevant: the item concerns a text of the referential without changing it (a guide, a
    commentary): it is kept on the text."""
    ensure_can(acting_user, "change", item)
    with recorded(acting_user):
        return _qualified(_locked_new(item), acting_user, now, status=ItemStatus.RELEVANT, reason=reason, text=text)


def item_qualify(*, item: WatchItem, acting_user, decision: str, now: datetime.datetime, text: Text | None = None,
                 kind: str = "", reason: str = "") -> WatchItem:
    """One qualification, as chosen on the page or in the API."""
    if decision == "not_relevant":
        return item_dismiss(item=item, acting_user=acting_user, reason=reason, now=now)
    if decision == "new_text":
        return item_create_text(item=item, acting_user=acting_user, kind=kind, now=now, reason=reason)
    if text is None:
        raise ValidationError({"text": _("Choose the text concerned.")})
    if decision == "new_version":
        return item_add_version(item=item, text=text, acting_user=acting_user, now=now, reason=reason)
    return item_link(item=item, text=text, acting_user=acting_user, now=now, reason=reason)


def items_qualify_bulk(*, items: list[WatchItem], acting_user, decision: str, now: datetime.datetime,
                       text: Text | None = None, kind: str = "", reason: str = "") -> int:
    """The same qualification for several items, all or none (one refused item refuses the lot)."""
    if decision == "new_version" and len(items) > 1:
        raise ValidationError(_("One new version at a time: qualify these items one by one."))
    with transaction.atomic():
        for item in items:
            item_qualify(item=item, acting_user=acting_user, decision=decision, now=now, text=text, kind=kind,
                         reason=reason)
    return len(items)




def source_poll_request(*, source: Source, acting_user) -> None:
    """Poll a source now, in the background (a poll may take its whole timeout)."""
    from compliance.tasks import source_poll_task

    ensure_can(acting_user, "change", source)
    if not source.is_polled:
        raise ValidationError(_("A manual source is not polled."))
    organization_id, source_id = source.organization_id, source.pk
    transaction.on_commit(lambda: source_poll_task.delay(organization_id=organization_id, source_id=source_id))
