"""Reminder delivery: pending rows claimed with FOR UPDATE SKIP LOCKED, one transaction
each, so a reminder is sent once per occurrence even with several workers or a worker
killed mid-sweep (its open transaction rolls back and the row is claimed again).

Apps register a renderer per reminder kind; the renderer turns a row into a message.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation

from qse.models import Notification, Reminder, ReminderStatus


@dataclass
class Message:
    subject: str
    body: str
    url: str


_renderers: dict[str, Callable[[Reminder], Message | None]] = {}


def register_renderer(kind: str, renderer: Callable[[Reminder], Message | None]) -> None:
    _renderers[kind] = renderer


def plan_reminders(rows: list[Reminder]) -> int:
    """Insert reminder rows; an occurrence already planned is ignored (idempotent)."""
    created = Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def _claim_one() -> Reminder | None:
    return (
        Reminder.objects.in_current_organization()
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient")
        .filter(status=ReminderStatus.PENDING)
        .order_by("pk")
        .first()
    )


def send_pending(*, limit: int = 500) -> int:
    """Send pending reminders of the active organization; returns how many were sent."""
    sent = 0
    for _ in range(limit):
        with transaction.atomic():
            reminder = _claim_one()
            if reminder is None:
                break
            _deliver(reminder)
            sent += 1
    return sent


def _deliver(reminder: Reminder) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        message = _renderers[reminder.kind](reminder)
    if message is not None:
        Notification.objects.create(
            organization_id=reminder.organization_id, recipient=reminder.recipient,
            title=message.subject, body=message.body, url=message.url,
        )
        _pause_for_tests()
        if reminder.recipient.email:
            _email(reminder, message)
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.SENT, sent_at=timezone.now())


def _email(reminder: Reminder, message: Message) -> None:
    # A stable Message-ID lets a mail server drop the copy of a retried delivery.
    email = EmailMessage(
        subject=f"[Pilote QSE] {message.subject}",
        body=f"{message.body}\n\n{settings.SITE_URL}{message.url}",
        to=[reminder.recipient.email],
        headers={"Message-ID": f"<reminder-{reminder.pk}@pilote-qse>"},
    )
    email.send()


def _pause_for_tests() -> None:
    """The worker-kill test slows delivery down to kill a worker in the middle of it."""
    delay = float(os.environ.get("QSE_REMINDER_TEST_DELAY", "0") or 0)
    if delay:
        time.sleep(delay)
