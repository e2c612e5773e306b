"""The audit programme and its audits (ISO 19011)."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audits.choices import AuditCategory, AuditKind, AuditStatus
from qse.models import ScopedModel
from qse.querysets import OwnershipRule
from qse.standards import Standard


@pghistory.track()
class AuditProgramme(ScopedModel):
    """The audits planned for one year."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="audit_programmes", verbose_name=_("person in charge"),
    )

    class Meta:
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:auditprogramme_detail", args=[self.pk])


def signature_path(audit: "Audit", filename: str) -> str:
    return f"audits/{audit.organization_id}/signatures/{audit.pk}-{filename}"


@pghistory.track()
class Audit(ScopedModel):
    """One audit: its scope and criteria, team, dates, checklist and conclusion."""

    programme = models.ForeignKey(
        AuditProgramme, on_delete=models.PROTECT, null=True, blank=True,
        related_name="audits", verbose_name=_("programme"),
    )
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=AuditKind.choices, default=AuditKind.PROCESS)
    category = models.CharField(_("category"), max_length=20, choices=AuditCategory.choices,
                                default=AuditCategory.INTERNAL)
    status = models.CharField(_("status"), max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNED)
    standards = ArrayField(
        models.CharField(max_length=20, choices=Standard.choices), default=list, blank=True,
        verbose_name=_("standards"),
    )
    clauses = ArrayField(
        models.CharField(max_length=20), default=list, blank=True, verbose_name=_("clauses"),
        help_text=_("The clauses audited, e.g. 8.4, 9.1.2."),
    )
    scope = models.TextField(_("scope"), blank=True)
    criteria = models.TextField(_("criteria"), blank=True,
                                help_text=_("Standards' clauses, compliance requirements, customer requirements."))
    objectives = models.TextField(_("objectives"), blank=True)
    process = models.ForeignKey(
        "qse.Process", on_delete=models.PROTECT, null=True, blank=True,
        related_name="audits", verbose_name=_("process"),
    )
    site = models.ForeignKey(
        "qse.Site", on_delete=models.PROTECT, null=True, blank=True,
        related_name="audits", verbose_name=_("site"),
    )
    supplier = models.ForeignKey(
        "audits.Supplier", on_delete=models.PROTECT, null=True, blank=True,
        related_name="audits", verbose_name=_("supplier"),
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="led_audits", verbose_name=_("lead auditor"),
    )
    auditors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="audits_as_auditor", verbose_name=_("audit team"),
    )
    strengths = models.TextField(_("strengths"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups",
        verbose_name=_("follow-up of"), help_text=_("The audit whose findings this one checks."),
    )
    # The opening and closing meetings (ISO 19011 6.4.3 and 6.4.9).
    opening_held_at = models.DateTimeField(_("opening meeting held at"), null=True, blank=True)
    opening_attendees = models.TextField(_("opening meeting attendees"), blank=True)
    opening_notes = models.TextField(_("opening meeting notes"), blank=True)
    closing_held_at = models.DateTimeField(_("closing meeting held at"), null=True, blank=True)
    closing_attendees = models.TextField(_("closing meeting attendees"), blank=True)
    closing_notes = models.TextField(_("closing meeting notes"), blank=True)
    reported_on = models.DateField(_("report date"), null=True, blank=True, editable=False)
    auditee_representative = models.CharField(_("auditee's representative"), max_length=150, blank=True)
    lead_signature = models.FileField(_("lead auditor's signature"), upload_to=signature_path, blank=True,
                                      editable=False)
    auditee_signature = models.FileField(_("auditee's signature"), upload_to=signature_path, blank=True,
                                         editable=False)

    site_field = "site"
    # The lead auditor and the audit team keep their audit up to date (issue 12).
    ownership = OwnershipRule("lead_auditor", "auditors")

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-planned_start", "-pk"]
        indexes = [
            models.Index(fields=["organization", "planned_start"], name="audit_org_start"),
            # The supplier evaluation reads each supplier's audits, newest first: only the
            # supplier audits, not every internal audit of the organization's history.
            models.Index(fields=["supplier", "-planned_start"], name="audit_supplier_start",
                         condition=models.Q(kind="supplier", archived_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("audits:audit_detail", args=[self.pk])

