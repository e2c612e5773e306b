"""Attachment service: files are added to a record by who may change it, while it is open."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from qse.attachments import check_upload
from qse.models import Attachment
from qse.permissions import can
from qse.services import recorded
from qse.tenancy import current_organization


def evidence_refusal(target) -> str:
    """Why no file may be added to this record now, or "" when one may.

    A model declares ``closed_statuses`` (the statuses that end its life) and, when its
    workflow still wants evidence after that (an action done, awaiting its effectiveness
    check), ``accepts_evidence_after_closure`` (a boolean or a method of the record).
    """
    if getattr(target, "archived_at", None):
        return _("This record is archived: no file can be added to it.")
    closed = getattr(type(target), "closed_statuses", ())
    if getattr(target, "status", None) in closed and not _accepts_after_closure(target):
        return _("This record is closed: no file can be added to it.")
    return ""


def _accepts_after_closure(target) -> bool:
    accepts = getattr(target, "accepts_evidence_after_closure", False)
    return bool(accepts() if callable(accepts) else accepts)


def may_attach(user, target) -> bool:
    """Whether the page offers the upload form: the record is open and the user may change it."""
    return not evidence_refusal(target) and can(user, "change", target)


def attachment_create(*, target, upload, caption: str, acting_user) -> Attachment:
    """Check the file by content and attach it to a record the user may change."""
    refusal = evidence_refusal(target)
    if refusal:
        raise PermissionDenied(refusal)
    if not can(acting_user, "change", target):
        raise PermissionDenied(_("You may not add files to this record."))
    checked = check_upload(upload.read(), upload.name)
    with recorded(acting_user):
        attachment = Attachment(
            organization=current_organization(),
            created_by=acting_user,
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            original_name=upload.name[-255:],
            mime_type=checked.mime_type,
            size=len(checked.content),
            sha256=checked.sha256,
            caption=caption[:255],
            uploaded_by=acting_user,
        )
        attachment.file.save(upload.name, ContentFile(checked.content), save=False)
        attachment.save()
    return attachment
