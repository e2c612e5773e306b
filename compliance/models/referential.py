"""The referential: texts (laws, orders, standards, customer requirements) and their versions,
the checkable requirements they contain, the facts of each site that decide applicability,
the applicability decisions per site, and the interlocutors who enforce them."""

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compliance.choices import (
    ApplicabilityStatus,
    Domain,
    IcpeRegime,
    InterlocutorKind,
    TextKind,
    TextStatus,
)
from qse.models import ScopedModel


def _domains_field():
    return ArrayField(
        models.CharField(max_length=1, choices=Domain.choices), verbose_name=_("domains"), default=list, blank=True,
    )


def _themes_field():
    return ArrayField(
        models.CharField(max_length=60), verbose_name=_("themes"), default=list, blank=True,
        help_text=_("Separated by commas: waste, noise, ICPE, chemicals..."),
    )


@pghistory.track()
class Text(ScopedModel):
    """A regulatory or normative text the organization watches (a decree, an order, a code's
    articles, an EU regulation, a standard's edition, a customer's requirements)."""

    kind = models.CharField(_("kind"), max_length=20, choices=TextKind.choices)
    reference = models.CharField(
        _("reference"), max_length=200, help_text=_("As it is cited: Arrêté du 2 février 1998, R4121-1 à R4121-4..."),
    )
    title = models.CharField(_("title"), max_length=500)
    nor = models.CharField(_("NOR"), max_length=20, blank=True)
    celex = models.CharField(_("CELEX"), max_length=30, blank=True)
    eli = models.URLField(_("ELI"), max_length=300, blank=True)
    edition = models.CharField(_("edition"), max_length=30, blank=True, help_text=_("For a standard: 2015, 2026..."))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TextStatus.choices, default=TextStatus.IN_FORCE)
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    domains = _domains_field()
    themes = _themes_field()
    official_url = models.URLField(_("official link"), max_length=500, blank=True)
    readable_url = models.URLField(_("readable link"), max_length=500, blank=True, help_text=_("AIDA, INRS..."))
    summary = models.TextField(_("summary"), blank=True)
    # The starter library's key: loading the library twice updates instead of duplicating.
    library_key = models.CharField(_("library key"), max_length=80, blank=True, editable=False)

    class Meta:
        verbose_name = _("regulatory text")
        verbose_name_plural = _("regulatory texts")
        ordering = ["reference", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "library_key"], condition=~Q(library_key=""), name="compliance_text_library_key",
            ),
            models.CheckConstraint(
                condition=~Q(status=TextStatus.REPEALED) | Q(repealed_on__isnull=False),
                name="compliance_text_repealed_has_date",
                violation_error_message=_("A repealed text needs its repeal date."),
            ),
        ]
        indexes = [models.Index(fields=["organization", "reference"])]

    def __str__(self) -> str:
        return self.reference if self.reference == self.title else f"{self.reference} · {self.title}"[:200]

    def get_absolute_url(self) -> str:
        return reverse("compliance:text_detail", args=[self.pk])

    @property
    def code(self) -> str:
        """How a spreadsheet names the text (the import matches a requirement's text by it)."""
        return self.reference


@pghistory.track()
class TextVersion(ScopedModel):
    """One version of a text (its original publication, then each modification): what it said,
    so the change between two versions can be shown."""

    text = models.ForeignKey(Text, on_delete=models.PROTECT, related_name="versions", verbose_name=_("text"))
    number = models.PositiveIntegerField(_("version number"), editable=False)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    modified_by_reference = models.CharField(
        _("modified by"), max_length=300, blank=True, help_text=_("The text that made this version."),
    )
    summary = models.TextField(_("summary"), blank=True)
    articles = models.TextField(_("articles"), blank=True, help_text=_("The text of the articles that matter."))
    change_note = models.TextField(_("what changes for us"), blank=True)

    class Meta:
        verbose_name = _("text version")
        verbose_name_plural = _("text versions")
        ordering = ["text", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "text", "number"], name="compliance_text_version_unique"),
        ]

    def __str__(self) -> str:
        return _("{text} v{number}").format(text=self.text.reference, number=self.number)

    def get_absolute_url(self) -> str:
        return reverse("compliance:textversion_detail", args=[self.pk])


@pghistory.track()
class Requirement(ScopedModel):
    """A concrete, checkable requirement of a text: who it concerns, the evidence that shows
    it is met, how often it is evaluated and the conditions that make it applicable to a site.

    ``needs_reevaluation`` is raised when a new version of its text arrives."""

    text = models.ForeignKey(Text, on_delete=models.PROTECT, related_name="requirements", verbose_name=_("text"))
    article = models.CharField(_("article or clause"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("requirement"), blank=True)
    concerned = models.CharField(_("who is concerned"), max_length=200, blank=True)
    evidence_expected = models.TextField(_("evidence expected"), blank=True)
    evaluation_interval_months = models.PositiveSmallIntegerField(
        _("evaluation every (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    domains = _domains_field()
    themes = _themes_field()
    conditions = models.JSONField(
        _("applicability conditions"), default=list, blank=True,
        help_text=_('A list, all must hold: [{"headcount_at_least": 11}, {"icpe_regime": ["A"]}]. Empty: every site.'),
    )
    is_normative = models.BooleanField(_("normative requirement"), default=False)
    needs_reevaluation = models.BooleanField(_("to re-evaluate (text changed)"), default=False)
    library_key = models.CharField(_("library key"), max_length=80, blank=True, editable=False)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["text__reference", "article", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "library_key"], condition=~Q(library_key=""),
                name="compliance_requirement_library_key",
            ),
            models.CheckConstraint(
                condition=Q(evaluation_interval_months__gte=1, evaluation_interval_months__lte=120),
                name="compliance_requirement_interval_1_120",
                violation_error_message=_("The evaluation interval is from 1 to 120 months."),
            ),
        ]

    def __str__(self) -> str:
        prefix = f"{self.article} · " if self.article else ""
        return f"{prefix}{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:requirement_detail", args=[self.pk])


