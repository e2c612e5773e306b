"""The greenhouse-gas inventory: emission factors kept per organization (versioned by year,
with their source), a yearly inventory per organization or site, its activity data, and
the results of each calculation (earlier calculations are kept, never overwritten)."""

import pghistory
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models import ScopedModel
from risks.ghg import ActivityKind


@pghistory.track()
class EmissionFactor(ScopedModel):
    """kg CO2e per unit of an activity, from a named source and year. A newer edition of a
    factor is a new row with the same code and a later year."""

    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    activity = models.CharField(_("activity"), max_length=30, choices=ActivityKind.choices)
    unit = models.CharField(_("unit"), max_length=20, help_text=_("The unit of the activity: kWh, L, kg, t, km..."))
    value = models.DecimalField(_("kg CO2e per unit"), max_digits=16, decimal_places=6,
                                validators=[MinValueValidator(0)])
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    source = models.CharField(_("source"), max_length=300)
    is_verified = models.BooleanField(_("checked against its source"), default=False)

    class Meta:
        verbose_name = _("emission factor")
        verbose_name_plural = _("emission factors")
        ordering = ["code", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code", "year"], name="emissionfactor_one_per_year",
                                    violation_error_message=_("This factor already has an edition for this year.")),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.year})"

    @property
    def label(self) -> str:
        """The library's translated name for a starter factor, else the name typed in."""
        from risks.environment_library import library_factors
        from risks.library import localized

        entry = library_factors().get(self.code)
        return localized(entry["label"]) if entry and entry["unit"] == self.unit else self.name

    def get_absolute_url(self) -> str:
        return reverse("risks:emissionfactor_detail", args=[self.pk])


@pghistory.track()
class GhgInventory(ScopedModel):
    """The greenhouse-gas inventory of a year, for the whole organization or one site."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="ghg_inventories", verbose_name=_("site"),
                             help_text=_("Empty: the whole organization"))
    notes = models.TextField(_("notes"), blank=True)
    calculation = models.PositiveIntegerField(_("calculation"), default=0, editable=False)
    calculated_at = models.DateTimeField(_("calculated at"), null=True, editable=False)

    site_field = "site"

    class Meta:
        verbose_name = _("greenhouse-gas inventory")
        verbose_name_plural = _("greenhouse-gas inventories")
        ordering = ["-year", "site__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "site", "year"], nulls_distinct=False,
                                    name="ghginventory_one_per_site_and_year",
                                    violation_error_message=_("There is already an inventory of this year for this scope.")),
        ]

    def __str__(self) -> str:
        where = self.site.name if self.site_id else _("whole organization")
        return _("GHG inventory {year} · {where}").format(year=self.year, where=where)

    def get_absolute_url(self) -> str:
        return reverse("risks:ghginventory_detail", args=[self.pk])


@pghistory.track()
class GhgActivity(ScopedModel):
    """An activity datum of an inventory entered by hand: fuel of the vehicles, a refrigerant
    topped up, tonnes of purchased steel, freight... (consumptions come from the meters and
    waste from the waste register at calculation)."""

    inventory = models.ForeignKey(GhgInventory, on_delete=models.PROTECT, related_name="activities",
                                  verbose_name=_("inventory"))
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3, validators=[MinValueValidator(0)])
    factor = models.ForeignKey(EmissionFactor, on_delete=models.PROTECT, related_name="activities",
                               verbose_name=_("emission factor"),
                               help_text=_("The quantity is in the factor's unit"))

    site_field = "inventory__site"

    class Meta:
        verbose_name = _("GHG activity datum")
        verbose_name_plural = _("GHG activity data")
        ordering = ["inventory", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.description} · {self.quantity}"

    def get_absolute_url(self) -> str:
        return reverse("risks:ghgactivity_detail", args=[self.pk])


class ResultSource(models.TextChoices):
    METER = "meter", _("Meter")
    ACTIVITY = "activity", _("Activity datum")
    WASTE = "waste", _("Waste register")


@pghistory.track()
class GhgResult(ScopedModel):
    """One line of one calculation of an inventory, with the factor as it was used: a later
    calculation adds new lines and leaves these as they are."""

    inventory = models.ForeignKey(GhgInventory, on_delete=models.CASCADE, related_name="results",
                                  verbose_name=_("inventory"))
    calculation = models.PositiveIntegerField(_("calculation"))
    scope = models.PositiveSmallIntegerField(_("scope"))
    item = models.CharField(_("BEGES item"), max_length=4)
    source = models.CharField(_("source"), max_length=10, choices=ResultSource.choices)
    label = models.CharField(_("label"), max_length=300)
    emission_site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, null=True, related_name="+",
                                      verbose_name=_("site of the emission"))
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=20)
    factor_code = models.CharField(_("factor"), max_length=60)
    factor_value = models.DecimalField(_("kg CO2e per unit"), max_digits=16, decimal_places=6)
    factor_year = models.PositiveSmallIntegerField(_("factor year"))
    factor_source = models.CharField(_("factor source"), max_length=300)
    kg_co2e = models.DecimalField(_("kg CO2e"), max_digits=18, decimal_places=3)

    site_field = "inventory__site"

    class Meta:
        verbose_name = _("GHG result")
        verbose_name_plural = _("GHG results")
        ordering = ["inventory", "calculation", "item", "pk"]
        indexes = [models.Index(fields=["organization", "inventory", "calculation"])]

    def __str__(self) -> str:
        return f"{self.item} · {self.label}"
