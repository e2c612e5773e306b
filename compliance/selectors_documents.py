"""Reads of documents under control: registers, the current version, who has read it, and
what a person still has to read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch

from compliance.choices import VersionStatus
from compliance.models import (
    ControlledDocument,
    DocumentSignature,
    DocumentVersion,
    ReadAcknowledgement,
)
from compliance.scheduling import REVIEW_NOTICE_DAYS


def document_queryset():
    """Documents with their owner, site and current (approved) version, in three queries."""
    current = DocumentVersion.objects.filter(status=VersionStatus.APPROVED, archived_at__isnull=True)
    return ControlledDocument.objects.select_related("owner", "site").prefetch_related(
        Prefetch("versions", queryset=current, to_attr="approved_versions")
    )


def version_queryset():
    return DocumentVersion.objects.select_related("document", "author", "reviewer", "approver")


def versions_of(document: ControlledDocument, *, user):
    """Every version of a document, the newest first; obsolete ones stay listed (and marked)."""
    return version_queryset().restrict(user, "view").filter(document=document, archived_at__isnull=True).order_by("-number")


def signatures_of(version: DocumentVersion):
    """The recorded signatures of a version, oldest first (the caller holds the version)."""
    return DocumentSignature.objects.filter(document_version=version).select_related("signer").order_by("signed_at", "pk")


@dataclass
class Reader:
    user: object
    acknowledged_at: datetime.datetime | None


def reading_status(version: DocumentVersion) -> list[Reader]:
    """Each person of the distribution list and when they read this version (None: not yet),
    those who have not read it first. Two queries whatever the list's length."""
    acknowledged = dict(
        ReadAcknowledgement.objects.filter(document_version=version).values_list("reader_id", "acknowledged_at")
    )
    people = version.document.distribution.order_by("last_name", "first_name", "username")
    readers = [Reader(person, acknowledged.get(person.pk)) for person in people]
    return sorted(readers, key=lambda r: r.acknowledged_at is not None)


def documents_to_read(*, user):
    """The approved versions distributed to ``user`` that they have not acknowledged yet."""
    read = ReadAcknowledgement.objects.filter(document_version=OuterRef("pk"), reader=user)
    return (
        version_queryset().restrict(user, "view")
        .filter(status=VersionStatus.APPROVED, archived_at__isnull=True, document__archived_at__isnull=True,
                document__distribution=user)
        .filter(~Exists(read)).order_by("-approved_at", "pk")
    )


def documents_review_due(*, user, today: datetime.date):
    """Documents whose review is due within the notice period or late, the latest first."""
    horizon = today + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    return (
        document_queryset().restrict(user, "view")
        .filter(archived_at__isnull=True, review_due_on__lte=horizon).order_by("review_due_on", "pk")
    )

