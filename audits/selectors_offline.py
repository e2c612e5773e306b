"""Reads of the offline checklist: the bundle a device downloads to work an audit offline,
and the conflicts waiting on an audit. A fixed number of queries, whatever the checklist's size."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.urls import reverse

from audits.choices import AnswerResult, OpStatus
from audits.models import AnswerOp, Audit, AuditAnswer, AuditLease, AuditPhoto, AuditQuestion
from audits.services_offline import may_answer


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def open_conflicts(audit: Audit) -> list[AnswerOp]:
    return list(AnswerOp.objects.filter(audit=audit, status=OpStatus.CONFLICT, resolution="")
                .select_related("user").order_by("created_at"))


def lease_of(audit: Audit, now: datetime.datetime) -> AuditLease | None:
    lease = AuditLease.objects.filter(audit=audit).select_related("user").first()
    return lease if lease and lease.is_active(now) else None


def lease_data(lease: AuditLease | None) -> dict | None:
    if lease is None:
        return None
    return {"device": lease.device, "device_label": lease.device_label, "user": lease.user_id,
            "user_name": _name(lease.user), "expires_at": lease.expires_at.isoformat()}


def checklist_bundle(*, audit: Audit, user, now: datetime.datetime) -> dict:
    """Everything the checklist page needs, as one JSON-ready object: the audit, its questions
    with their answers (and versions), photos, open conflicts, the lease and the lookups."""
    answers = AuditAnswer.objects.select_related("answered_by")
    photos = AuditPhoto.objects.filter(archived_at__isnull=True).only("uuid", "question_id", "caption", "bytes")
    questions = (AuditQuestion.objects.filter(audit=audit, archived_at__isnull=True)
                 .prefetch_related(Prefetch("answer", queryset=answers), Prefetch("photos", queryset=photos))
                 .order_by("position", "pk"))
    conflicts = {}
    for op in open_conflicts(audit):
        conflicts.setdefault(op.question_id, []).append({
            "op_id": str(op.op_id), "values": op.values, "user_name": _name(op.user), "device": op.device,
            "made_at": (op.made_at or op.created_at).isoformat(),
        })
    audit_row = Audit.objects.select_related("site", "process", "lead_auditor").get(pk=audit.pk)
    return {
        "audit": {
            "id": audit.pk, "reference": audit.reference, "title": audit.title, "status": audit.status,
            "site": str(audit_row.site or ""), "process": str(audit_row.process or ""),
            "lead_auditor": _name(audit_row.lead_auditor), "planned_start": audit.planned_start.isoformat(),
        },
        "questions": [_question(q, conflicts.get(q.pk, [])) for q in questions],
        "lease": lease_data(lease_of(audit, now)),
        "may_answer": may_answer(user, audit),
        "lookups": {"results": [{"value": v, "label": str(label)} for v, label in AnswerResult.choices]},
        "user": {"id": user.pk, "name": _name(user)},
        "generated_at": now.isoformat(),
    }


def _question(question: AuditQuestion, conflicts: list) -> dict:
    answer = getattr(question, "answer", None) if _has_answer(question) else None
    return {
        "id": question.pk, "position": question.position, "standard": question.get_standard_display(),
        "clause": question.clause, "text": question.text, "guidance": question.guidance,
        "answer": None if answer is None else {
            "result": answer.result, "comment": answer.comment, "evidence": answer.evidence, "score": answer.score,
            "version": answer.version, "answered_by": _name(answer.answered_by),
            "answered_at": answer.answered_at.isoformat() if answer.answered_at else None,
        },
        "version": answer.version if answer else 0,
        "photos": [{"uuid": str(p.uuid), "url": reverse("audits:checklist_photo", args=[p.uuid]), "bytes": p.bytes}
                   for p in question.photos.all()],
        "conflicts": conflicts,
    }


def _has_answer(question: AuditQuestion) -> bool:
    try:
        question.answer  # noqa: B018  (prefetched: no query)
    except AuditAnswer.DoesNotExist:
        return False
    return True
