"""Writes of the audits app: audits under the independence rule, their workflow, auditees,
the follow-up audit and the signatures. Findings are in ``services_findings``."""

from __future__ import annotations

import datetime
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import workflow
from audits.choices import AuditStatus
from audits.independence import auditee_errors, independence_errors
from audits.models import Audit, Auditee
from qse.services import (
    ConflictError,
    ensure_can,
    object_bump,
    object_create,
    object_update,
    recorded,
)

SIGNATURE_MAX_BYTES = 200 * 1024
SIGNATURE_MAX_SIDE = 2000


def _check_team(*, process, lead_auditor, auditors, auditees) -> None:
    errors = independence_errors(process=process, lead_auditor=lead_auditor, auditors=auditors, auditees=auditees)
    if errors:
        raise ValidationError(errors)


def audit_create(*, acting_user, data: dict) -> Audit:
    """Plan an audit; its team must be independent of the audited process."""
    ensure_can(acting_user, "add", Audit)
    _check_team(process=data.get("process"), lead_auditor=data.get("lead_auditor"),
                auditors=list(data.get("auditors") or ()), auditees=())
    return object_create(model=Audit, acting_user=acting_user, data=data)


def audit_update(*, audit: Audit, acting_user, data: dict, expected_version: int | None) -> Audit:
    """Edit an audit (not its status: see ``audit_transition``); the team stays independent
    of the audited process and of the audit's auditees."""
    ensure_can(acting_user, "change", audit)
    data = {name: value for name, value in data.items() if name != "status"}
    _check_team(
        process=data.get("process", audit.process), lead_auditor=data.get("lead_auditor", audit.lead_auditor),
        auditors=list(data["auditors"]) if "auditors" in data else list(audit.auditors.all()),
        auditees=[auditee.person for auditee in audit.auditees.select_related("person")],
    )
    return object_update(obj=audit, acting_user=acting_user, data=data, expected_version=expected_version)


def auditee_save(*, acting_user, data: dict, auditee: Auditee | None = None,
                 expected_version: int | None = None) -> Auditee:
    """Add (or edit) an auditee; nobody of the audit team is an auditee of their own audit."""
    audit = data.get("audit") or auditee.audit
    errors = auditee_errors(person=data.get("person", getattr(auditee, "person", None)),
                            lead_auditor=audit.lead_auditor, auditors=list(audit.auditors.all()))
    if errors:
        raise ValidationError(errors)
    if auditee is None:
        return object_create(model=Auditee, acting_user=acting_user, data=data)
    return object_update(obj=auditee, acting_user=acting_user, data=data, expected_version=expected_version)


def audit_facts(audit: Audit) -> workflow.AuditFacts:
    """What the workflow's guards read, in two queries."""
    counts = audit.questions.aggregate(
        total=Count("pk"), unanswered=Count("pk", filter=Q(answer__isnull=True) | Q(answer__result="")))
    auditees = [auditee.person for auditee in audit.auditees.select_related("person")]
    independent = not independence_errors(process=audit.process, lead_auditor=audit.lead_auditor,
                                          auditors=list(audit.auditors.all()), auditees=auditees)
    return workflow.AuditFacts(
        status=audit.status, has_lead_auditor=audit.lead_auditor_id is not None,
        question_count=counts["total"], unanswered_count=counts["unanswered"],
        opening_held=audit.opening_held_at is not None, closing_held=audit.closing_held_at is not None,
        has_conclusion=bool(audit.conclusion.strip()), is_independent=independent,
    )


