"""Per-organization counters behind human references (EV-2026-0001...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceCounter(models.Model):
    """The last number handed out for one scope (for example ``event-2026``) of one organization.

    Numbers come from ``qse.references.next_number``: one upsert that locks the row, so two
    concurrent creations never get the same number. The row is tenant data (RLS applies).
    """

    organization = models.ForeignKey(
        "qse.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization"),
    )
    scope = models.CharField(_("scope"), max_length=40)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [
            models.UniqueConstraint(fields=["organization", "scope"], name="reference_counter_unique_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.last}"
