"""PDF reports generated in the background (Celery queue "pdf")."""

import uuid

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models.base import ScopedModel
from qse.querysets import OwnershipRule


def report_path(instance: "GeneratedReport", filename: str) -> str:
    # A random name: the URL of a file is never guessable from the record it describes.
    return f"reports/{instance.organization_id}/{uuid.uuid4().hex}.pdf"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


@pghistory.track()
class GeneratedReport(ScopedModel):
    """One PDF asked for by a user about one record, rendered by a Celery task.

    Its content is built with the requester's rights, so only the requester reads it back,
    unless its kind is shared: a content that cannot differ by reader (a published DUERP
    version, read from its frozen snapshot) is read by whoever may view the record.

    ``dedupe_key`` names the content (kind, record, language, reader, content version) while
    the report may still answer a second request for the same content; it is unique, so a
    double click makes one report whatever the race. It is cleared when the report fails,
    or finishes without a content version (see ``qse.reports``).
    """

    kind = models.CharField(_("kind"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="generated_reports",
        verbose_name=_("requested by"),
    )
    language = models.CharField(_("language"), max_length=10, default="fr")
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    file = models.FileField(_("file"), upload_to=report_path, max_length=255, blank=True)
    page_count = models.PositiveIntegerField(_("page count"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    is_shared = models.BooleanField(_("shared"), default=False, editable=False)
    dedupe_key = models.CharField(max_length=64, null=True, blank=True, editable=False)

    ownership = OwnershipRule("requested_by")

    class Meta:
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_max_100"),
            models.UniqueConstraint(fields=["organization", "dedupe_key"], name="report_one_per_content"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"

    def get_absolute_url(self) -> str:
        return reverse("qse:report_status", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {ReportStatus.DONE, ReportStatus.FAILED}
