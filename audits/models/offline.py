"""Offline checklists: the changes devices send (``AnswerOp``) and the lease that reserves an
audit to one device while it is worked offline (``AuditLease``).

Each change carries an id chosen by the device, stored under a unique constraint: a sync
replayed after a lost response finds its ops already there and changes nothing.
"""

import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audits.choices import ConflictResolution, OpStatus
from qse.models import ScopedModel
from qse.querysets import OwnershipRule


@pghistory.track()
class AnswerOp(ScopedModel):
    """One change of an answer made on a device (offline or online: the page has one path).

    ``values`` holds the fields the change sets (result, comment, evidence, score);
    ``base_version`` the answer's version the device started from (0: no answer yet). A
    ``conflict`` keeps both versions until someone chooses (``resolution``)."""

    op_id = models.UUIDField(_("change identifier"), unique=True, default=uuid.uuid4, editable=False)
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="answer_ops",
                              verbose_name=_("audit"))
    question = models.ForeignKey("audits.AuditQuestion", on_delete=models.CASCADE, related_name="ops",
                                 verbose_name=_("question"))
    values = models.JSONField(_("values"), default=dict)
    base_version = models.PositiveIntegerField(_("base version"), default=0)
    device = models.CharField(_("device"), max_length=64, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_answer_ops",
                             verbose_name=_("author"))
    made_at = models.DateTimeField(_("made at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=OpStatus.choices)
    resolution = models.CharField(_("resolution"), max_length=20, choices=ConflictResolution.choices, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    site_field = "audit__site"
    ownership = OwnershipRule("audit__lead_auditor", "audit__auditors")

    class Meta:
        verbose_name = _("checklist change")
        verbose_name_plural = _("checklist changes")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["audit", "status"], name="answerop_audit_status")]

    def __str__(self) -> str:
        return f"{self.question} ({self.get_status_display()})"


@pghistory.track()
class AuditLease(ScopedModel):
    """An audit reserved to one auditor's device while it is worked offline ("prepared for
    this device"). Others see the checklist read-only until it is released or expires."""

    audit = models.OneToOneField("audits.Audit", on_delete=models.CASCADE, related_name="lease",
                                 verbose_name=_("audit"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_leases",
                             verbose_name=_("auditor"))
    device = models.CharField(_("device"), max_length=64)
    device_label = models.CharField(_("device name"), max_length=80, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    site_field = "audit__site"
    ownership = OwnershipRule("audit__lead_auditor", "audit__auditors")

    class Meta:
        verbose_name = _("offline reservation")
        verbose_name_plural = _("offline reservations")

    def __str__(self) -> str:
        return f"{self.audit} · {self.user}"

    def is_active(self, now) -> bool:
        return self.released_at is None and self.expires_at > now
