"""Indicators (the card a coordinator documents) and their measurements."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from objectives.choices import ChartKind, Direction, Frequency, MeasurementOrigin
from qse.models import ScopedModel
from qse.querysets import OwnershipRule


@pghistory.track()
class Indicator(ScopedModel):
    """What is measured, why, how, how often, against which target and thresholds, by whom,
    and where the values come from (``source``: a kind registered in ``objectives.sources``)."""

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    formula = models.TextField(_("formula"), blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    green_threshold = models.DecimalField(
        _("green threshold"), max_digits=14, decimal_places=4, null=True, blank=True,
        help_text=_("At or better than this value the indicator is green (the target when empty)."),
    )
    red_threshold = models.DecimalField(
        _("red threshold"), max_digits=14, decimal_places=4, null=True, blank=True,
        help_text=_("At or worse than this value the indicator is red; orange in between."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_indicators", verbose_name=_("owner"),
    )
    process = models.ForeignKey(
        "qse.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="indicators",
        verbose_name=_("process"),
    )
    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="indicators", verbose_name=_("site"),
    )
    source = models.CharField(_("source"), max_length=40, default="manual")
    source_parameter = models.CharField(
        _("source parameter"), max_length=60, blank=True,
        help_text=_("For a computed source that needs one, e.g. the severity of the nonconformities counted."),
    )
    chart_kind = models.CharField(_("visual representation"), max_length=10, choices=ChartKind.choices, default=ChartKind.LINE)
    baseline_from = models.DateField(_("control chart baseline from"), null=True, blank=True)
    baseline_to = models.DateField(_("control chart baseline to"), null=True, blank=True)

    site_field = "site"
    ownership = OwnershipRule("owner", "process__owner")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="indicator_code_unique_per_org",
                violation_error_message=_("An indicator with this code already exists."),
            ),
            models.CheckConstraint(
                condition=Q(red_threshold__isnull=True) | Q(green_threshold__isnull=True)
                | Q(direction=Direction.HIGHER_IS_BETTER, red_threshold__lte=models.F("green_threshold"))
                | Q(direction=Direction.LOWER_IS_BETTER, red_threshold__gte=models.F("green_threshold")),
                name="indicator_thresholds_in_order",
                violation_error_message=_("The red threshold must be on the wrong side of the green one."),
            ),
            models.CheckConstraint(
                condition=Q(baseline_from__isnull=True) | Q(baseline_to__isnull=True)
                | Q(baseline_from__lt=models.F("baseline_to")),
                name="indicator_baseline_in_order",
                violation_error_message=_("The baseline must start before it ends."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("objectives:indicator_detail", args=[self.pk])


@pghistory.track()
class Measurement(ScopedModel):
    """The value of an indicator for one period (``period_on``: the period's first day)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="measurements", verbose_name=_("indicator"))
    period_on = models.DateField(_("period"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=MeasurementOrigin.choices, default=MeasurementOrigin.MANUAL, editable=False)

    site_field = "indicator__site"
    ownership = OwnershipRule("indicator__owner", "indicator__process__owner")

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "-period_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "indicator", "period_on"], name="measurement_one_per_period",
                violation_error_message=_("This indicator already has a value for this period."),
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period_on"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.period_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("objectives:measurement_detail", args=[self.pk])
