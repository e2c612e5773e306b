"""The supplier register (ISO 9001 8.4: control of externally provided processes)."""

import pghistory
from django.conf import settings
from django.db import models
from django.urls import reverse
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
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="suppliers", verbose_name=_("buyer in charge"),
        help_text=_("Receives the reminders of this supplier's expiring certifications."),
    )

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("audits:supplier_detail", args=[self.pk])



@pghistory.track()
class SupplierFigure(ScopedModel):
    """A supplier's delivery and quality figures for one month, entered or imported
    (the receiving inspection's or the ERP's counts)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="figures",
                                 verbose_name=_("supplier"))
    period = models.DateField(_("month"), help_text=_("Any day of the month; stored as its first day."))
    lots_delivered = models.PositiveIntegerField(_("lots delivered"), default=0)
    lots_on_time = models.PositiveIntegerField(_("lots on time"), default=0)
    lots_rejected = models.PositiveIntegerField(_("lots rejected"), default=0)
    quantity_received = models.PositiveIntegerField(_("parts received"), default=0)
    quantity_rejected = models.PositiveIntegerField(_("parts rejected"), default=0)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("supplier figures")
        verbose_name_plural = _("supplier figures")
        ordering = ["supplier", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "supplier", "period"], name="supplierfigure_one_per_month",
                                    violation_error_message=_("This supplier already has figures for this month.")),
            models.CheckConstraint(condition=models.Q(lots_on_time__lte=models.F("lots_delivered"),
                                                      lots_rejected__lte=models.F("lots_delivered")),
                                   name="supplierfigure_lots_within_delivered",
                                   violation_error_message=_("Lots on time and lots rejected cannot exceed the lots delivered.")),
            models.CheckConstraint(condition=models.Q(quantity_rejected__lte=models.F("quantity_received")),
                                   name="supplierfigure_rejected_within_received",
                                   violation_error_message=_("Parts rejected cannot exceed the parts received.")),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.period:%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("audits:supplierfigure_detail", args=[self.pk])


@pghistory.track()
class SupplierCertification(ScopedModel):
    """A certificate the supplier holds (ISO 9001, IATF 16949, MASE...), with its expiry."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="certifications",
                                 verbose_name=_("supplier"))
    standard = models.CharField(_("standard"), max_length=80, help_text=_("ISO 9001:2015, ISO 14001:2015, MASE..."))
    body = models.CharField(_("certification body"), max_length=120, blank=True)
    number = models.CharField(_("certificate number"), max_length=80, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"))

    class Meta:
        verbose_name = _("supplier certification")
        verbose_name_plural = _("supplier certifications")
        ordering = ["supplier", "expires_on"]

    def __str__(self) -> str:
        return f"{self.supplier}: {self.standard}"

    def get_absolute_url(self) -> str:
        return reverse("audits:suppliercertification_detail", args=[self.pk])


@pghistory.track()
class SupplierRequirement(ScopedModel):
    """A requirement shared with the supplier (quality agreement, specification, safety rules
    on site) and its acknowledgement: when, by whom, with which signed document (attached)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="requirements",
                                 verbose_name=_("supplier"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    document_reference = models.CharField(_("document reference"), max_length=120, blank=True,
                                          help_text=_("The document sent (reference and revision)."))
    shared_on = models.DateField(_("shared on"), null=True, blank=True)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    acknowledged_by = models.CharField(_("acknowledged by"), max_length=150, blank=True,
                                       help_text=_("The supplier's signatory (name and function)."))
    acknowledgement_reference = models.CharField(_("acknowledgement document"), max_length=120, blank=True,
                                                 help_text=_("The signed copy or the reply received (attach it)."))

    class Meta:
        verbose_name = _("supplier requirement")
        verbose_name_plural = _("supplier requirements")
        ordering = ["supplier", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(acknowledged_on__isnull=True) | models.Q(shared_on__isnull=False),
                name="supplierrequirement_acknowledged_after_shared",
                violation_error_message=_("A requirement is acknowledged after it was shared: give the date it was shared.")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:supplierrequirement_detail", args=[self.pk])
