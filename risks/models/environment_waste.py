"""The chronological register of waste leaving each site (environment code R541-43, order
of 31 May 2021) and the extracts of it handed to an inspector."""

import pghistory
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models import ScopedModel

SIREN = RegexValidator(r"^\d{9}$", _("A SIREN number has 9 digits."))
SIRET = RegexValidator(r"^\d{14}$", _("A SIRET number has 14 digits."))


class WasteUnit(models.TextChoices):
    TONNE = "t", _("tonnes")
    KILOGRAM = "kg", _("kilograms")
    CUBIC_METRE = "m3", _("cubic metres")


@pghistory.track()
class WasteRemoval(ScopedModel):
    """One removal of waste from a site: what left, how much, who carried it, where to and
    for which treatment, under which traceability document.

    ``is_hazardous`` (the list's asterisk), ``tonnes`` and ``converted_density`` are derived by the services
    (``risks.services_environment``), never typed in.
    """

    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, related_name="waste_removals", verbose_name=_("site"))
    removed_on = models.DateField(_("date of removal"))
    waste_code = models.CharField(_("waste code"), max_length=6, help_text=_("European list of wastes"))
    description = models.CharField(_("usual name of the waste"), max_length=200)
    is_hazardous = models.BooleanField(_("hazardous"), default=False, editable=False)
    is_pop = models.BooleanField(_("contains persistent organic pollutants"), default=False)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=2, choices=WasteUnit.choices, default=WasteUnit.TONNE)
    tonnes = models.DecimalField(_("tonnes"), max_digits=14, decimal_places=4, null=True, editable=False)
    # A volume counts in tonnes through a density: the one entered here, else the default of
    # the waste's code (risks/library/waste-densities.yaml); ``converted_density`` keeps the one
    # used, so the register and its figures show which tonnes were converted from m³.
    density = models.DecimalField(
        _("density (t/m³)"), max_digits=6, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("For a quantity in m³: tonnes per cubic metre. Empty: the default of the waste code, when there is one."),
    )
    converted_density = models.DecimalField(_("density used (t/m³)"), max_digits=6, decimal_places=3, null=True,
                                            editable=False)
    treatment_code = models.CharField(_("treatment operation"), max_length=3)
    carrier_name = models.CharField(_("carrier"), max_length=200)
    carrier_siren = models.CharField(_("carrier SIREN"), max_length=9, blank=True, validators=[SIREN])
    carrier_receipt = models.CharField(_("carrier receipt number"), max_length=60, blank=True,
                                       help_text=_("Declaration receipt of the carrier (R541-50)"))
    destination_name = models.CharField(_("destination facility"), max_length=200)
    destination_address = models.CharField(_("destination address"), max_length=300)
    destination_siret = models.CharField(_("destination SIRET"), max_length=14, blank=True, validators=[SIRET])
    tracking_number = models.CharField(_("traceability document number"), max_length=60, blank=True,
                                       help_text=_("BSD number or Trackdéchets identifier"))

    site_field = "site"

    class Meta:
        verbose_name = _("waste removal")
        verbose_name_plural = _("waste register")
        ordering = ["-removed_on", "-pk"]
        indexes = [models.Index(fields=["organization", "site", "removed_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="wasteremoval_quantity_positive",
                                   violation_error_message=_("The quantity must be above zero.")),
            models.CheckConstraint(condition=models.Q(density__isnull=True) | models.Q(density__gt=0),
                                   name="wasteremoval_density_positive",
                                   violation_error_message=_("The density must be above zero.")),
        ]

    def __str__(self) -> str:
        from django.utils.formats import date_format

        from risks.environment_library import display_code

        return f"{date_format(self.removed_on, 'SHORT_DATE_FORMAT')} · {display_code(self.waste_code)} · {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("risks:wasteremoval_detail", args=[self.pk])


@pghistory.track()
class WasteRegisterExtract(ScopedModel):
    """The register of one site over a period, as handed to an inspector (XLSX and PDF)."""

    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, related_name="waste_register_extracts",
                             verbose_name=_("site"))
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True, help_text=_("e.g. inspection of 12 March"))

    site_field = "site"

    class Meta:
        verbose_name = _("waste register extract")
        verbose_name_plural = _("waste register extracts")
        ordering = ["-end_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_on__gte=models.F("start_on")), name="wasteextract_period_order",
                                   violation_error_message=_("The period must end on or after its start.")),
        ]

    def __str__(self) -> str:
        from django.utils.formats import date_format

        return _("Waste register {site}, {start} to {end}").format(
            site=self.site, start=date_format(self.start_on, "SHORT_DATE_FORMAT"),
            end=date_format(self.end_on, "SHORT_DATE_FORMAT"))

    def get_absolute_url(self) -> str:
        return reverse("risks:wasteregisterextract_detail", args=[self.pk])
