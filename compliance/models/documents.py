"""Documents under control (ISO 9001/14001/45001 7.5): procedures, instructions, forms and
records, their versions (draft, in review, approved, obsolete), the signatures that approve
them and the read acknowledgements of the people they are distributed to."""

import uuid

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compliance.choices import DocumentKind, SignatureMeaning, VersionStatus
from qse.models import ScopedModel


def version_file_path(instance: "DocumentVersion", filename: str) -> str:
    # Never the uploaded name: no path tricks, no guessable URL.
    return f"documents/{instance.organization_id}/{uuid.uuid4().hex}"


@pghistory.track()
class ControlledDocument(ScopedModel):
    """A document under control; its current version is its approved one."""

    reference = models.CharField(_("reference"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="controlled_documents",
        verbose_name=_("document owner"),
    )
    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="controlled_documents",
        verbose_name=_("site"), help_text=_("Leave empty for a document of every site."),
    )
    processes = models.ManyToManyField(
        "qse.Process", blank=True, related_name="controlled_documents", verbose_name=_("processes")
    )
    risks = models.ManyToManyField("risks.Risk", blank=True, related_name="controlled_documents", verbose_name=_("risks"))
    occupational_risks = models.ManyToManyField(
        "risks.OccupationalRisk", blank=True, related_name="controlled_documents", verbose_name=_("occupational risks")
    )
    requirements = models.ManyToManyField(
        "compliance.Requirement", blank=True, related_name="controlled_documents", verbose_name=_("requirements")
    )
    distribution = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="distributed_documents",
        verbose_name=_("distribution list"), help_text=_("The people who must read each approved version."),
    )
    review_months = models.PositiveSmallIntegerField(
        _("review period (months)"), default=24, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    review_due_on = models.DateField(
        _("review due on"), null=True, blank=True, help_text=_("Set again at each approval from the review period."),
    )

    site_field = "site"

    class Meta:
        verbose_name = _("controlled document")
        verbose_name_plural = _("controlled documents")
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="controlled_document_reference_unique",
                violation_error_message=_("Another document already has this reference."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:controlleddocument_detail", args=[self.pk])


@pghistory.track()
class DocumentVersion(ScopedModel):
    """One version of a document. Its file may be replaced while it is a draft; once in
    review, approved or obsolete the file is frozen (a change is a new version)."""

    document = models.ForeignKey(
        ControlledDocument, on_delete=models.PROTECT, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version number"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT, editable=False
    )
    change_summary = models.TextField(_("what changed"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_document_versions",
        verbose_name=_("author"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="reviewed_document_versions", verbose_name=_("reviewer"),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approved_document_versions",
        verbose_name=_("approver"),
    )
    file = models.FileField(_("file"), upload_to=version_file_path, max_length=255, blank=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    file_type = models.CharField(_("file type"), max_length=100, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True, editable=False)
    file_sha256 = models.CharField(_("file fingerprint (SHA-256)"), max_length=64, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    obsolete_at = models.DateTimeField(_("obsolete since"), null=True, blank=True, editable=False)

    site_field = "document__site"
    # Approved and obsolete versions take no more files (qse.uploads.evidence_refusal).
    closed_statuses = (VersionStatus.APPROVED, VersionStatus.OBSOLETE)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document__reference", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number_unique"),
            # One current version: the database refuses a second approved one.
            models.UniqueConstraint(
                fields=["document"], condition=Q(status="approved"), name="document_one_approved_version",
                violation_error_message=_("This document already has an approved version."),
            ),
        ]

    def __str__(self) -> str:
        return _("{reference} v{number}").format(reference=self.document.reference, number=self.number)

    def get_absolute_url(self) -> str:
        return reverse("compliance:documentversion_detail", args=[self.pk])

    def get_file_url(self) -> str:
        return reverse("compliance:documentversion_file", args=[self.pk])


@pghistory.track()
class DocumentSignature(ScopedModel):
    """A recorded signature on a version: who, when, and what it means (reviewed, approved,
    sent back). Written only by the signer's step; nobody edits or removes it."""

    document_version = models.ForeignKey(
        DocumentVersion, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("document version")
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="document_signatures", verbose_name=_("signer")
    )
    meaning = models.CharField(_("meaning"), max_length=20, choices=SignatureMeaning.choices)
    signed_at = models.DateTimeField(_("signed at"))
    comment = models.TextField(_("comment"), blank=True)

    site_field = "document_version__document__site"

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.document_version} · {self.get_meaning_display()}"

    def get_absolute_url(self) -> str:
        return self.document_version.get_absolute_url()


@pghistory.track()
class ReadAcknowledgement(ScopedModel):
    """A person of the distribution list has read an approved version (once per version)."""

    document_version = models.ForeignKey(
        DocumentVersion, on_delete=models.PROTECT, related_name="acknowledgements", verbose_name=_("document version")
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="read_acknowledgements", verbose_name=_("reader")
    )
    acknowledged_at = models.DateTimeField(_("read on"))

    site_field = "document_version__document__site"

    class Meta:
        verbose_name = _("read acknowledgement")
        verbose_name_plural = _("read acknowledgements")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_version", "reader"], name="read_acknowledgement_once",
                violation_error_message=_("You have already acknowledged this version."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_version} · {self.reader}"

    def get_absolute_url(self) -> str:
        return self.document_version.get_absolute_url()
