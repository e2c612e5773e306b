"""Action plans and the one Action model every module links to."""

import datetime

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from improvement.choices import (
    ActionOriginKind,
    ActionStatus,
    EffectivenessResult,
    PlanStatus,
    Priority,
)
from qse.models import ScopedModel
from qse.querysets import OwnershipRule

OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


@pghistory.track()
class ActionPlan(ScopedModel):
    """A named set of actions (a yearly QSE plan, an 8D's corrective plan, a project)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_action_plans",
        verbose_name=_("owner"),
    )
    process = models.ForeignKey(
        "qse.Process", on_delete=models.PROTECT, null=True, blank=True,
        related_name="action_plans", verbose_name=_("process"),
    )
    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, null=True, blank=True,
        related_name="action_plans", verbose_name=_("site"),
    )
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    due_on = models.DateField(_("due date"), null=True, blank=True)

    site_field = "site"
    ownership = OwnershipRule("owner", "process__owner")
    # A closed plan takes no more files (qse.uploads.evidence_refusal).
    closed_statuses = (PlanStatus.CLOSED,)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:actionplan_detail", args=[self.pk])


@pghistory.track()
class Action(ScopedModel):
    """One action, whatever its origin (risk, audit finding, NC, review decision...).

    Late is derived (open and past due), never stored. An action counts as closed only
    once its effectiveness check says it was effective.
    """

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, null=True, blank=True,
        related_name="actions", verbose_name=_("action plan"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    deliverable = models.CharField(_("deliverable"), max_length=255, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions",
        verbose_name=_("owner"),
    )
    process = models.ForeignKey(
        "qse.Process", on_delete=models.PROTECT, null=True, blank=True,
        related_name="actions", verbose_name=_("process"),
    )
    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, null=True, blank=True,
        related_name="actions", verbose_name=_("site"),
    )
    origin_kind = models.CharField(
        _("origin"), max_length=20, choices=ActionOriginKind.choices, default=ActionOriginKind.PLAN
    )
    origin_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("origin record type"),
    )
    origin_id = models.PositiveBigIntegerField(_("origin record"), null=True, blank=True, editable=False)
    origin = GenericForeignKey("origin_type", "origin_id")
    start_on = models.DateField(_("start date"), null=True, blank=True)
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED,
        editable=False,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    # Hours of work the owner expects to spend on it (spread over its span in the workload);
    # empty when nobody estimated it, then the workload counts a documented default.
    estimated_hours = models.DecimalField(
        _("estimated effort (hours)"), max_digits=6, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    done_on = models.DateField(_("completion date"), null=True, blank=True, editable=False)
    effectiveness_criterion = models.TextField(_("effectiveness criterion"), blank=True)
    effectiveness_checked_on = models.DateField(_("effectiveness checked on"), null=True, blank=True, editable=False)
    effectiveness_result = models.CharField(
        _("effectiveness result"), max_length=20, choices=EffectivenessResult.choices, blank=True, editable=False
    )
    effectiveness_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="effectiveness_checks", verbose_name=_("effectiveness checked by"), editable=False,
    )
    effectiveness_comment = models.TextField(_("effectiveness comment"), blank=True, editable=False)
    # Who verifies effectiveness besides the coordinators, when the organization allows it.
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="actions_to_verify", verbose_name=_("effectiveness verifier"),
    )

    site_field = "site"
    ownership = OwnershipRule("owner", "process__owner")
    # Done and cancelled end an action's life, but a done action still takes the evidence of
    # its effectiveness check (qse.uploads.evidence_refusal).
    closed_statuses = (ActionStatus.DONE, ActionStatus.CANCELLED)

    def accepts_evidence_after_closure(self) -> bool:
        return self.status == ActionStatus.DONE

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "due_on"]),
            # Every list, API page and board reads an organization's actions by due date.
            models.Index(fields=["organization", "due_on", "id"], name="action_org_due_idx"),
            # The board's "Check" and "Act" columns by due date: done actions split on the
            # effectiveness result, so each column reads its first cards whatever the split.
            models.Index(fields=["organization", "due_on", "id"], name="action_check_due_idx",
                         condition=Q(status=ActionStatus.DONE) & ~Q(effectiveness_result=EffectivenessResult.EFFECTIVE)),
            models.Index(fields=["organization", "due_on", "id"], name="action_act_due_idx",
                         condition=Q(status=ActionStatus.DONE, effectiveness_result=EffectivenessResult.EFFECTIVE)),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["origin_type", "origin_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="action_progress_max_100",
                violation_error_message=_("Progress is at most 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(estimated_hours__isnull=True) | Q(estimated_hours__gte=0),
                name="action_estimated_hours_not_negative",
                violation_error_message=_("The estimated effort cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(start_on__isnull=True) | Q(start_on__lte=models.F("due_on")),
                name="action_starts_before_due",
                violation_error_message=_("The start date must not be after the due date."),
            ),
            models.CheckConstraint(
                condition=Q(verifier__isnull=True) | ~Q(verifier=models.F("owner")),
                name="action_verifier_is_not_the_owner",
                violation_error_message=_("The owner of an action cannot be its effectiveness verifier."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:action_detail", args=[self.pk])

    def is_late_on(self, today: datetime.date) -> bool:
        from improvement.workflow import is_late

        return is_late(self, today)

    @property
    def is_closed(self) -> bool:
        return self.status == ActionStatus.DONE and self.effectiveness_result == EffectivenessResult.EFFECTIVE

    @property
    def awaits_effectiveness_check(self) -> bool:
        return self.status == ActionStatus.DONE and not self.effectiveness_result
