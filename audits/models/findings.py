"""Findings: a nonconforming answer and the event that treats it (nonconformities/)."""

import pghistory
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audits.choices import AnswerResult
from qse.models import ScopedModel
from qse.querysets import OwnershipRule


@pghistory.track()
class Finding(ScopedModel):
    """One nonconforming answer of an audit, linked to the event (type audit finding) that
    carries its analysis and actions. One finding per answer: collecting again changes nothing."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="findings",
                              verbose_name=_("audit"))
    answer = models.OneToOneField("audits.AuditAnswer", on_delete=models.CASCADE, related_name="finding",
                                  verbose_name=_("answer"))
    event = models.ForeignKey("nonconformities.Event", on_delete=models.PROTECT, related_name="audit_findings",
                              verbose_name=_("event"))
    result = models.CharField(_("result"), max_length=20, choices=AnswerResult.choices)
    standard = models.CharField(_("standard"), max_length=20, blank=True)
    clause = models.CharField(_("clause"), max_length=20, blank=True)

    site_field = "audit__site"
    ownership = OwnershipRule("audit__lead_auditor", "audit__auditors")

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["audit", "clause", "pk"]

    def __str__(self) -> str:
        return f"{self.clause} {self.get_result_display()}".strip()

    def get_absolute_url(self) -> str:
        return reverse("audits:audit_detail", args=[self.audit_id])
