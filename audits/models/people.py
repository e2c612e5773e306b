"""The people of an audit: its auditees and plan (schedule), and the auditors' competence."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audits.choices import AuditeeReason, ScheduleActivity
from qse.models import ScopedModel
from qse.querysets import OwnershipRule
from qse.standards import Standard

# Who keeps an audit's auditees and plan: the people who keep the audit.
AUDIT_KEEPERS = ("audit__lead_auditor", "audit__auditors")


@pghistory.track()
class Auditee(ScopedModel):
    """A person the audit interviews, chosen for a reason (ISO 19011 6.3.2)."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="auditees",
                              verbose_name=_("audit"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audited_in",
                               verbose_name=_("person"))
    reason = models.CharField(_("reason"), max_length=20, choices=AuditeeReason.choices,
                              default=AuditeeReason.INVOLVEMENT)
    note = models.TextField(_("note"), blank=True)

    site_field = "audit__site"
    ownership = OwnershipRule(*AUDIT_KEEPERS)

    class Meta:
        verbose_name = _("auditee")
        verbose_name_plural = _("auditees")
        ordering = ["audit", "pk"]
        constraints = [models.UniqueConstraint(fields=["audit", "person"], name="auditee_once_per_audit")]

    def __str__(self) -> str:
        return self.person.get_full_name() or self.person.get_username()

    def get_absolute_url(self) -> str:
        return reverse("audits:auditee_detail", args=[self.audit_id, self.pk])


@pghistory.track()
class ScheduleItem(ScopedModel):
    """One line of the audit plan: when, what (an interview, a visit), where and with whom."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="schedule_items",
                              verbose_name=_("audit"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    activity = models.CharField(_("activity"), max_length=20, choices=ScheduleActivity.choices,
                                default=ScheduleActivity.INTERVIEW)
    subject = models.CharField(_("subject"), max_length=200)
    location = models.CharField(_("location"), max_length=200, blank=True)
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="audit_schedule_items",
                                    verbose_name=_("people met"))

    site_field = "audit__site"
    ownership = OwnershipRule(*AUDIT_KEEPERS)

    class Meta:
        verbose_name = _("audit plan item")
        verbose_name_plural = _("audit plan")
        ordering = ["audit", "starts_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="schedule_item_ends_after_start")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("audits:scheduleitem_detail", args=[self.audit_id, self.pk])


@pghistory.track()
class AuditorCompetence(ScopedModel):
    """What qualifies an auditor (ISO 19011 7): standards, sectors, training, qualification."""

    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="auditor_competences", verbose_name=_("auditor"))
    standards = ArrayField(models.CharField(max_length=20, choices=Standard.choices), default=list, blank=True,
                           verbose_name=_("standards"))
    sectors = models.CharField(_("sectors"), max_length=200, blank=True)
    training = models.TextField(_("training"), blank=True)
    qualified_on = models.DateField(_("qualification date"), null=True, blank=True)

    class Meta:
        verbose_name = _("auditor competence")
        verbose_name_plural = _("auditor competences")
        ordering = ["auditor", "-qualified_on", "pk"]

    def __str__(self) -> str:
        return self.auditor.get_full_name() or self.auditor.get_username()

    def get_absolute_url(self) -> str:
        return reverse("audits:auditorcompetence_detail", args=[self.pk])
