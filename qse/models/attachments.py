"""Evidence files and photos attached to any record."""

import uuid

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models.base import ScopedModel
from qse.querysets import ScopedQuerySet


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never reuses the uploaded one: no path tricks, no guessable URL.
    return f"attachments/{instance.organization_id}/{uuid.uuid4().hex}"


class AttachmentQuerySet(ScopedQuerySet):
    def _parent_rows(self, user, verb: str) -> models.Q:
        """Attachments whose record the user may see (``view``) or change (other verbs): one
        subquery per type of record that takes files, in one SQL query."""
        from qse.permissions import PARENT_VERBS
        from qse.registry import declarations

        parent_verb = PARENT_VERBS.get(verb, verb)
        content_types = ContentType.objects.get_for_models(*{d.model for d in declarations()})
        condition = models.Q(pk__in=[])
        for model, content_type in content_types.items():
            parents = model.objects.restrict(user, parent_verb).values("pk")
            condition |= models.Q(content_type=content_type, object_id__in=parents)
        return condition


@pghistory.track()
class Attachment(ScopedModel):
    """A file checked by content (type, size, image bombs) and stripped of EXIF location."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="attachments"
    )

    objects = AttachmentQuerySet.as_manager()
    # Seen, added and removed with the record it belongs to (``qse.permissions.can``).
    rights_from_parent = "target"

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    def get_absolute_url(self) -> str:
        return reverse("qse:attachment_download", args=[self.pk])
