"""The integrated register of risks and opportunities (quality, safety, environment)."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models import ScopedModel
from qse.querysets import OwnershipRule
from risks.choices import Domain, RiskKind, RiskSource, RiskStatus, Treatment


def _level_field(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


@pghistory.track()
class Risk(ScopedModel):
    """A risk or an opportunity, assessed before (inherent) and after (residual) treatment.

    Scores and levels are derived by the services from the matrix (``risks.scoring``) and
    stored, so lists sort and dashboards aggregate in SQL.
    """

    reference = models.CharField(_("reference"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=RiskKind.choices, default=RiskKind.RISK)
    domains = ArrayField(
        models.CharField(max_length=1, choices=Domain.choices), verbose_name=_("domains"), default=list,
    )
    process = models.ForeignKey(
        "qse.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="risks",
        verbose_name=_("process"),
    )
    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="risks", verbose_name=_("site"),
    )
    source = models.CharField(_("source"), max_length=20, choices=RiskSource.choices, default=RiskSource.OTHER)
    source_detail = models.CharField(_("source detail"), max_length=255, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    consequence = models.TextField(_("consequence"), blank=True)
    existing_controls = models.TextField(_("existing controls"), blank=True)
    matrix = models.ForeignKey(
        "risks.RiskMatrix", on_delete=models.PROTECT, related_name="risks", verbose_name=_("matrix"),
    )
    inherent_gravity = models.PositiveSmallIntegerField(_("inherent gravity"))
    inherent_probability = models.PositiveSmallIntegerField(_("inherent probability"))
    inherent_detectability = _level_field(_("inherent detectability"))
    inherent_score = models.PositiveIntegerField(_("inherent score"), editable=False)
    inherent_level = models.CharField(_("inherent level"), max_length=30, editable=False)
    treatment = models.CharField(_("treatment"), max_length=20, choices=Treatment.choices, blank=True)
    treatment_justification = models.TextField(_("treatment justification"), blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="accepted_risks",
        verbose_name=_("accepted by"),
    )
    residual_gravity = _level_field(_("residual gravity"))
    residual_probability = _level_field(_("residual probability"))
    residual_detectability = _level_field(_("residual detectability"))
    residual_score = models.PositiveIntegerField(_("residual score"), null=True, blank=True, editable=False)
    residual_level = models.CharField(_("residual level"), max_length=30, blank=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_risks", verbose_name=_("owner"),
    )
    next_review_on = models.DateField(_("next review date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)

    site_field = "site"
    ownership = OwnershipRule("owner", "process__owner")
    # A closed risk takes no more evidence (qse.uploads.evidence_refusal).
    closed_statuses = (RiskStatus.CLOSED,)

    class Meta:
        verbose_name = _("risk or opportunity")
        verbose_name_plural = _("risks and opportunities")
        ordering = ["reference", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "inherent_score"]),
            models.Index(fields=["matrix", "inherent_gravity", "inherent_probability"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="risk_reference_unique_per_organization",
                violation_error_message=_("Another risk or opportunity already has this reference."),
            ),
            models.CheckConstraint(
                condition=~Q(treatment=Treatment.ACCEPT) | (Q(accepted_by__isnull=False) & ~Q(treatment_justification="")),
                name="risk_acceptance_is_justified_and_approved",
                violation_error_message=_("Accepting a risk needs a justification and an approver."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:risk_detail", args=[self.pk])
