"""Internal and external issues (4.1) and the SWOT grid built on them."""

import pghistory
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from context.choices import Importance, IssueEffect, IssueOrigin, Pestel, SwotQuadrant
from qse.models import ScopedModel


@pghistory.track()
class ContextIssue(ScopedModel):
    """An internal or external issue (enjeu); an external one has its PESTEL dimension."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=IssueOrigin.choices)
    pestel = models.CharField(_("PESTEL dimension"), max_length=15, choices=Pestel.choices, blank=True)
    effect = models.CharField(_("effect"), max_length=10, choices=IssueEffect.choices)
    importance = models.PositiveSmallIntegerField(
        _("importance"), choices=Importance.choices, default=Importance.MEDIUM,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    processes = models.ManyToManyField(
        "qse.Process", blank=True, related_name="context_issues", verbose_name=_("processes concerned")
    )
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["origin", "pestel", "-importance", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(origin=IssueOrigin.INTERNAL) | ~Q(pestel=""), name="context_issue_external_has_pestel",
                violation_error_message=_("An external issue needs its PESTEL dimension."),
            ),
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=4), name="context_issue_importance_1_4",
                violation_error_message=_("Importance is from 1 to 4."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("context:contextissue_detail", args=[self.pk])


@pghistory.track()
class SwotItem(ScopedModel):
    """One line of the SWOT grid, optionally tied to the issue it expresses, to the risk or
    opportunity of the register it gave rise to, and to an action."""

    quadrant = models.CharField(_("quadrant"), max_length=12, choices=SwotQuadrant.choices)
    text = models.CharField(_("text"), max_length=300)
    issue = models.ForeignKey(
        ContextIssue, on_delete=models.PROTECT, null=True, blank=True, related_name="swot_items",
        verbose_name=_("issue"),
    )
    risk = models.ForeignKey(
        "risks.Risk", on_delete=models.PROTECT, null=True, blank=True, related_name="swot_items",
        verbose_name=_("risk or opportunity"),
    )
    action = models.ForeignKey(
        "improvement.Action", on_delete=models.PROTECT, null=True, blank=True, related_name="swot_items",
        verbose_name=_("action"),
    )

    class Meta:
        verbose_name = _("SWOT item")
        verbose_name_plural = _("SWOT items")
        ordering = ["quadrant", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("context:swotitem_detail", args=[self.pk])
