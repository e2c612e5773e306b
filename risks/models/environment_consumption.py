"""Meters of energy, water and other consumptions per site, their readings (index values or
invoiced quantities) and the production volume each site makes per month, for intensity."""

import pghistory
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models import ScopedModel


class MeterKind(models.TextChoices):
    ELECTRICITY = "electricity", _("Electricity")
    NATURAL_GAS = "natural_gas", _("Natural gas")
    FUEL_OIL = "fuel_oil", _("Fuel oil")
    DIESEL = "diesel", _("Diesel")
    WATER = "water", _("Water")
    COMPRESSED_AIR = "compressed_air", _("Compressed air")
    STEAM = "steam", _("Steam or heat")
    OTHER = "other", _("Other")


class MeterUnit(models.TextChoices):
    KWH = "kWh", "kWh"
    MWH = "MWh", "MWh"
    M3 = "m3", "m³"
    NM3 = "Nm3", "Nm³"
    LITRE = "L", _("litres")
    TONNE = "t", _("tonnes")


class ReadingSource(models.TextChoices):
    MANUAL = "manual", _("Manual reading")
    INVOICE = "invoice", _("Invoice")
    IMPORT = "import", _("Import")
    SENSOR = "sensor", _("Sensor")


@pghistory.track()
class Meter(ScopedModel):
    """A meter (or a supply contract) of one site. ``is_cumulative``: its readings are index
    values (consumption is the difference between two readings); otherwise each entry is a
    consumption (an invoice, a delivery of fuel)."""

    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, related_name="meters", verbose_name=_("site"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=MeterKind.choices)
    unit = models.CharField(_("unit"), max_length=4, choices=MeterUnit.choices)
    is_cumulative = models.BooleanField(_("readings are index values"), default=True)
    emission_factor = models.ForeignKey(
        "risks.EmissionFactor", on_delete=models.PROTECT, null=True, blank=True, related_name="meters",
        verbose_name=_("emission factor"), help_text=_("Its consumption enters the greenhouse-gas inventory"),
    )
    monthly_target = models.DecimalField(_("monthly target"), max_digits=14, decimal_places=3, null=True, blank=True,
                                         validators=[MinValueValidator(0)])

    site_field = "site"

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["site__name", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_unit_display()})"

    def get_absolute_url(self) -> str:
        return reverse("risks:meter_detail", args=[self.pk])


@pghistory.track()
class MeterReading(ScopedModel):
    """An index read on a date, or a consumption invoiced or delivered up to that date (over a
    billing period from ``period_start_on`` when one is given)."""

    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="readings", verbose_name=_("meter"))
    read_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=3, validators=[MinValueValidator(0)])
    source = models.CharField(_("source"), max_length=10, choices=ReadingSource.choices, default=ReadingSource.MANUAL)
    # An invoice covers a billing period: its quantity is spread over the months of the period
    # pro rata by days (its date is the period's last day), not counted in the month dated.
    period_start_on = models.DateField(
        _("billing period start"), null=True, blank=True,
        help_text=_("For an invoice of a meter whose entries are consumptions: the first day it covers (its date is "
                    "the last). The quantity is spread over the months of the period, pro rata by days."),
    )

    site_field = "meter__site"

    class Meta:
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")
        ordering = ["-read_on", "-pk"]
        # The register and its API page by the latest reading first: read in this order, a
        # page stops at its rows instead of sorting every reading.
        indexes = [models.Index(fields=["organization", "read_on", "id"], name="meterreading_org_read_idx")]
        constraints = [
            models.UniqueConstraint(fields=["organization", "meter", "read_on"], name="meterreading_one_per_day",
                                    violation_error_message=_("This meter already has a reading on this date.")),
            models.CheckConstraint(
                condition=models.Q(period_start_on__isnull=True) | models.Q(period_start_on__lte=models.F("read_on")),
                name="meterreading_period_starts_before_its_date",
                violation_error_message=_("The billing period must start on or before the invoice's date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meter.name} · {self.read_on} · {self.value}"

    def get_absolute_url(self) -> str:
        return reverse("risks:meterreading_detail", args=[self.pk])


@pghistory.track()
class ProductionVolume(ScopedModel):
    """What a site produced in a month (tonnes, parts...): the denominator of intensity."""

    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, related_name="production_volumes",
                             verbose_name=_("site"))
    month = models.DateField(_("month"), help_text=_("Any day of the month"))
    quantity = models.DecimalField(_("quantity produced"), max_digits=14, decimal_places=3,
                                   validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=30, default="t")

    site_field = "site"

    class Meta:
        verbose_name = _("production volume")
        verbose_name_plural = _("production volumes")
        ordering = ["-month", "site__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "site", "month"], name="productionvolume_one_per_month",
                                    violation_error_message=_("This site already has a production volume for this month.")),
        ]

    def __str__(self) -> str:
        return f"{self.site} · {self.month:%m/%Y} · {self.quantity} {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("risks:productionvolume_detail", args=[self.pk])
