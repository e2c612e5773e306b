"""Writes of the account-less reporting: reporting points' codes and the public report.

The public report runs with no user: the reporting point (found by its token under the
system context) gives the organization, and everything is written inside that
organization's context, so row-level security checks each row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nonconformities.choices import DetectionMethod, EventType, ReportChannel
from nonconformities.models import Event, ReportingPoint
from nonconformities.models.public import new_token
from nonconformities.services import event_create
from qse.attachments import CheckedFile
from qse.models import Attachment, Notification
from qse.reminders_planning import coordinator_ids
from qse.services import ensure_can, object_bump, recorded
from qse.tenancy import organization_context, system_context

# An improvement idea is not an event: it becomes a suggestion (improvement.Suggestion).
IDEA = "idea"
# What anyone may report from a QR code: a short list in everyday words.
PUBLIC_TYPES = [
    (EventType.NEAR_MISS, gettext_lazy("A danger or a near miss")),
    (EventType.INCIDENT, gettext_lazy("An incident (no one hurt)")),
    (EventType.WORK_ACCIDENT, gettext_lazy("An accident (someone hurt)")),
    (EventType.ENVIRONMENTAL_INCIDENT, gettext_lazy("An environmental problem (spill, leak, waste)")),
    (EventType.INTERNAL_NC, gettext_lazy("A quality problem (product, process)")),
    (IDEA, gettext_lazy("An improvement idea")),
]
TITLE_LENGTH = 120


def reporting_point_regenerate(*, point: ReportingPoint, acting_user, expected_version: int | None = None) -> ReportingPoint:
    """Give the point a new token: the printed QR code stops working at once (the old
    token stays in the history, with who retired it)."""
    ensure_can(acting_user, "change", point)
    return object_bump(
        obj=point, acting_user=acting_user, expected_version=expected_version,
        reason=_("New QR code: the printed one no longer works."), token=new_token(),
    )


def reporting_point_for_token(token: str) -> ReportingPoint | None:
    """The active point of a token, whatever its organization (the token is the only key)."""
    if not token or len(token) > 64:
        return None
    with system_context():
        return (
            ReportingPoint.objects.select_related("site", "organization")
            .filter(token=token, is_active=True, archived_at__isnull=True, site__archived_at__isnull=True)
            .first()
        )


@dataclass(frozen=True)
class PublicReport:
    """What the public form collects, already checked."""

    event_type: str
    place: str
    occurred_at: datetime.datetime | None
    description: str
    name: str = ""
    contact: str = ""
    photo: CheckedFile | None = None
    photo_name: str = ""


def _title(description: str) -> str:
    first_line = " ".join(description.split())
    return first_line if len(first_line) <= TITLE_LENGTH else first_line[: TITLE_LENGTH - 1].rstrip() + "…"


def _described(point: ReportingPoint, report: PublicReport) -> str:
    description = report.description.strip()
    if report.place.strip() and report.place.strip() != point.label:
        description = f"{description}\n\n{_('Where: {place}').format(place=report.place.strip())}"
    return description


def public_reference(record) -> str:
    """What the thanks page shows: an event's reference, an idea's number."""
    return getattr(record, "reference", "") or _("Idea no. {number}").format(number=record.pk)


def public_idea_submit(*, point: ReportingPoint, report: PublicReport):
    """An improvement idea sent from a reporting point: a suggestion of the point's site
    (no account: the name and contact given are kept), its photo attached, the coordinators
    notified by the suggestions' service."""
    from improvement.services_suggestions import suggestion_submit_public

    with organization_context(point.organization):
        suggestion = suggestion_submit_public(
            site=point.site, title=_title(report.description), description=_described(point, report),
            name=report.name.strip(), contact=report.contact.strip(),
        )
        if report.photo is not None:
            _attach_photo(suggestion, report.photo, report.photo_name)
    return suggestion


def public_report_submit(*, point: ReportingPoint, report: PublicReport, today: datetime.date):
    """Record an event reported through a reporting point: status "reported" (the
    coordinator's triage queue), its photo attached, the coordinators notified. An
    improvement idea becomes a suggestion instead (``public_idea_submit``)."""
    if report.event_type == IDEA:
        return public_idea_submit(point=point, report=report)
    with organization_context(point.organization):
        description = _described(point, report)
        event = event_create(
            acting_user=None, channel=ReportChannel.PUBLIC_FORM, today=today,
            data={
                "event_type": report.event_type,
                "title": _title(report.description),
                "description": description,
                "occurred_at": report.occurred_at,
                "detected_on": today,
                "site": point.site,
                "detection_method": DetectionMethod.FIELD_REPORT,
                "detected_by_name": report.name.strip()[:150],
                "reporter_contact": report.contact.strip()[:150],
            },
        )
        if report.photo is not None:
            _attach_photo(event, report.photo, report.photo_name)
        _notify_coordinators(point, event)
    return event


def _attach_photo(record, photo: CheckedFile, name: str) -> Attachment:
    """The report's photo, attached to the event or the suggestion it became."""
    with recorded(None):
        attachment = Attachment(
            organization=record.organization,
            content_type=ContentType.objects.get_for_model(type(record)),
            object_id=record.pk,
            original_name=(name or "photo")[-255:],
            mime_type=photo.mime_type,
            size=len(photo.content),
            sha256=photo.sha256,
            caption=_("Photo sent with the report"),
        )
        attachment.file.save(name or "photo", ContentFile(photo.content), save=False)
        attachment.save()
    return attachment


def _notify_coordinators(point: ReportingPoint, event: Event) -> None:
    """An in-app notification to each coordinator of the point's (active) organization, in one insert."""
    recipients = coordinator_ids()
    # In the organization's language, not the reporter's: the coordinators read it.
    with translation.override(settings.LANGUAGE_CODE):
        title = _("New report from {point}: {reference}").format(point=point, reference=event.reference)
    Notification.objects.bulk_create([
        Notification(organization=point.organization, recipient_id=user_id, title=title[:255],
                     body=event.title, url=event.get_absolute_url())
        for user_id in recipients
    ])
