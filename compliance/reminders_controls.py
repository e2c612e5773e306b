"""Reminders of periodic checks coming due or overdue (to the person in charge and the
coordinators) and of document reviews (to the document's owner).

The occurrence is the due date: one reminder per recipient and due date; a report that moves
the due date starts a new occurrence, and the old one renders as nothing (the check was done).
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.choices import ReminderKind
from compliance.models import CheckObservation, ControlledDocument, PeriodicCheck
from compliance.scheduling import CHECK_NOTICE_DAYS, REVIEW_NOTICE_DAYS
from qse.models import Reminder
from qse.reminders import Message, plan_reminders
from qse.reminders_planning import coordinator_ids
from qse.tenancy import current_organization


def _short(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def plan_check_reminders(*, today: datetime.date) -> int:
    """Plan reminders of the active organization's checks due within 30 days or overdue; idempotent."""
    organization = current_organization()
    if organization is None:
        return 0
    horizon = today + datetime.timedelta(days=CHECK_NOTICE_DAYS)
    checks = PeriodicCheck.objects.in_current_organization().filter(
        archived_at__isnull=True, next_due_on__lte=horizon).values_list("pk", "owner_id", "next_due_on")
    coordinators = coordinator_ids()
    content_type = ContentType.objects.get_for_model(PeriodicCheck)
    return plan_reminders(rows=[
        Reminder(organization=organization, recipient_id=user_id, kind=ReminderKind.CHECK_DUE, occurrence=due_on,
                 content_type=content_type, object_id=pk)
        for pk, owner_id, due_on in checks
        for user_id in {*coordinators, *([owner_id] if owner_id else [])}
    ])


def render_check_reminder(reminder: Reminder) -> Message | None:
    """The check's message; None once a report moved its due date or the check was archived."""
    check = PeriodicCheck.objects.in_current_organization().select_related("site", "check_type").filter(
        pk=reminder.object_id, archived_at__isnull=True).first()
    if check is None or check.next_due_on != reminder.occurrence:
        return None
    subject = _("Periodic check due on {date}: {equipment}").format(date=_short(check.next_due_on), equipment=check.equipment)
    body = _(
        "The check \"{type}\" of {equipment} ({site}) is due on {date}. Plan it with the inspection body, "
        "then record its report and observations."
    ).format(type=check.check_type.name, equipment=check.equipment, site=check.site.name, date=_short(check.next_due_on))
    still_open = CheckObservation.objects.in_current_organization().filter(
        report__periodic_check=check, archived_at__isnull=True, lifted_on__isnull=True).count()
    if still_open:
        body += " " + ngettext(
            "{count} observation of its previous reports is still open.",
            "{count} observations of its previous reports are still open.", still_open,
        ).format(count=still_open)
    return Message(subject=subject, body=body, url=check.get_absolute_url())


def plan_document_review_reminders(*, today: datetime.date) -> int:
    """Plan reminders of document reviews due within 30 days or late, to each document's owner."""
    organization = current_organization()
    if organization is None:
        return 0
    horizon = today + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    documents = ControlledDocument.objects.in_current_organization().filter(
        archived_at__isnull=True, review_due_on__lte=horizon).values_list("pk", "owner_id", "review_due_on")
    content_type = ContentType.objects.get_for_model(ControlledDocument)
    return plan_reminders(rows=[
        Reminder(organization=organization, recipient_id=owner_id, kind=ReminderKind.DOCUMENT_REVIEW_DUE,
                 occurrence=due_on, content_type=content_type, object_id=pk)
        for pk, owner_id, due_on in documents
    ])


def render_document_review_reminder(reminder: Reminder) -> Message | None:
    """The review's message; None once a new approval moved the review date."""
    document = ControlledDocument.objects.in_current_organization().filter(
        pk=reminder.object_id, archived_at__isnull=True).first()
    if document is None or document.review_due_on != reminder.occurrence:
        return None
    subject = _("Document review due on {date}: {document}").format(date=_short(document.review_due_on), document=document)
    body = _(
        "The document {document} is due for review on {date}. Check that it is still right; if it must "
        "change, start a new version and have it approved."
    ).format(document=document, date=_short(document.review_due_on))
    return Message(subject=subject, body=body, url=document.get_absolute_url())
