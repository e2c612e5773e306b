"""Every write on documents under control: versions and their frozen files, the signatures
that review and approve them, and the read acknowledgements of the distribution list.

Steps follow ``improvement.services``: lock the row, check the version, apply the guards,
write; so two clicks (or two people) never both pass a guard only one of them should.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils.translation import gettext as _

from compliance.choices import SignatureMeaning, VersionStatus
from compliance.models import (
    ControlledDocument,
    DocumentSignature,
    DocumentVersion,
    ReadAcknowledgement,
)
from compliance.scheduling import add_months
from qse.attachments import check_upload
from qse.services import (
    ConflictError,
    ensure_can,
    object_archive,
    object_bump,
    object_create,
    object_update,
    recorded,
)
from qse.tenancy import current_organization

IN_PREPARATION = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)


def _locked(version: DocumentVersion, expected_version: int | None) -> DocumentVersion:
    current = DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current)
    return current


def document_version_create(*, acting_user, data: dict) -> DocumentVersion:
    """Start the next version of a document (numbered after the last one). One version is in
    preparation at a time; the approved one stays current until the new one is approved."""
    ensure_can(acting_user, "add", DocumentVersion)
    document = data["document"]
    with recorded(acting_user):
        ControlledDocument.objects.select_for_update().filter(pk=document.pk).values_list("pk").get()
        versions = DocumentVersion.objects.filter(document=document, archived_at__isnull=True)
        pending = versions.filter(status__in=IN_PREPARATION).first()
        if pending is not None:
            raise ValidationError(
                _("Version {number} of this document is already in preparation.").format(number=pending.number)
            )
        last = DocumentVersion.objects.filter(document=document).aggregate(n=Max("number"))["n"] or 0
        return object_create(model=DocumentVersion, acting_user=acting_user, data=data, number=last + 1)


def document_version_update(*, version: DocumentVersion, acting_user, data: dict, expected_version: int | None):
    """Edit a draft; a version in review, approved or obsolete is frozen."""
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be edited: create a new version instead."))
    if "document" in data and data["document"] != version.document:
        raise ValidationError(_("A version stays with its document."))
    return object_update(obj=version, acting_user=acting_user, data=data, expected_version=expected_version)


def document_version_archive(*, version: DocumentVersion, acting_user, reason: str = "") -> DocumentVersion:
    """Withdraw a draft. Approved and obsolete versions are kept and stay retrievable."""
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be withdrawn: approved and obsolete versions are kept."))
    return object_archive(obj=version, acting_user=acting_user, reason=reason)


def document_version_attach_file(*, version: DocumentVersion, acting_user, upload, expected_version: int | None = None):
    """Put (or replace) the file of a draft, checked by content and size. Once the version
    leaves the draft stage its file is frozen: a change is a new version."""
    with recorded(acting_user):
        current = _locked(version, expected_version)
        ensure_can(acting_user, "change", current)
        if current.status != VersionStatus.DRAFT:
            raise ValidationError(
                _("The file of a version in review, approved or obsolete cannot be replaced: create a new version.")
            )
        checked = check_upload(upload.read(), upload.name)
        current.file.save(upload.name, ContentFile(checked.content), save=False)
        return object_bump(
            obj=current, acting_user=acting_user, expected_version=None, file=current.file.name,
            file_name=upload.name[-255:], file_type=checked.mime_type, file_size=len(checked.content),
            file_sha256=checked.sha256,
        )


def document_version_submit(*, version: DocumentVersion, acting_user, expected_version: int | None = None):
    """Send a draft for review (and approval): its file is frozen from now on."""
    with recorded(acting_user):
        current = _locked(version, expected_version)
        ensure_can(acting_user, "change", current)
        if current.status != VersionStatus.DRAFT:
            raise ValidationError(_("Only a draft can be sent for review."))
        if not current.file:
            raise ValidationError(_("Attach the version's file before sending it for review."))
        return object_bump(obj=current, acting_user=acting_user, expected_version=None, status=VersionStatus.IN_REVIEW)


def _is_reviewed(version: DocumentVersion) -> bool:
    """Reviewed since it was last sent back (a rejection asks for a new review)."""
    signatures = list(version.signatures.order_by("signed_at", "pk").values_list("meaning", flat=True))
    last_rejection = max((i for i, meaning in enumerate(signatures) if meaning == SignatureMeaning.REJECTED), default=-1)
    return SignatureMeaning.REVIEWED in signatures[last_rejection + 1:]


def _sign_guard(current: DocumentVersion, acting_user, meaning: str, comment: str) -> None:
    if current.status != VersionStatus.IN_REVIEW:
        raise ValidationError(_("Only a version in review can be signed."))
    if meaning == SignatureMeaning.REVIEWED:
        if current.reviewer_id != acting_user.pk:
            raise PermissionDenied(_("Only the reviewer named on this version can sign its review."))
        if _is_reviewed(current):
            raise ValidationError(_("This version is already reviewed."))
    elif meaning == SignatureMeaning.APPROVED:
        if current.approver_id != acting_user.pk:
            raise PermissionDenied(_("Only the approver named on this version can approve it."))
        if current.reviewer_id and not _is_reviewed(current):
            raise ValidationError(_("The reviewer must sign before the approval."))
    elif meaning == SignatureMeaning.REJECTED:
        if acting_user.pk not in (current.reviewer_id, current.approver_id):
            raise PermissionDenied(_("Only the reviewer or the approver can send this version back."))
        if not comment.strip():
            raise ValidationError({"comment": _("Say what must change.")})
    else:
        raise ValidationError(_("Unknown signature meaning."))


def document_version_sign(
    *, version: DocumentVersion, acting_user, meaning: str, comment: str = "", now: datetime.datetime,
    expected_version: int | None = None,
) -> DocumentSignature:
    """Record a signature (who, when, meaning). The approval makes the version current, the
    previous approved one obsolete, and sets the document's next review; a rejection sends
    the version back to draft."""
    with recorded(acting_user, comment):
        current = _locked(version, expected_version)
        ensure_can(acting_user, "view", current)
        _sign_guard(current, acting_user, meaning, comment)
        signature = DocumentSignature.objects.create(
            organization=current_organization(), created_by=acting_user, document_version=current,
            signer=acting_user, meaning=meaning, signed_at=now, comment=comment,
        )
        if meaning == SignatureMeaning.APPROVED:
            _approve(current, acting_user=acting_user, now=now)
        elif meaning == SignatureMeaning.REJECTED:
            object_bump(obj=current, acting_user=acting_user, expected_version=None, status=VersionStatus.DRAFT)
        else:
            object_bump(obj=current, acting_user=acting_user, expected_version=None)  # a new state: a new version number
    return signature


def _approve(current: DocumentVersion, *, acting_user, now: datetime.datetime) -> None:
    previous = DocumentVersion.objects.select_for_update().filter(document=current.document, status=VersionStatus.APPROVED)
    for old in previous:
        object_bump(obj=old, acting_user=acting_user, expected_version=None, status=VersionStatus.OBSOLETE, obsolete_at=now)
    object_bump(obj=current, acting_user=acting_user, expected_version=None, status=VersionStatus.APPROVED, approved_at=now)
    document = ControlledDocument.objects.select_for_update().get(pk=current.document_id)
    object_bump(obj=document, acting_user=acting_user, expected_version=None,
                review_due_on=add_months(now.date(), document.review_months))


def document_version_acknowledge(*, version: DocumentVersion, acting_user, now: datetime.datetime) -> ReadAcknowledgement:
    """A person of the distribution list records that they read the approved version (once:
    a second click returns the first acknowledgement)."""
    ensure_can(acting_user, "view", version)
    with recorded(acting_user):
        current = _locked(version, None)
        if current.status != VersionStatus.APPROVED:
            raise ValidationError(_("Only the approved version of a document is acknowledged."))
        if not current.document.distribution.filter(pk=acting_user.pk).exists():
            raise PermissionDenied(_("You are not on this document's distribution list."))
        acknowledgement, _created = ReadAcknowledgement.objects.get_or_create(
            document_version=current, reader=acting_user,
            defaults={"organization": current_organization(), "created_by": acting_user, "acknowledged_at": now},
        )
    return acknowledgement
