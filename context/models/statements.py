"""What the organization states about itself: mission, vision, policy, scope (4.3, 5.2),
and its decision on climate change as an issue (4.1, 4.2 as amended in February 2024)."""

import pghistory
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from context.choices import PolicyKind
from qse.models import ScopedModel


@pghistory.track()
class PolicyStatement(ScopedModel):
    """One version of a mission, vision, QSE policy or scope statement.

    Versions are kept side by side (a new version is a new row); the current statement of
    a kind is its latest approved version.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=PolicyKind.choices)
    text = models.TextField(_("text"))
    version_number = models.PositiveIntegerField(_("version number"), default=1, editable=False)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="approved_policy_statements", verbose_name=_("approved by"),
    )
    covers_iso_9001 = models.BooleanField(_("covers ISO 9001 (quality)"), default=True)
    covers_iso_14001 = models.BooleanField(_("covers ISO 14001 (environment)"), default=True)
    covers_iso_45001 = models.BooleanField(_("covers ISO 45001 (health and safety)"), default=True)
    sites = models.ManyToManyField(
        "qse.Site", blank=True, related_name="policy_statements", verbose_name=_("sites in scope")
    )
    activities = models.TextField(_("activities"), blank=True)
    exclusions = models.TextField(_("justified exclusions"), blank=True)

    class Meta:
        verbose_name = _("policy statement")
        verbose_name_plural = _("policy statements")
        ordering = ["kind", "-version_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "version_number"], name="policy_statement_unique_version",
                violation_error_message=_("This version of the statement already exists."),
            ),
        ]

    def __str__(self) -> str:
        return _("{kind} v{number}").format(kind=self.get_kind_display(), number=self.version_number)

    def get_absolute_url(self) -> str:
        return reverse("context:policystatement_detail", args=[self.pk])

    @property
    def standards(self) -> list[str]:
        flags = (("ISO 9001", self.covers_iso_9001), ("ISO 14001", self.covers_iso_14001), ("ISO 45001", self.covers_iso_45001))
        return [name for name, covered in flags if covered]


@pghistory.track()
class ClimateDecision(ScopedModel):
    """The recorded decision on whether climate change is a relevant issue, reviewed yearly.

    Every decision is kept; the latest one is the organization's current position.
    """

    is_relevant = models.BooleanField(_("climate change is a relevant issue"))
    justification = models.TextField(_("justification"))
    physical_risks_considered = models.TextField(
        _("physical risks considered"), blank=True,
        help_text=_("Heat waves, floods, droughts, storms... and their effect on sites, people and supplies."),
    )
    transition_risks_considered = models.TextField(
        _("transition risks considered"), blank=True,
        help_text=_("Regulation, carbon price, customers' low-carbon requirements, technology, reputation."),
    )
    parties_requirements = models.TextField(_("interested parties' climate-related requirements"), blank=True)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="climate_decisions",
        verbose_name=_("decided by"),
    )
    next_review_on = models.DateField(_("next review on"), editable=False)

    class Meta:
        verbose_name = _("climate change decision")
        verbose_name_plural = _("climate change decisions")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_review_on__gt=models.F("decided_on")), name="climate_review_after_decision",
                violation_error_message=_("The next review must come after the decision."),
            ),
        ]

    def __str__(self) -> str:
        verdict = _("relevant") if self.is_relevant else _("not relevant")
        return _("Climate change {verdict} ({date})").format(verdict=verdict, date=self.decided_on)

    def get_absolute_url(self) -> str:
        return reverse("context:climatedecision_detail", args=[self.pk])
