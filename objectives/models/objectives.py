"""The cascade: policy axes -> strategic objectives -> operational objectives (ISO x001 §6.2)."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from objectives.choices import ObjectiveLevel, ObjectiveStatus, StandardClause
from qse.models import ScopedModel
from qse.querysets import OwnershipRule


@pghistory.track()
class PolicyAxis(ScopedModel):
    """A commitment of the QSE policy that strategic objectives break down."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("policy axis")
        verbose_name_plural = _("policy axes")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("objectives:policyaxis_detail", args=[self.pk])


SMART_CRITERIA = ("specific", "measurable", "achievable", "realistic", "time_bound")


class SmartFields(models.Model):
    """A confirmation and its short justification per SMART criterion."""

    is_specific = models.BooleanField(_("specific"), default=False)
    specific_justification = models.CharField(_("why it is specific"), max_length=300, blank=True)
    is_measurable = models.BooleanField(_("measurable"), default=False)
    measurable_justification = models.CharField(_("how it is measured"), max_length=300, blank=True)
    is_achievable = models.BooleanField(_("achievable"), default=False)
    achievable_justification = models.CharField(_("why it is achievable"), max_length=300, blank=True)
    is_realistic = models.BooleanField(_("realistic"), default=False)
    realistic_justification = models.CharField(_("why it is realistic"), max_length=300, blank=True)
    is_time_bound = models.BooleanField(_("time-bound"), default=False)
    time_bound_justification = models.CharField(_("what bounds it in time"), max_length=300, blank=True)

    class Meta:
        abstract = True


@pghistory.track()
class Objective(ScopedModel, SmartFields):
    """A strategic objective (under a policy axis) or an operational one (under a strategic
    objective, for a process, a site or a service), with its owner, deadline and target, the
    indicators that measure it and the action plans that serve it."""

    level = models.CharField(_("level"), max_length=20, choices=ObjectiveLevel.choices)
    axis = models.ForeignKey(
        PolicyAxis, on_delete=models.PROTECT, null=True, blank=True, related_name="objectives",
        verbose_name=_("policy axis"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("strategic objective"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_objectives", verbose_name=_("owner"),
    )
    process = models.ForeignKey(
        "qse.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="objectives",
        verbose_name=_("process"),
    )
    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="objectives", verbose_name=_("site"),
    )
    service = models.CharField(_("service"), max_length=120, blank=True)
    target = models.CharField(_("target"), max_length=255)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ObjectiveStatus.choices, default=ObjectiveStatus.ACTIVE)
    standards = ArrayField(
        models.CharField(max_length=30, choices=StandardClause.choices), default=list, blank=True,
        verbose_name=_("standards"),
    )
    indicators = models.ManyToManyField(
        "objectives.Indicator", blank=True, related_name="objectives", verbose_name=_("indicators"),
    )
    action_plans = models.ManyToManyField(
        "improvement.ActionPlan", blank=True, related_name="objectives", verbose_name=_("action plans"),
    )

    site_field = "site"
    ownership = OwnershipRule("owner", "process__owner")

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["level", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=ObjectiveLevel.STRATEGIC, axis__isnull=False, parent__isnull=True)
                | Q(level=ObjectiveLevel.OPERATIONAL, parent__isnull=False),
                name="objective_cascade",
                violation_error_message=_(
                    "A strategic objective serves a policy axis; an operational objective serves a strategic objective."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("objectives:objective_detail", args=[self.pk])
