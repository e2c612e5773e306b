"""Attachment service."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from qse.attachments import check_upload
from qse.models import Attachment
from qse.services import ensure_can, recorded
from qse.tenancy import current_organization


def attachment_create(*, target, upload, caption: str, acting_user) -> Attachment:
    """Check the file by content and attach it to a record the user may see."""
    ensure_can(acting_user, "add", Attachment)
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
