"""Environmental aspects and impacts (ISO 14001 § 6.1.2): what an activity does to the
environment, in which condition, and whether it is significant."""

import pghistory
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models import ScopedModel
from qse.querysets import OwnershipRule

SCALE = [models.Q(**{f"{name}__gte": 1}) & models.Q(**{f"{name}__lte": 4}) for name in ("severity", "frequency", "control")]


class AspectCondition(models.TextChoices):
    NORMAL = "normal", _("Normal")
    ABNORMAL = "abnormal", _("Abnormal")
    EMERGENCY = "emergency", _("Emergency")


@pghistory.track()
class EnvironmentalAspect(ScopedModel):
    """An environmental aspect of an activity and its impact, scored on the significance rule.

    Score and significance are derived by the services from ``risks/library/significance-default.yaml``
    (``risks.aspects.significance``).
    """

    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, related_name="environmental_aspects", verbose_name=_("site"),
    )
    process = models.ForeignKey(
        "qse.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="environmental_aspects",
        verbose_name=_("process"),
    )
    activity = models.CharField(_("activity"), max_length=200)
    aspect = models.CharField(_("environmental aspect"), max_length=200)
    impact = models.CharField(_("environmental impact"), max_length=200)
    condition = models.CharField(
        _("condition"), max_length=20, choices=AspectCondition.choices, default=AspectCondition.NORMAL,
    )
    severity = models.PositiveSmallIntegerField(_("severity"))
    frequency = models.PositiveSmallIntegerField(_("frequency"))
    control = models.PositiveSmallIntegerField(_("control"), help_text=_("1 = well controlled"))
    score = models.PositiveSmallIntegerField(_("score"), editable=False)
    is_significant = models.BooleanField(_("significant"), default=False, editable=False)
    is_compliance_obligation = models.BooleanField(_("linked to a compliance obligation"), default=False)
    compliance_reference = models.CharField(_("compliance reference"), max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_environmental_aspects",
        verbose_name=_("owner"),
    )
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)

    site_field = "site"
    # The aspect's owner and the owner of its process keep its assessment up to date.
    ownership = OwnershipRule("owner", "process__owner")

    class Meta:
        verbose_name = _("environmental aspect")
        verbose_name_plural = _("environmental aspects")
        ordering = ["-is_significant", "-score", "pk"]
        indexes = [models.Index(fields=["organization", "is_significant"])]
        constraints = [
            models.CheckConstraint(
                condition=SCALE[0] & SCALE[1] & SCALE[2], name="environmentalaspect_scores_1_to_4",
                violation_error_message=_("Scores go from 1 to 4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.aspect}"

    def get_absolute_url(self) -> str:
        return reverse("risks:environmentalaspect_detail", args=[self.pk])
