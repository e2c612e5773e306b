"""Reminder of a compliance evaluation coming due: the evaluator of the current evaluation,
from 14 days before its next due date and while it is late.

The occurrence is the due date: one reminder per evaluation and due date; a new evaluation
(with its own due date) gets its own."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import formats
from django.utils.translation import gettext as _

from compliance.choices import ReminderKind
from compliance.models import Evaluation
from qse.models import Reminder
from qse.reminders import Message, plan_reminders
from qse.tenancy import current_organization

NOTICE_DAYS = 14


def is_evaluation_reminded(*, next_due_on: datetime.date | None, today: datetime.date) -> bool:
    """Pure: due within 14 days, or late."""
    return next_due_on is not None and next_due_on <= today + datetime.timedelta(days=NOTICE_DAYS)


def _current():
    return Evaluation.objects.in_current_organization().filter(is_current=True, archived_at__isnull=True)


def plan_evaluation_reminders(*, today: datetime.date) -> int:
    """Plan the active organization's evaluation reminders for ``today``; idempotent."""
    organization = current_organization()
    if organization is None:
        return 0
    content_type = ContentType.objects.get_for_model(Evaluation)
    due = _current().filter(next_due_on__lte=today + datetime.timedelta(days=NOTICE_DAYS))
    return plan_reminders(rows=[
        Reminder(organization=organization, recipient_id=evaluator_id, kind=ReminderKind.EVALUATION_DUE,
                 occurrence=next_due_on, content_type=content_type, object_id=pk)
        for pk, next_due_on, evaluator_id in due.values_list("pk", "next_due_on", "evaluator_id")
    ])


def render_evaluation_reminder(reminder: Reminder) -> Message | None:
    """The message; None once the evaluation was superseded, rescheduled or archived."""
    evaluation = _current().select_related("requirement", "site").filter(pk=reminder.object_id).first()
    if evaluation is None or evaluation.next_due_on != reminder.occurrence:
        return None
    date = formats.date_format(evaluation.next_due_on, "SHORT_DATE_FORMAT")
    subject = _("Compliance evaluation due on {date}: {requirement}").format(date=date, requirement=evaluation.requirement)
    body = _(
        "The compliance of {site} with \"{requirement}\" is to be evaluated again by {date} (last verdict: {status}). "
        "Check the evidence, then record the new evaluation."
    ).format(site=evaluation.site, requirement=evaluation.requirement, date=date,
             status=evaluation.get_status_display())
    return Message(subject=subject, body=body, url=evaluation.get_absolute_url())
