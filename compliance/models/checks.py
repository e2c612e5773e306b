"""Periodic regulatory checks (vérifications périodiques): the equipment and installations a
site must have checked, by whom and how often, the reports and the observations they hold."""

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compliance.choices import CheckCategory, CheckConclusion, ObservationSeverity
from qse.models import ScopedModel

FREQUENCY_VALIDATORS = [MinValueValidator(1), MaxValueValidator(240)]


@pghistory.track()
class CheckType(ScopedModel):
    """A kind of periodic check with its legal basis and its maximum period (loaded from the
    starter library, or written by the organization)."""

    code = models.SlugField(_("library code"), max_length=60, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=CheckCategory.choices)
    frequency_months = models.PositiveSmallIntegerField(
        _("frequency (months)"), validators=FREQUENCY_VALIDATORS,
        help_text=_("The maximum period between two checks."),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    performer = models.CharField(_("who may perform it"), max_length=200, blank=True)
    description = models.TextField(_("scope of the check"), blank=True)
    requirement = models.ForeignKey(
        "compliance.Requirement", on_delete=models.PROTECT, null=True, blank=True, related_name="check_types",
        verbose_name=_("requirement that imposes it"),
    )

    class Meta:
        verbose_name = _("check type")
        verbose_name_plural = _("check types")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], condition=~Q(code=""), name="check_type_code_unique",
                violation_error_message=_("This check type is already in the organization's library."),
            ),
            models.CheckConstraint(
                condition=Q(frequency_months__gte=1, frequency_months__lte=240), name="check_type_frequency_range",
                violation_error_message=_("The frequency is from 1 to 240 months."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("compliance:checktype_detail", args=[self.pk])


@pghistory.track()
class PeriodicCheck(ScopedModel):
    """An equipment or installation of a site under a periodic check: its next due date is
    computed from the last report (``services_checks``), never typed after the first one."""

    equipment = models.CharField(_("equipment or installation"), max_length=200)
    reference = models.CharField(_("inventory reference"), max_length=60, blank=True)
    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, related_name="periodic_checks", verbose_name=_("site"))
    check_type = models.ForeignKey(
        CheckType, on_delete=models.PROTECT, related_name="periodic_checks", verbose_name=_("check type")
    )
    frequency_months = models.PositiveSmallIntegerField(
        _("frequency (months)"), null=True, blank=True, validators=FREQUENCY_VALIDATORS,
        help_text=_("Leave empty to use the check type's frequency."),
    )
    body = models.CharField(_("inspection body"), max_length=200, blank=True)
    body_is_accredited = models.BooleanField(_("accredited body"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="periodic_checks", verbose_name=_("person in charge"),
    )
    process = models.ForeignKey(
        "qse.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="periodic_checks",
        verbose_name=_("process"),
    )
    risks = models.ManyToManyField("risks.Risk", blank=True, related_name="periodic_checks", verbose_name=_("risks"))
    occupational_risks = models.ManyToManyField(
        "risks.OccupationalRisk", blank=True, related_name="periodic_checks", verbose_name=_("occupational risks")
    )
    next_due_on = models.DateField(
        _("next check due on"), null=True, blank=True,
        help_text=_("Set for the first check; then computed from each report."),
    )
    last_done_on = models.DateField(_("last check done on"), null=True, blank=True, editable=False)

    site_field = "site"

    class Meta:
        verbose_name = _("periodic check")
        verbose_name_plural = _("periodic checks")
        ordering = ["next_due_on", "pk"]
        indexes = [models.Index(fields=["organization", "next_due_on"], name="periodic_check_due_idx")]

    def __str__(self) -> str:
        # Only its own fields: choice lists of checks stay one query.
        return f"{self.equipment} ({self.reference})" if self.reference else self.equipment

    def get_absolute_url(self) -> str:
        return reverse("compliance:periodiccheck_detail", args=[self.pk])

    @property
    def effective_frequency_months(self) -> int:
        return self.frequency_months or self.check_type.frequency_months


@pghistory.track()
class CheckReport(ScopedModel):
    """One check of an equipment: planned, then done, with the body's report (attached files)
    and its conclusion. Recording it done moves the check's next due date."""

    periodic_check = models.ForeignKey(
        PeriodicCheck, on_delete=models.PROTECT, related_name="reports", verbose_name=_("periodic check")
    )
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    body = models.CharField(_("inspection body"), max_length=200, blank=True)
    reference = models.CharField(_("report reference"), max_length=100, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=CheckConclusion.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    site_field = "periodic_check__site"

    class Meta:
        verbose_name = _("check report")
        verbose_name_plural = _("check reports")
        ordering = ["-done_on", "-planned_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=False) | Q(conclusion=""), name="check_report_conclusion_when_done",
                violation_error_message=_("A conclusion is recorded once the check is done."),
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(conclusion=""), name="check_report_done_has_conclusion",
                violation_error_message=_("A check that is done needs its conclusion."),
            ),
        ]

    def __str__(self) -> str:
        day = self.done_on or self.planned_on
        return f"{self.periodic_check.equipment} · {day:%d/%m/%Y}" if day else self.periodic_check.equipment

    def get_absolute_url(self) -> str:
        return reverse("compliance:checkreport_detail", args=[self.pk])


@pghistory.track()
class CheckObservation(ScopedModel):
    """An observation of a report; it is lifted through an action (the one Action model, whose
    origin is this observation), when that action is checked effective."""

    report = models.ForeignKey(CheckReport, on_delete=models.PROTECT, related_name="observations", verbose_name=_("report"))
    text = models.TextField(_("observation"))
    severity = models.CharField(
        _("severity"), max_length=20, choices=ObservationSeverity.choices, default=ObservationSeverity.MINOR
    )
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True, editable=False)

    site_field = "report__periodic_check__site"

    class Meta:
        verbose_name = _("check observation")
        verbose_name_plural = _("check observations")
        ordering = ["lifted_on", "-pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("compliance:checkobservation_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.lifted_on is None
