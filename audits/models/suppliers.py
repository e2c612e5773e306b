"""The supplier register (ISO 9001 8.4: control of externally provided processes)."""

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from audits.choices import SupplierStatus
from qse.models import ScopedModel


@pghistory.track()
class Supplier(ScopedModel):
    """An external provider whose QSE performance the organization evaluates."""

    name = models.CharField(_("name"), max_length=200)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    category = models.CharField(_("category"), max_length=120, blank=True,
                                help_text=_("What it supplies: raw material, subcontracting, service..."))
    status = models.CharField(_("status"), max_length=20, choices=SupplierStatus.choices,
                              default=SupplierStatus.UNDER_EVALUATION)
    critical = models.BooleanField(_("critical supplier"), default=False,
                                   help_text=_("Its failure would stop production or affect product conformity."))
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

