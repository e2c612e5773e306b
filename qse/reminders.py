"""Reminder delivery: pending rows claimed with FOR UPDATE SKIP LOCKED, one transaction
each, so a reminder is sent once per occurrence even with several workers or a worker
killed mid-sweep (its open transaction rolls back and the row is claimed again).

Each reminder's transaction records the in-app notification, sends the e-mail and marks
the row sent, then commits. A failed e-mail rolls everything back and the row is retried
by the next sweep. Only a process dying in the instant between the mail server accepting
the message and the commit can repeat an e-mail; its stable Message-ID lets mail servers
and clients drop that copy.

Apps register a renderer per reminder kind; the renderer turns a row into a message, or
into None when there is nothing left to remind (the row is then marked sent, silently).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation

from qse.models import Membership, Notification, Organization, Reminder, ReminderStatus
from qse.models.notifications import KIND_MAX_LENGTH
from qse.tenancy import organization_context

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """What a reminder says: the notification's title and body, the e-mail's too."""

    subject: str
    body: str
    url: str


Renderer = Callable[[Reminder], Message | None]
_renderers: dict[str, Renderer] = {}
_labels: dict[str, str] = {}


class DeliveryError(Exception):
    """Delivering one reminder failed; its transaction was rolled back."""

    def __init__(self, reminder_id: int):
        super().__init__(f"reminder {reminder_id} could not be delivered")
        self.reminder_id = reminder_id


def register_kind(kind: str, *, label: str, renderer: Renderer) -> None:
    """Let an app add a kind of reminder (its label, and how a row becomes a message).

    Kinds are not a fixed list in ``qse``: an app registers its own in ``AppConfig.ready``,
    and ``Reminder.kind`` is validated against this registry, so no ``qse`` migration is needed.
    """
    if len(kind) > KIND_MAX_LENGTH:
        raise ValueError(f"reminder kind {kind!r} is longer than {KIND_MAX_LENGTH} characters")
    if kind in _labels and _renderers.get(kind) is not renderer:
        raise ValueError(f"reminder kind {kind!r} is already registered")
    _labels[kind] = label
    _renderers[kind] = renderer


def kind_label(kind: str) -> str:
    """The registered label of a kind (the raw value for a kind no app registers any more)."""
    return str(_labels.get(kind, kind))


def registered_kinds() -> dict[str, str]:
    return dict(_labels)


def ensure_registered_kinds(rows: list[Reminder]) -> None:
    """Refuse to plan a reminder nobody can send (bulk inserts skip field validators)."""
    unknown = {str(row.kind) for row in rows} - set(_labels)
    if unknown:
        raise ValueError(f"unregistered reminder kind(s): {', '.join(sorted(unknown))}")


# --- planning -------------------------------------------------------------------------


def plan_reminders(*, rows: list[Reminder]) -> int:
    """Insert reminder rows; an occurrence already planned is ignored (idempotent).

    Returns how many rows are new. Rows already there are skipped before the insert (the
    daily planning proposes the same overdue rows again and again); ``ignore_conflicts``
    still covers two planners racing.
    """
    if not rows:
        return 0
    ensure_registered_kinds(rows)
    planned = _planned_keys(rows=rows)
    new_rows = list({_key(row): row for row in rows if _key(row) not in planned}.values())
    Reminder.objects.bulk_create(new_rows, ignore_conflicts=True)
    return len(new_rows)


def _key(row: Reminder) -> tuple:
    """The fields of the ``reminder_once_per_occurrence`` constraint."""
    return (row.organization_id, row.recipient_id, str(row.kind), row.occurrence, row.content_type_id, row.object_id)


def _planned_keys(*, rows: list[Reminder]) -> set[tuple]:
    existing = Reminder.objects.filter(
        organization_id__in={row.organization_id for row in rows},
        recipient_id__in={row.recipient_id for row in rows},
        kind__in={str(row.kind) for row in rows},
        occurrence__in={row.occurrence for row in rows},
    ).values_list("organization_id", "recipient_id", "kind", "occurrence", "content_type_id", "object_id")
    return set(existing)


# --- sending --------------------------------------------------------------------------


def send_pending(*, organization: Organization, limit: int = 500) -> int:
    """Send the organization's pending reminders, each in its own committed transaction.

    Must not run inside a transaction (one outer transaction would turn "sent" into
    "sent when the whole sweep commits"). A reminder that fails is logged, counted and left pending
    for the next sweep; it does not block the others. Returns how many were handled.
    """
    handled, failed = 0, []
    while handled + len(failed) < limit:
        try:
            reminder = _send_one(organization=organization, excluded=failed)
        except DeliveryError as error:
            log.exception("Reminder %s could not be delivered", error.reminder_id)
            _record_failure(organization=organization, reminder_id=error.reminder_id, error=error.__cause__)
            failed.append(error.reminder_id)
            continue
        if reminder is None:
            break
        handled += 1
    return handled


def _send_one(*, organization: Organization, excluded: list[int]) -> Reminder | None:
    """Claim, deliver and mark one reminder in one transaction; None when none is left."""
    with transaction.atomic(durable=True), organization_context(organization):
        reminder = _claim_one(excluded=excluded)
        if reminder is not None:
            try:
                _deliver(reminder)
            except Exception as exc:
                raise DeliveryError(reminder.pk) from exc
        return reminder


MAX_ATTEMPTS = 5


def _record_failure(*, organization: Organization, reminder_id: int, error: BaseException | None) -> None:
    """Count the failed attempt (own transaction: the delivery's was rolled back); after
    ``MAX_ATTEMPTS`` the reminder is marked failed and no sweep claims it again."""
    with transaction.atomic(durable=True), organization_context(organization):
        reminder = Reminder.objects.in_current_organization().select_for_update().get(pk=reminder_id)
        reminder.attempts += 1
        reminder.last_error = repr(error)[:2000]
        if reminder.attempts >= MAX_ATTEMPTS:
            reminder.status = ReminderStatus.FAILED
        reminder.save(update_fields=["attempts", "last_error", "status"])


def _claim_one(*, excluded: list[int]) -> Reminder | None:
    """Lock the oldest pending reminder that no other worker holds (SKIP LOCKED).

    FOR UPDATE re-checks ``status`` on the latest row version, so a row another worker
    has just marked sent is not returned.
    """
    return (
        Reminder.objects.in_current_organization()
        .filter(status=ReminderStatus.PENDING)
        .exclude(pk__in=excluded)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient", "organization")
        .order_by("pk")
        .first()
    )


def _deliver(reminder: Reminder) -> None:
    """Notify and e-mail (unless there is nothing left to say, or the person keeps this kind
    in the app only), then mark sent."""
    from qse.profiles import language_of, wants_email

    # Workers have no request language: the person's, else their organization's (French by default).
    language = language_of(user_id=reminder.recipient_id, organization=reminder.organization)
    with translation.override(language):
        message = _render(reminder)
        if message is not None:
            _notify(reminder, message)
            _pause_for_tests()
            if reminder.recipient.email and wants_email(user_id=reminder.recipient_id, kind=reminder.kind):
                _email(reminder, message)
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.SENT, sent_at=timezone.now())


def _render(reminder: Reminder) -> Message | None:
    """The message, or None for a recipient who has left the organization."""
    if not _is_member(reminder):
        return None
    return _renderers[reminder.kind](reminder)


def _is_member(reminder: Reminder) -> bool:
    return reminder.recipient.is_active and Membership.objects.filter(
        user_id=reminder.recipient_id, organization_id=reminder.organization_id, is_active=True
    ).exists()


def _notify(reminder: Reminder, message: Message) -> Notification:
    return Notification.objects.create(
        organization_id=reminder.organization_id, recipient=reminder.recipient,
        title=message.subject, body=message.body, url=message.url,
    )


def _email(reminder: Reminder, message: Message) -> None:
    # A stable Message-ID lets a mail server drop the copy of a retried delivery.
    email = EmailMessage(
        subject=f"[Pilote QSE] {message.subject}",
        body=f"{message.body}\n\n{settings.SITE_URL}{message.url}",
        to=[reminder.recipient.email],
        headers={"Message-ID": message_id(reminder)},
    )
    email.send()


def message_id(reminder: Reminder) -> str:
    """The e-mail's Message-ID: the same for every delivery attempt of one reminder."""
    return f"<reminder-{reminder.pk}@pilote-qse>"


def _pause_for_tests() -> None:
    """The worker-kill test slows delivery down to kill a worker in the middle of it."""
    delay = float(os.environ.get("QSE_REMINDER_TEST_DELAY", "0") or 0)
    if delay:
        time.sleep(delay)
