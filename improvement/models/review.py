"""Management reviews (ISO 9001 9.3, ISO 14001 9.3, ISO 45001 9.3) and process reviews.

A review reads every module through the section registry (``qse.review``) only. Collecting
its inputs freezes one ``ReviewInput`` per section with the section's payload, so a review
read a year later shows the figures that were discussed, not today's.
"""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models import ScopedModel
from qse.standards import Standard


class ReviewKind(models.TextChoices):
    MANAGEMENT = "management", _("Management review")
    PROCESS = "process", _("Process review")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COLLECTED = "collected", _("Inputs collected")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")


class DecisionCategory(models.TextChoices):
    """The outputs the three standards ask a review to record."""

    CONCLUSION = "conclusion", _("Conclusion on suitability, adequacy and effectiveness")
    IMPROVEMENT = "improvement", _("Improvement opportunity")
    SYSTEM_CHANGE = "system_change", _("Change to the management system")
    RESOURCES = "resources", _("Resource needs")
    OBJECTIVES = "objectives", _("Action where objectives were not met")
    INTEGRATION = "integration", _("Integration with business processes")
    STRATEGY = "strategy", _("Implication for the strategic direction")


@pghistory.track()
class ManagementReview(ScopedModel):
    """A management review of a period (or the review of one process, ``kind`` process)."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices, default=ReviewKind.MANAGEMENT)
    process = models.ForeignKey(
        "qse.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="reviews",
        verbose_name=_("process reviewed"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    sites = models.ManyToManyField(
        "qse.Site", blank=True, related_name="management_reviews", verbose_name=_("sites in scope"),
        help_text=_("None: every site."),
    )
    standards = ArrayField(
        models.CharField(max_length=20, choices=Standard.choices), verbose_name=_("standards"), default=list,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, editable=False,
    )
    collected_at = models.DateTimeField(_("inputs collected at"), null=True, blank=True, editable=False)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("One person per line, with their function."))
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        ordering = ["-period_end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="review_period_in_order",
                violation_error_message=_("The period must start before it ends."),
            ),
            models.CheckConstraint(
                condition=Q(kind="management") | Q(process__isnull=False), name="process_review_has_process",
                violation_error_message=_("A process review names its process."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:managementreview_detail", args=[self.pk])


@pghistory.track()
class ReviewInput(ScopedModel):
    """One section of a review: what its module said when the inputs were collected (``payload``
    per language, frozen) and the coordinator's comment on it."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="inputs",
                               verbose_name=_("review"))
    section_key = models.CharField(_("section"), max_length=80)
    clause_refs = ArrayField(models.CharField(max_length=60), verbose_name=_("clauses"), default=list)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # {"fr": {...}, "en": {...}} as the section's selector returned it; null: no module provides it.
    payload = models.JSONField(_("frozen figures"), null=True, blank=True, encoder=DjangoJSONEncoder, editable=False)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("review input")
        verbose_name_plural = _("review inputs")
        ordering = ["review", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "review", "section_key"], name="review_input_once"),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.section_key}"

    def get_absolute_url(self) -> str:
        return f"{self.review.get_absolute_url()}#input-{self.pk}"


@pghistory.track()
class ReviewDecision(ScopedModel):
    """An output of the review; with an owner and a due date it becomes an action."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="decisions",
                               verbose_name=_("review"))
    category = models.CharField(_("category"), max_length=20, choices=DecisionCategory.choices,
                                default=DecisionCategory.IMPROVEMENT)
    text = models.TextField(_("decision"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="review_decisions", verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    communicated_to_workers = models.BooleanField(
        _("communicated to workers"), default=False,
        help_text=_("ISO 45001 9.3: the outputs are communicated to workers and their representatives."),
    )
    action = models.ForeignKey(
        "improvement.Action", on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="review_decisions", verbose_name=_("action"),
    )

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["review", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=True, due_on__isnull=True) | Q(owner__isnull=False, due_on__isnull=False),
                name="review_decision_owner_with_due_date",
                violation_error_message=_("A decision to act names both its owner and its due date."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("improvement:reviewdecision_detail", args=[self.review_id, self.pk])
