"""The occupational-risk assessment (Document unique, DUERP): work units, their risks, and
the published versions, each an immutable dated snapshot kept for 40 years."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models import ScopedModel

# What a published version is; any change to these is refused by the database itself.
FROZEN_FIELDS = ["organization", "number", "published_on", "published_by", "snapshot", "created_at"]


@pghistory.track()
class WorkUnit(ScopedModel):
    """A group of workstations sharing the same exposures (the DUERP's unit of assessment)."""

    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, related_name="work_units", verbose_name=_("site"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), default=0)

    site_field = "site"

    class Meta:
        verbose_name = _("work unit")
        verbose_name_plural = _("work units")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risks:workunit_detail", args=[self.pk])


@pghistory.track()
class OccupationalRisk(ScopedModel):
    """A hazard of a work unit (a family of the INRS list), its exposure and its cotation.

    Score and level are derived by the services from the matrix (``risks.scoring``).
    """

    work_unit = models.ForeignKey(
        "risks.WorkUnit", on_delete=models.PROTECT, related_name="occupational_risks", verbose_name=_("work unit"),
    )
    hazard_family = models.CharField(_("hazard family"), max_length=50)
    situation = models.TextField(_("hazardous situation"))
    exposed_workers = models.PositiveIntegerField(_("exposed workers"), default=0)
    existing_measures = models.TextField(_("existing prevention measures"), blank=True)
    matrix = models.ForeignKey(
        "risks.RiskMatrix", on_delete=models.PROTECT, related_name="occupational_risks", verbose_name=_("matrix"),
    )
    gravity = models.PositiveSmallIntegerField(_("gravity"))
    probability = models.PositiveSmallIntegerField(_("probability"))
    score = models.PositiveIntegerField(_("score"), editable=False)
    level = models.CharField(_("level"), max_length=30, editable=False)

    site_field = "work_unit__site"

    class Meta:
        verbose_name = _("occupational risk")
        verbose_name_plural = _("occupational risks")
        ordering = ["work_unit__name", "-score", "pk"]
        indexes = [models.Index(fields=["organization", "hazard_family", "level"])]

    def __str__(self) -> str:
        from risks.duerp import hazard_label

        return f"{self.work_unit} · {hazard_label(self.hazard_family)}"

    def get_absolute_url(self) -> str:
        return reverse("risks:occupationalrisk_detail", args=[self.pk])


@pghistory.track()
class DuerpVersion(ScopedModel):
    """A published Document unique: the frozen content of every work unit and risk.

    Immutable once published (a trigger refuses any change to its content); it can only be
    archived, and its PDF attached.
    """

    number = models.PositiveIntegerField(_("version number"))
    published_on = models.DateField(_("published on"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="published_duerp_versions",
        verbose_name=_("published by"),
    )
    snapshot = models.JSONField(_("snapshot"), default=dict)
    pdf = models.ForeignKey(
        "qse.GeneratedReport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("PDF"),
    )

    class Meta:
        verbose_name = _("DUERP version")
        verbose_name_plural = _("DUERP versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="duerpversion_number_unique_per_organization",
                violation_error_message=_("This version number is already published."),
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="duerp_version_immutable", operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(*FROZEN_FIELDS),
            ),
        ]

    def __str__(self) -> str:
        return _("DUERP version {number}").format(number=self.number)

    def get_absolute_url(self) -> str:
        return reverse("risks:duerpversion_detail", args=[self.number])
