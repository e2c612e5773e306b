"""The audit report PDF (ISO 19011 6.5): scope, criteria, team, auditees, findings by
criterion with evidence and photos, strengths, opportunities for improvement, conclusion and
the drawn signatures. Rendered in Celery by qse.reports."""

from __future__ import annotations

import base64
import datetime

from django.utils.translation import gettext_lazy

from audits import selectors
from audits.choices import AnswerResult
from audits.models import Audit, AuditAnswer, AuditPhoto
from qse.reports import register_report

PHOTOS_PER_FINDING = 4


def _data_uri(field_file, mime: str) -> str | None:
    """A stored image inlined into the HTML (WeasyPrint reads no URL of ours)."""
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return f"data:{mime};base64,{base64.b64encode(handle.read()).decode()}"
    except (FileNotFoundError, OSError):
        return None


def audit_report_context(audit: Audit, user, *, today: datetime.date) -> dict:
    groups = selectors.findings_by_clause(audit, user=user)
    question_ids = [row["finding"].answer.question_id for _clause, rows in groups for row in rows]
    photos: dict[int, list[str]] = {}
    for photo in AuditPhoto.objects.restrict(user, "view").filter(question_id__in=question_ids, archived_at__isnull=True).order_by("taken_at", "pk"):
        if len(photos.setdefault(photo.question_id, [])) < PHOTOS_PER_FINDING:
            uri = _data_uri(photo.image, "image/jpeg")
            if uri:
                photos[photo.question_id].append(uri)
    for _clause, rows in groups:
        for row in rows:
            row["photos"] = photos.get(row["finding"].answer.question_id, [])
    improvements = (AuditAnswer.objects.restrict(user, "view")
                    .filter(question__audit=audit, result=AnswerResult.IMPROVEMENT)
                    .select_related("question").order_by("question__position", "pk"))
    return {
        "audit": audit, "today": today, "team": list(audit.auditors.all()),
        "auditees": list(audit.auditees.restrict(user, "view").filter(archived_at__isnull=True).select_related("person")),
        "groups": groups, "improvements": list(improvements),
        "counts": {result: sum(1 for _c, rows in groups for r in rows if r["finding"].result == result)
                   for result in (AnswerResult.MAJOR_NC, AnswerResult.MINOR_NC)},
        "lead_signature": _data_uri(audit.lead_signature, "image/png"),
        "auditee_signature": _data_uri(audit.auditee_signature, "image/png"),
    }


register_report(
    "audits.audit_report", model=Audit, title=gettext_lazy("Audit report"),
    context_builder=audit_report_context, template="audits/pdf/audit_report.html",
)
