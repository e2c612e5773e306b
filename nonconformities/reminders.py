"""The 48-hour accident declaration reminder, to the organization's QSE coordinators.

Planned once the deadline is within a day (occurrence: the deadline's date), and once more
the day after the deadline if the accident is still undeclared (occurrence: that day).
Rows are unique, so planning every day adds nothing new.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from nonconformities.choices import EventStatus, ReminderKind
from nonconformities.models import Event
from nonconformities.workflow import DECLARED_TYPES
from qse.models import Reminder
from qse.reminders import Message, plan_reminders
from qse.reminders_planning import coordinator_ids
from qse.tenancy import current_organization

LOOKBACK_DAYS = 30


def occurrence_for(*, due_on: datetime.date, today: datetime.date) -> datetime.date | None:
    """Pure: the occurrence of the reminder an undeclared accident due on ``due_on`` calls
    for today: its deadline day when it is within 24 hours, the day after once it is late."""
    if today < due_on - datetime.timedelta(days=1):
        return None
    if today <= due_on:
        return due_on
    if today - due_on <= datetime.timedelta(days=LOOKBACK_DAYS):
        return due_on + datetime.timedelta(days=1)
    return None


def undeclared_accidents():
    """Accidents whose declaration is due and not recorded (task context: organization active)."""
    return Event.objects.in_current_organization().filter(
        event_type__in=DECLARED_TYPES, declaration_due_at__isnull=False, declared_on__isnull=True,
        archived_at__isnull=True,
    ).exclude(status=EventStatus.REJECTED)


def plan_declaration_reminders(*, today: datetime.date) -> int:
    """One reminder per undeclared accident and coordinator; idempotent."""
    organization = current_organization()
    if organization is None:
        return 0
    horizon = today + datetime.timedelta(days=2)
    since = today - datetime.timedelta(days=LOOKBACK_DAYS + 2)
    accidents = undeclared_accidents().filter(declaration_due_at__date__lte=horizon,
                                              declaration_due_at__date__gte=since)
    coordinators = coordinator_ids()
    content_type = ContentType.objects.get_for_model(Event)
    rows = []
    for event_id, due_at in accidents.values_list("pk", "declaration_due_at"):
        occurrence = occurrence_for(due_on=timezone.localdate(due_at), today=today)
        if occurrence is None:
            continue
        rows += [
            Reminder(organization=organization, recipient_id=user_id, kind=ReminderKind.DECLARATION_DUE,
                     occurrence=occurrence, content_type=content_type, object_id=event_id)
            for user_id in coordinators
        ]
    return plan_reminders(rows=rows)


def render_declaration_reminder(reminder: Reminder) -> Message | None:
    """The message; None once the accident is declared, archived or rejected."""
    event = undeclared_accidents().filter(pk=reminder.object_id).first()
    if event is None:
        return None
    due = formats.date_format(timezone.localtime(event.declaration_due_at), "SHORT_DATETIME_FORMAT")
    if reminder.occurrence > timezone.localdate(event.declaration_due_at):
        subject = _("Accident declaration late: {reference}").format(reference=event.reference)
    else:
        subject = _("Accident declaration due: {reference}").format(reference=event.reference)
    body = _("{title}. The declaration to the CPAM was due by {due}. Record the declaration date on the event.").format(
        title=event.title, due=due)
    return Message(subject=subject, body=body, url=event.get_absolute_url())