@pghistory.track()
class SiteProfile(ScopedModel):
    """The facts of a site that decide which requirements apply, beside its headcount (held on
    the site itself): its activities."""

    site = models.OneToOneField("qse.Site", on_delete=models.PROTECT, related_name="compliance_profile",
                                verbose_name=_("site"))
    activities = ArrayField(
        models.CharField(max_length=60), verbose_name=_("activities"), default=list, blank=True,
        help_text=_("Separated by commas: painting, welding, forklifts, refrigeration..."),
    )
    is_seveso = models.BooleanField(_("Seveso establishment"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    site_field = "site"

    class Meta:
        verbose_name = _("site regulatory profile")
        verbose_name_plural = _("site regulatory profiles")
        ordering = ["site__name"]

    def __str__(self) -> str:
        return str(self.site)

    def get_absolute_url(self) -> str:
        return reverse("compliance:siteprofile_detail", args=[self.pk])


@pghistory.track()
class IcpeClassification(ScopedModel):
    """A rubrique of the ICPE nomenclature a site is classified under, with its regime and the
    date of its act: what the ministerial orders' applicability depends on."""

    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, related_name="icpe_classifications",
                             verbose_name=_("site"))
    rubrique = models.CharField(_("rubrique"), max_length=10, help_text=_("2910, 2940-2-a, 4331..."))
    regime = models.CharField(_("regime"), max_length=2, choices=IcpeRegime.choices)
    dated_on = models.DateField(_("date of the act"), null=True, blank=True,
                                help_text=_("Authorisation, registration or declaration."))
    activity_level = models.CharField(_("activity level"), max_length=120, blank=True, help_text=_("4 MW, 1,200 m3..."))
    act_reference = models.CharField(_("act"), max_length=200, blank=True, help_text=_("Prefectoral order, receipt..."))

    site_field = "site"

    class Meta:
        verbose_name = _("ICPE classification")
        verbose_name_plural = _("ICPE classifications")
        ordering = ["site__name", "rubrique"]

    def __str__(self) -> str:
        return f"{self.rubrique} ({self.regime}) · {self.site}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:icpeclassification_detail", args=[self.pk])


@pghistory.track()
class Applicability(ScopedModel):
    """The decision that a requirement applies (or not, or for information) to a site, and
    optionally to one of its processes, with its justification."""

    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="applicabilities",
                                    verbose_name=_("requirement"))
    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, related_name="applicabilities",
                             verbose_name=_("site"))
    process = models.ForeignKey("qse.Process", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="applicabilities", verbose_name=_("process"))
    status = models.CharField(_("applicability"), max_length=20, choices=ApplicabilityStatus.choices,
                              default=ApplicabilityStatus.APPLICABLE)
    justification = models.TextField(_("justification"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    site_field = "site"

    class Meta:
        verbose_name = _("applicability")
        verbose_name_plural = _("applicabilities")
        ordering = ["site__name", "requirement__text__reference", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "requirement", "site", "process"], nulls_distinct=False,
                name="compliance_applicability_unique",
                violation_error_message=_("This requirement already has an applicability for this site."),
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicabilityStatus.APPLICABLE) | ~Q(justification=""),
                name="compliance_not_applicable_is_justified",
                violation_error_message=_("Say why the requirement does not apply."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} · {self.site}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:applicability_detail", args=[self.pk])


@pghistory.track()
class Interlocutor(ScopedModel):
    """Someone who enforces or checks requirements on a site: labour or DREAL inspector,
    CARSAT, fire service, certification body, a customer's quality contact."""

    kind = models.CharField(_("kind"), max_length=25, choices=InterlocutorKind.choices)
    name = models.CharField(_("name"), max_length=200)
    body = models.CharField(_("body"), max_length=200, blank=True, help_text=_("DREAL Grand Est, AFNOR..."))
    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="interlocutors", verbose_name=_("site"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    requires = models.TextField(_("what they require"), blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    next_visit_on = models.DateField(_("next visit"), null=True, blank=True)

    site_field = "site"

    class Meta:
        verbose_name = _("interlocutor")
        verbose_name_plural = _("interlocutors")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.body})" if self.body else self.name

    def get_absolute_url(self) -> str:
        return reverse("compliance:interlocutor_detail", args=[self.pk])


