"""The audit plan sent to the auditees as an iCalendar invitation (RFC 5545, METHOD:REQUEST):
one event per plan item, e-mailed with the .ics attached through Django's mail path."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from audits.models import Audit
from qse.services import ensure_can


def _address(user) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.get_full_name() or user.get_username())
    return address


def plan_calendar(audit: Audit) -> bytes:
    """The audit plan as one calendar: a stable UID per item, so a plan sent again updates
    the events already in the auditees' calendars instead of duplicating them."""
    calendar = Calendar()
    calendar.add("prodid", "-//Pilote QSE//audits//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    organizer = audit.lead_auditor
    attendees = [auditee.person for auditee in audit.auditees.select_related("person") if auditee.person.email]
    for item in audit.schedule_items.filter(archived_at__isnull=True).prefetch_related("people"):
        event = Event()
        event.add("uid", f"audit-{audit.organization_id}-{audit.pk}-item-{item.pk}@pilote-qse")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("summary", f"{audit.reference} {item.get_activity_display()} : {item.subject}".strip())
        event.add("location", item.location)
        event.add("sequence", item.version)
        event.add("description", audit.scope or audit.title)
        if organizer is not None and organizer.email:
            event.add("organizer", _address(organizer))
        people = [person for person in item.people.all() if person.email] or attendees
        for person in people:
            event.add("attendee", _address(person), encode=True)
        calendar.add_component(event)
    return calendar.to_ical()


def audit_plan_send(*, audit: Audit, acting_user) -> int:
    """E-mail the plan to the auditees (each with the .ics), after the transaction commits.
    Returns how many people it is sent to; refused when there is no plan or no auditee to send it to."""
    ensure_can(acting_user, "change", audit)
    recipients = sorted({a.person.email for a in audit.auditees.select_related("person") if a.person.email})
    if not audit.schedule_items.filter(archived_at__isnull=True).exists():
        raise ValidationError(_("The audit plan has no item yet."))
    if not recipients:
        raise ValidationError(_("No auditee has an e-mail address to send the plan to."))
    content = plan_calendar(audit)
    subject = "[Pilote QSE] " + _("Audit plan: {audit}").format(audit=audit)
    body = _("Please find attached the plan of the audit {audit}: accept the invitations to add them to your "
             "calendar.").format(audit=audit)
    message = EmailMessage(subject=subject, body=body, to=recipients, from_email=settings.DEFAULT_FROM_EMAIL)
    message.attach("audit-plan.ics", content, "text/calendar; method=REQUEST; charset=utf-8")
    transaction.on_commit(message.send)
    return len(recipients)


def report_distribute(*, audit: Audit, acting_user, link: str) -> int:
    """Send the auditees the link to the audit's report page (the PDF is generated there
    with each reader's rights). Refused before the audit is reported."""
    ensure_can(acting_user, "change", audit)
    if not audit.reported_on:
        raise ValidationError(_("The report is distributed once the audit is reported."))
    recipients = sorted({a.person.email for a in audit.auditees.select_related("person") if a.person.email})
    if not recipients:
        raise ValidationError(_("No auditee has an e-mail address to send the report to."))
    subject = "[Pilote QSE] " + _("Audit report: {audit}").format(audit=audit)
    body = _("The report of the audit {audit} is available: {link}").format(audit=audit, link=link)
    message = EmailMessage(subject=subject, body=body, to=recipients, from_email=settings.DEFAULT_FROM_EMAIL)
    transaction.on_commit(message.send)
    return len(recipients)
