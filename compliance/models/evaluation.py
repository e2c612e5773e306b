"""Compliance evaluations: per requirement and site, the verdict, its evidence (attachments),
who evaluated, when, and when the next evaluation is due."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compliance.choices import ComplianceStatus
from qse.models import ScopedModel


@pghistory.track()
class Evaluation(ScopedModel):
    """One evaluation of a requirement on a site. Every evaluation is kept; the latest one per
    requirement and site is the current verdict (``is_current``, kept by the service).

    Its evidence files are attachments; a non-compliance leads to an action (``improvement.
    Action`` whose origin is this evaluation)."""

    requirement = models.ForeignKey("compliance.Requirement", on_delete=models.PROTECT, related_name="evaluations",
                                    verbose_name=_("requirement"))
    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, related_name="compliance_evaluations",
                             verbose_name=_("site"))
    status = models.CharField(_("status"), max_length=20, choices=ComplianceStatus.choices,
                              default=ComplianceStatus.TO_VERIFY)
    evaluated_on = models.DateField(_("evaluated on"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="compliance_evaluations", verbose_name=_("evaluator"))
    findings = models.TextField(_("findings and evidence seen"), blank=True)
    next_due_on = models.DateField(_("next evaluation due"), null=True, blank=True,
                                   help_text=_("Left empty: from the requirement's interval."))
    is_current = models.BooleanField(_("current"), default=True, editable=False)
    needs_reevaluation = models.BooleanField(_("to re-evaluate (text changed)"), default=False)

    site_field = "site"

    class Meta:
        verbose_name = _("compliance evaluation")
        verbose_name_plural = _("compliance evaluations")
        ordering = ["-evaluated_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "requirement", "site"], condition=Q(is_current=True),
                name="compliance_one_current_evaluation",
            ),
            models.CheckConstraint(
                condition=Q(next_due_on__isnull=True) | Q(next_due_on__gt=models.F("evaluated_on")),
                name="compliance_next_due_after_evaluation",
                violation_error_message=_("The next evaluation must come after this one."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "is_current", "next_due_on"]),
            # The register and its API page by the latest evaluation first: read in this order,
            # a page stops at its rows instead of sorting every evaluation.
            models.Index(fields=["organization", "evaluated_on", "id"], name="evaluation_org_evaluated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} · {self.site} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:evaluation_detail", args=[self.pk])

    @property
    def is_gap(self) -> bool:
        return self.status in (ComplianceStatus.NON_COMPLIANT, ComplianceStatus.PARTIAL)
