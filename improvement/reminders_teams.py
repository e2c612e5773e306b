"""Reminder of a training to renew: from 60 days before a training's validity ends, to the
person trained and to the QSE coordinators (who book the renewal).

The occurrence is the end of validity: one reminder per record and end date. A training
renewed since (a later record of the same person and topic lasting longer) is not reminded,
and a reminder planned before the renewal renders to nothing."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils import formats
from django.utils.translation import gettext as _

from improvement.choices import ReminderKind
from improvement.models import TrainingRecord
from improvement.training import EXPIRING_DAYS
from qse.models import Reminder
from qse.reminders import Message, plan_reminders
from qse.reminders_planning import coordinator_ids
from qse.tenancy import current_organization


def _current_records():
    """Records not superseded by a later one of the same person and topic lasting longer."""
    longer = TrainingRecord.objects.filter(
        person_id=OuterRef("person_id"), topic_id=OuterRef("topic_id"), archived_at__isnull=True,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=OuterRef("valid_until")))
    return (TrainingRecord.objects.in_current_organization()
            .filter(archived_at__isnull=True, valid_until__isnull=False).exclude(Exists(longer)))


def plan_training_reminders(*, today: datetime.date) -> int:
    """Plan the active organization's training renewal reminders for ``today``; idempotent."""
    organization = current_organization()
    if organization is None:
        return 0
    content_type = ContentType.objects.get_for_model(TrainingRecord)
    coordinators = coordinator_ids()
    due = _current_records().filter(valid_until__gte=today,
                                    valid_until__lte=today + datetime.timedelta(days=EXPIRING_DAYS))
    rows = []
    for pk, valid_until, person_id in due.values_list("pk", "valid_until", "person_id"):
        for recipient_id in sorted({person_id, *coordinators}):
            rows.append(Reminder(organization=organization, recipient_id=recipient_id,
                                 kind=ReminderKind.TRAINING_EXPIRING, occurrence=valid_until,
                                 content_type=content_type, object_id=pk))
    return plan_reminders(rows=rows)


def render_training_reminder(reminder: Reminder) -> Message | None:
    """The message; None once the training was renewed, corrected or archived."""
    record = _current_records().select_related("person", "topic").filter(pk=reminder.object_id).first()
    if record is None or record.valid_until != reminder.occurrence:
        return None
    date = formats.date_format(record.valid_until, "SHORT_DATE_FORMAT")
    subject = _("Training to renew by {date}: {topic} ({person})").format(
        date=date, topic=record.topic, person=record.person.get_full_name() or record.person.get_username())
    body = _(
        "The training \"{topic}\" of {person} (trained on {trained_on}) is valid until {date}. "
        "Book the renewal session, then record the new training."
    ).format(topic=record.topic, person=record.person.get_full_name() or record.person.get_username(),
             trained_on=formats.date_format(record.trained_on, "SHORT_DATE_FORMAT"), date=date)
    return Message(subject=subject, body=body, url=record.get_absolute_url())
