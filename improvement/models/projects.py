"""Improvement projects (PDCA, DMAIC, A3, kaizen): phases, team, measured gain, closing report."""

import pghistory
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from improvement import project_methods
from improvement.project_methods import ProjectMethod
from qse.models import ScopedModel
from qse.querysets import OwnershipRule


class ProjectStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class PhaseStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class GainDirection(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Higher is better")
    LOWER_IS_BETTER = "lower", _("Lower is better")


def _number(name):
    return models.DecimalField(name, max_digits=14, decimal_places=4, null=True, blank=True)


@pghistory.track()
class ImprovementProject(ScopedModel):
    """A structured improvement project led by one person, with a team, the indicator it moves
    (baseline, target, measured result: the gain is computed, never typed) and what helped or
    hindered it (resistances, blockers, levers). Its phases come from its method's table."""

    title = models.CharField(_("title"), max_length=200)
    objective = models.TextField(_("objective"), blank=True)
    method = models.CharField(_("method"), max_length=10, choices=ProjectMethod.choices, default=ProjectMethod.DMAIC)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="led_improvement_projects", verbose_name=_("project leader"))
    team = models.ForeignKey("improvement.ImprovementTeam", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="projects", verbose_name=_("team"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="improvement_projects",
                                     verbose_name=_("members"))
    site = models.ForeignKey("qse.Site", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="improvement_projects", verbose_name=_("site"))
    process = models.ForeignKey("qse.Process", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="improvement_projects", verbose_name=_("process"))
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.OPEN)
    start_on = models.DateField(_("start date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    closed_on = models.DateField(_("closing date"), null=True, blank=True)
    indicator = models.ForeignKey("objectives.Indicator", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="improvement_projects", verbose_name=_("indicator"))
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=GainDirection.choices,
                                 default=GainDirection.HIGHER_IS_BETTER)
    baseline = _number(_("baseline (before)"))
    target = _number(_("target"))
    result = _number(_("measured result (after)"))
    resistances = models.TextField(_("resistances"), blank=True)
    blockers = models.TextField(_("blockers"), blank=True)
    levers = models.TextField(_("levers"), blank=True)
    conclusion = models.TextField(_("conclusion and lessons learned"), blank=True)

    site_field = "site"
    ownership = OwnershipRule("leader")

    class Meta:
        verbose_name = _("improvement project")
        verbose_name_plural = _("improvement projects")
        ordering = ["-start_on", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:improvementproject_detail", args=[self.pk])

    @property
    def gain(self) -> project_methods.Gain | None:
        return project_methods.gain(baseline=self.baseline, target=self.target, result=self.result,
                                    lower_is_better=self.direction == GainDirection.LOWER_IS_BETTER)


@pghistory.track()
class ProjectPhase(ScopedModel):
    """One phase of a project (DMAIC's Measure...), its deliverables, status and dates."""

    project = models.ForeignKey(ImprovementProject, on_delete=models.CASCADE, related_name="phases",
                                verbose_name=_("improvement project"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    # A method's phase is known by its key: its name and deliverables are left empty and shown in
    # each reader's language; a name or deliverables typed over them, or a phase added by hand
    # (no key), keep the text as written.
    key = models.CharField(_("phase key"), max_length=30, blank=True, editable=False)
    name = models.CharField(_("phase"), max_length=120, blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True)
    status = models.CharField(_("status"), max_length=15, choices=PhaseStatus.choices, default=PhaseStatus.NOT_STARTED)
    start_on = models.DateField(_("start date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("completion date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    site_field = "project__site"
    ownership = OwnershipRule("project__leader")

    class Meta:
        verbose_name = _("project phase")
        verbose_name_plural = _("project phases")
        ordering = ["project", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name="") | ~models.Q(key=""), name="projectphase_named",
                                   violation_error_message=_("Give the phase a name.")),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.label}"

    @property
    def label(self) -> str:
        """The phase's name in the reader's language (its method's, unless one was typed)."""
        return self.name or project_methods.phase_name(self.project.method, self.key)

    @property
    def deliverables_text(self) -> str:
        """The deliverables in the reader's language (its method's, unless others were typed)."""
        return self.deliverables or project_methods.phase_deliverables(self.project.method, self.key)

    def get_absolute_url(self) -> str:
        return reverse("improvement:projectphase_detail", args=[self.project_id, self.pk])
