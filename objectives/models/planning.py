"""Finish-to-start dependencies between actions, for the Gantt and the critical path.

Kept in objectives (planning) rather than improvement: the Action model stays the one action
table, untouched, and the scheduling concern (dependencies, lag, critical path) lives with the
planning pages that use it."""

import pghistory
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models import ScopedModel
from qse.querysets import OwnershipRule


@pghistory.track()
class ActionDependency(ScopedModel):
    """``successor`` may start ``lag_days`` after ``predecessor`` is due (finish-to-start)."""

    predecessor = models.ForeignKey(
        "improvement.Action", on_delete=models.CASCADE, related_name="successor_links", verbose_name=_("predecessor"),
    )
    successor = models.ForeignKey(
        "improvement.Action", on_delete=models.CASCADE, related_name="predecessor_links", verbose_name=_("successor"),
    )
    lag_days = models.SmallIntegerField(_("lag (days)"), default=0)

    site_field = "successor__site"
    ownership = OwnershipRule("successor__owner", "successor__process__owner")

    class Meta:
        verbose_name = _("action dependency")
        verbose_name_plural = _("action dependencies")
        ordering = ["successor", "predecessor"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "predecessor", "successor"], name="action_dependency_unique",
                violation_error_message=_("These two actions are already linked."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="action_dependency_not_self",
                violation_error_message=_("An action cannot depend on itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"

    def get_absolute_url(self) -> str:
        return reverse("objectives:actiondependency_detail", args=[self.pk])
