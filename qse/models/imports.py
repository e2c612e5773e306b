"""An organization's remembered answers of the import's value step."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qse.querysets import ScopedQuerySet


class ImportValueMapping(models.Model):
    """What a wording of the organization's files means for one field of one register
    ("Risque électrique" -> the hazard family ``electricity``), confirmed once on the import's
    value step and proposed at the next import. A setting of the organization, not a record:
    no history; row-level security keeps it to its organization (``qse.rls``)."""

    organization = models.ForeignKey(
        "qse.Organization", on_delete=models.CASCADE, related_name="import_value_mappings",
        verbose_name=_("organization"),
    )
    target = models.CharField(_("register"), max_length=100)  # the model's label, "risks.occupationalrisk"
    field = models.CharField(_("field"), max_length=100)
    source = models.CharField(_("wording in the file"), max_length=200)  # normalized (qse.imports.normalize)
    value = models.CharField(_("value"), max_length=100)  # a choice's value or a record's id
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("remembered import value")
        verbose_name_plural = _("remembered import values")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "target", "field", "source"], name="qse_importvaluemapping_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target}.{self.field}: {self.source} -> {self.value}"
