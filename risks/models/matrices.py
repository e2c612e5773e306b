"""An organization's risk matrix: its editable copy of a library matrix."""

import pghistory
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qse.models import ScopedModel


@pghistory.track()
class RiskMatrix(ScopedModel):
    """Scales, level bands and acceptability threshold, as data (see ``risks.scoring``).

    Copied from a library file (``source_library_id`` and ``source_version`` say which), then
    edited by the coordinator; every change rescores the risks that use it.
    """

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source_library_id = models.CharField(_("library matrix"), max_length=100, blank=True, editable=False)
    source_version = models.PositiveIntegerField(_("library version"), null=True, blank=True, editable=False)
    is_default = models.BooleanField(_("default matrix"), default=False)
    scales = models.JSONField(_("scales"), help_text=_("Gravity, probability and optional detectability levels."))
    bands = models.JSONField(_("level bands"), help_text=_("Score ranges with their colour and label."))
    acceptability_threshold = models.PositiveIntegerField(
        _("acceptability threshold"), help_text=_("The highest score that is acceptable without treatment.")
    )

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(is_default=True, archived_at__isnull=True),
                name="riskmatrix_one_default_per_organization",
                violation_error_message=_("The organization already has a default matrix."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risks:riskmatrix_detail", args=[self.pk])

    @property
    def data(self) -> dict:
        """What ``risks.scoring`` reads."""
        return {"scales": self.scales, "bands": self.bands, "acceptability_threshold": self.acceptability_threshold}