def audit_transition(*, audit: Audit, acting_user, to_status: str, expected_version: int | None = None,
                     today: datetime.date | None = None, reason: str = "") -> Audit:
    """Move the audit along its workflow under the guards, on the locked row. Moving to
    "reported" collects the findings (each nonconforming answer becomes an event)."""
    from audits.services_findings import collect_findings

    ensure_can(acting_user, "change", audit)
    today = today or timezone.localdate()
    with recorded(acting_user, reason):
        locked = Audit.objects.select_for_update().get(pk=audit.pk)
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(locked)
        reasons = workflow.refusals(audit_facts(locked), to_status)
        if reasons:
            raise ValidationError(reasons)
        changes = {"status": to_status}
        if to_status == AuditStatus.REPORTED:
            changes["reported_on"] = today
        moved = object_bump(obj=locked, acting_user=acting_user, expected_version=None, reason=reason, **changes)
        if to_status == AuditStatus.REPORTED:
            collect_findings(audit=moved, acting_user=acting_user, today=today)
    return moved


def follow_up_create(*, audit: Audit, acting_user, planned_start: datetime.date) -> Audit:
    """Plan a follow-up audit of ``audit``: same scope, criteria and place, the clauses of its
    findings, the same team (checked again for independence)."""
    ensure_can(acting_user, "view", audit)
    clauses = sorted({clause for clause in audit.findings.values_list("clause", flat=True) if clause})
    data = {
        "programme": audit.programme, "title": _("Follow-up: {title}").format(title=audit.title),
        "kind": audit.kind, "category": audit.category, "standards": list(audit.standards),
        "clauses": clauses or list(audit.clauses), "scope": audit.scope, "criteria": audit.criteria,
        "objectives": _("Check that the corrections of the findings of {audit} are effective.").format(
            audit=audit.reference or audit.title),
        "process": audit.process, "site": audit.site, "supplier": audit.supplier,
        "planned_start": planned_start, "lead_auditor": audit.lead_auditor, "follow_up_of": audit,
        "reference": f"{audit.reference}-S" if audit.reference else "",
        "auditors": list(audit.auditors.all()),
    }
    return audit_create(acting_user=acting_user, data=data)


def _checked_png(content: bytes) -> bytes:
    """A drawn signature: a real PNG, small, of a sensible size (checked by content)."""
    from PIL import Image, UnidentifiedImageError

    if len(content) > SIGNATURE_MAX_BYTES:
        raise ValidationError({"signature": [_("The signature is too large (200 KB at most).")]})
    if not content.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError({"signature": [_("The signature must be a PNG image.")]})
    try:
        image = Image.open(io.BytesIO(content))
        image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError({"signature": [_("The signature must be a PNG image.")]}) from error
    if max(image.size) > SIGNATURE_MAX_SIDE:
        raise ValidationError({"signature": [_("The signature is too large (200 KB at most).")]})
    return content


def audit_sign(*, audit: Audit, acting_user, signer: str, content: bytes, name: str = "") -> Audit:
    """Store a drawn signature (``signer``: "lead" or "auditee") on the audit's report. The
    lead auditor signs for themselves; the auditee's representative signs on the auditor's
    tablet, so whoever keeps the audit records it, with the representative's name."""
    ensure_can(acting_user, "change", audit)
    if signer == "lead" and audit.lead_auditor_id != acting_user.pk:
        raise ValidationError({"signature": [_("Only the lead auditor signs as the lead auditor.")]})
    if signer == "auditee" and not (name or audit.auditee_representative).strip():
        raise ValidationError({"name": [_("Name the auditee's representative who signs.")]})
    if signer not in ("lead", "auditee"):
        raise ValidationError({"signer": [_("Unknown signer.")]})
    content = _checked_png(content)
    field = "lead_signature" if signer == "lead" else "auditee_signature"
    with recorded(acting_user):
        locked = Audit.objects.select_for_update().get(pk=audit.pk)
        getattr(locked, field).save(f"{field}.png", ContentFile(content), save=False)
        changes = {field: getattr(locked, field).name}
        if signer == "auditee" and name.strip():
            changes["auditee_representative"] = name.strip()
        return object_bump(obj=locked, acting_user=acting_user, expected_version=None, **changes)
