"""An audit's checklist: its questions, their answers and the photos taken as evidence."""

import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audits.choices import AnswerResult, QuestionSource
from qse.models import ScopedModel
from qse.querysets import OwnershipRule
from qse.standards import Standard


@pghistory.track()
class AuditQuestion(ScopedModel):
    """One question of an audit's checklist, copied from a bank or written for the audit."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="questions",
                              verbose_name=_("audit"))
    position = models.PositiveIntegerField(_("position"), default=0)
    standard = models.CharField(_("standard"), max_length=20, choices=Standard.choices, blank=True)
    clause = models.CharField(_("clause"), max_length=20, blank=True)
    text = models.TextField(_("question"))
    guidance = models.TextField(_("guidance"), blank=True, help_text=_("What to look at, whom to ask."))
    source = models.CharField(_("source"), max_length=20, choices=QuestionSource.choices,
                              default=QuestionSource.ADDED)
    bank_reference = models.CharField(_("bank reference"), max_length=80, blank=True)

    site_field = "audit__site"
    ownership = OwnershipRule("audit__lead_auditor", "audit__auditors")

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = ["audit", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.clause} {self.text[:60]}".strip()


@pghistory.track()
class AuditAnswer(ScopedModel):
    """The answer to one question. ``version`` (from ScopedModel) is the base an offline
    change names, so a change made on a tablet against an older answer is a conflict."""

    question = models.OneToOneField(AuditQuestion, on_delete=models.CASCADE, related_name="answer",
                                    verbose_name=_("question"))
    result = models.CharField(_("result"), max_length=20, choices=AnswerResult.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.TextField(_("evidence seen"), blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="audit_answers", verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    site_field = "question__audit__site"
    ownership = OwnershipRule("question__audit__lead_auditor", "question__audit__auditors")

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")

    def __str__(self) -> str:
        return f"{self.question}: {self.get_result_display()}"


def photo_path(photo: "AuditPhoto", filename: str) -> str:
    return f"audits/{photo.organization_id}/{photo.uuid}.jpg"


@pghistory.track()
class AuditPhoto(ScopedModel):
    """A photo taken as evidence on a question. Its id is chosen by the device that took it,
    under a unique constraint, so an upload replayed after a lost response is stored once."""

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    question = models.ForeignKey(AuditQuestion, on_delete=models.CASCADE, related_name="photos",
                                 verbose_name=_("question"))
    image = models.FileField(_("photo"), upload_to=photo_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    bytes = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    # The id of the device's removal that archived this photo: a removal sent again is known.
    removal_id = models.UUIDField(_("removal identifier"), null=True, blank=True, unique=True, editable=False)

    site_field = "question__audit__site"
    ownership = OwnershipRule("question__audit__lead_auditor", "question__audit__auditors")

    class Meta:
        verbose_name = _("audit photo")
        verbose_name_plural = _("audit photos")
        ordering = ["taken_at", "pk"]

    def __str__(self) -> str:
        return self.caption or str(self.uuid)
