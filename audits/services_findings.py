"""Findings: each nonconforming answer of an audit becomes (or is linked to) an event of type
"audit finding" in nonconformities/, through the events' own service, once."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.choices import NONCONFORMING_RESULTS, AnswerResult
from audits.models import Audit, AuditAnswer, Finding
from nonconformities.choices import DetectionMethod, EventType, RequirementKind, Severity
from nonconformities.models import Event
from qse.services import ensure_can, recorded
from qse.standards import Standard

SEVERITY_OF_RESULT = {AnswerResult.MINOR_NC: Severity.MINOR, AnswerResult.MAJOR_NC: Severity.MAJOR}


def _requirement(answer: AuditAnswer) -> str:
    question = answer.question
    standard = Standard(question.standard).label if question.standard in Standard.values else question.standard
    return f"{standard} § {question.clause}".strip(" §") if question.clause else standard


def _event_data(audit: Audit, answer: AuditAnswer, *, today: datetime.date) -> dict:
    question = answer.question
    label = _("Audit finding {reference} § {clause}").format(reference=audit.reference or audit.pk,
                                                           clause=question.clause or "—")
    description = "\n\n".join(part for part in (
        question.text, answer.comment, _("Evidence seen: {evidence}").format(evidence=answer.evidence)
        if answer.evidence else "") if part)
    return {
        "event_type": EventType.AUDIT_FINDING, "title": f"{label} · {question.text}"[:200],
        "description": description, "occurred_at": answer.answered_at or timezone.now(), "detected_on": today,
        "site": audit.site, "process": audit.process, "severity": SEVERITY_OF_RESULT[answer.result],
        "detection_method": DetectionMethod.AUDIT, "requirement_kind": RequirementKind.STANDARD,
        "requirement": _requirement(answer)[:255],
    }


def _finding(audit: Audit, answer: AuditAnswer, event: Event) -> Finding:
    return Finding.objects.create(
        organization_id=audit.organization_id, audit=audit, answer=answer, event=event, result=answer.result,
        standard=answer.question.standard, clause=answer.question.clause,
    )


def collect_findings(*, audit: Audit, acting_user, today: datetime.date | None = None) -> list[Finding]:
    """Make a finding, and its event, of every nonconforming answer that has none yet.
    Idempotent: the audit row is locked, and an answer has at most one finding (unique)."""
    from nonconformities.services import event_create

    ensure_can(acting_user, "change", audit)
    today = today or timezone.localdate()
    created = []
    with recorded(acting_user):
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        answers = (AuditAnswer.objects.filter(question__audit=audit, result__in=NONCONFORMING_RESULTS,
                                              finding__isnull=True)
                   .select_related("question").order_by("question__position", "pk"))
        for answer in answers:
            event = event_create(acting_user=acting_user, data=_event_data(audit, answer, today=today), today=today)
            created.append(_finding(audit, answer, event))
    return created


def finding_link(*, answer: AuditAnswer, event: Event, acting_user) -> Finding:
    """Link a nonconforming answer to an event that already exists (a finding seen twice, an
    event opened before the audit) instead of opening a new one."""
    audit = answer.question.audit
    ensure_can(acting_user, "change", audit)
    ensure_can(acting_user, "view", event)
    if answer.result not in NONCONFORMING_RESULTS:
        raise ValidationError({"answer": [_("Only a nonconforming answer becomes a finding.")]})
    if Finding.objects.filter(answer=answer).exists():
        raise ValidationError({"answer": [_("This answer already has its finding.")]})
    with recorded(acting_user):
        return _finding(audit, answer, event)
