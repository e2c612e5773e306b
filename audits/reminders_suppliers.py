"""Reminder of a supplier certification expiring: to the supplier's buyer in charge (or, when
none is named, the QSE coordinators), from ``EXPIRY_NOTICE_DAYS`` before its expiry and while
it stays expired. The occurrence is the expiry date: a renewed certificate (new date) gets
its own reminder."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import formats
from django.utils.translation import gettext as _

from audits.choices_banks import ReminderKind
from audits.models import SupplierCertification
from audits.selectors_suppliers import expiring_certifications
from qse.models import Reminder
from qse.reminders import Message, plan_reminders
from qse.reminders_planning import coordinator_ids
from qse.tenancy import current_organization


def _current():
    return SupplierCertification.objects.in_current_organization()


def plan_certification_reminders(*, today: datetime.date) -> int:
    """Plan the active organization's certification reminders for ``today``; idempotent."""
    organization = current_organization()
    if organization is None:
        return 0
    content_type = ContentType.objects.get_for_model(SupplierCertification)
    coordinators = None
    rows = []
    for pk, expires_on, owner_id in expiring_certifications(today=today, queryset=_current()).values_list(
            "pk", "expires_on", "supplier__owner_id"):
        if owner_id is None and coordinators is None:
            coordinators = coordinator_ids()
        rows += [Reminder(organization=organization, recipient_id=recipient, kind=ReminderKind.CERTIFICATION_EXPIRY,
                          occurrence=expires_on, content_type=content_type, object_id=pk)
                 for recipient in ([owner_id] if owner_id else coordinators)]
    return plan_reminders(rows=rows)


def render_certification_reminder(reminder: Reminder) -> Message | None:
    """The message; None once the certificate was renewed (new expiry), archived or its supplier archived."""
    certification = (_current().filter(pk=reminder.object_id, archived_at__isnull=True,
                                       supplier__archived_at__isnull=True).select_related("supplier").first())
    if certification is None or certification.expires_on != reminder.occurrence:
        return None
    date = formats.date_format(certification.expires_on, "SHORT_DATE_FORMAT")
    subject = _("{supplier}: {standard} certificate expires on {date}").format(
        supplier=certification.supplier, standard=certification.standard, date=date)
    body = _(
        "The {standard} certificate of {supplier} (number {number}, {body}) expires on {date}. Ask the supplier for "
        "the renewed certificate and record it, or review the supplier's status."
    ).format(standard=certification.standard, supplier=certification.supplier, number=certification.number or "—",
             body=certification.body or "—", date=date)
    return Message(subject=subject, body=body, url=certification.supplier.get_absolute_url())
