"""The management review's audit sections (ISO 9001 9.3.2 c) 6), ISO 14001 / 45001 9.3 audit
results): read in the review's tenant context (row-level security applies), aggregated in SQL,
a constant number of queries whatever the number of audits and findings."""

from __future__ import annotations

from django.db.models import Count, F, Func, Q
from django.utils.translation import gettext as _

from audits import selectors
from audits.choices import AnswerResult, AuditStatus
from audits.models import Audit, Finding
from qse.models import Process
from qse.review import ReviewScope

DONE = (AuditStatus.REPORTED, AuditStatus.CLOSED)
OPEN_EVENT = ~Q(event__status__in=("closed", "rejected"))


def _audits(scope: ReviewScope):
    """The audits of the review's period (by planned start), sites, standards and process."""
    audits = Audit.objects.filter(organization_id=scope.organization_id, archived_at__isnull=True,
                                  planned_start__range=(scope.start, scope.end))
    if scope.site_ids:
        audits = audits.filter(Q(site_id__in=scope.site_ids) | Q(site__isnull=True))
    if scope.standards:
        audits = audits.filter(standards__overlap=list(scope.standards))
    if scope.process_id:
        audits = audits.filter(process_id=scope.process_id)
    return audits


def audit_results(scope: ReviewScope) -> dict:
    """Audits done by standard and by process, and their findings by severity and by whether
    their event is still open: four queries."""
    done = _audits(scope).filter(status__in=DONE)
    by_standard = dict(done.annotate(standard=Func(F("standards"), function="unnest"))
                       .values_list("standard").annotate(n=Count("pk")).order_by())
    findings = Finding.objects.filter(audit__in=done.values("pk"))
    severity = {(row["standard"], row["result"]): row for row in findings.values("standard", "result").annotate(
        n=Count("pk"), open=Count("pk", filter=OPEN_EVENT)).order_by()}
    standards = sorted(set(by_standard) | {standard for standard, _result in severity})
    rows = [[standard, by_standard.get(standard, 0),
             severity.get((standard, AnswerResult.MAJOR_NC), {}).get("n", 0),
             severity.get((standard, AnswerResult.MINOR_NC), {}).get("n", 0),
             sum(row["open"] for (s, _r), row in severity.items() if s == standard)] for standard in standards]
    by_process = list(done.values("process__code", "process__name").annotate(
        audit_count=Count("pk", distinct=True), finding_count=Count("findings", distinct=True),
        open_count=Count("findings", filter=~Q(findings__event__status__in=("closed", "rejected")), distinct=True),
    ).order_by("process__code"))
    totals = findings.aggregate(n=Count("pk"), major=Count("pk", filter=Q(result=AnswerResult.MAJOR_NC)),
                                open=Count("pk", filter=OPEN_EVENT))
    audit_count = done.count()
    return {
        "summary": _("{audits} audit(s) done, {findings} finding(s) of which {major} major; {open} still open.").format(
            audits=audit_count, findings=totals["n"], major=totals["major"], open=totals["open"]),
        "columns": [_("standard"), _("audits done"), _("major nonconformities"), _("minor nonconformities"),
                    _("findings still open")],
        "rows": rows,
        "by_process": [[row["process__code"] or "—", row["process__name"] or _("No process"), row["audit_count"],
                        row["finding_count"], row["open_count"]] for row in by_process],
        "process_columns": [_("code"), _("process"), _("audits done"), _("findings"), _("findings still open")],
        "chart": {"kind": "bar", "labels": [row[0] for row in rows], "series": [
            {"name": _("major nonconformities"), "values": [row[2] for row in rows]},
            {"name": _("minor nonconformities"), "values": [row[3] for row in rows]}]},
    }


def programme_completion(scope: ReviewScope) -> dict:
    """Planned against done over the period, and what the period's audits leave uncovered
    (clauses of the reviewed standards, processes): five queries."""
    audits = _audits(scope)
    counts = audits.aggregate(planned=Count("pk", filter=~Q(status=AuditStatus.CANCELLED)),
                              done=Count("pk", filter=Q(status__in=DONE)),
                              cancelled=Count("pk", filter=Q(status=AuditStatus.CANCELLED)),
                              late=Count("pk", filter=Q(planned_start__lt=scope.end) & ~Q(
                                  status__in=(*DONE, AuditStatus.CANCELLED))))
    processes = Process.objects.filter(organization_id=scope.organization_id, archived_at__isnull=True)
    if scope.process_id:
        processes = processes.filter(pk=scope.process_id)
    coverage = selectors.coverage_of(audits.exclude(status=AuditStatus.CANCELLED), processes)
    standards = [s for s in coverage["standards"] if not scope.standards or s["standard"] in scope.standards]
    rate = round(100 * counts["done"] / counts["planned"]) if counts["planned"] else None
    return {
        "summary": _("{done} of {planned} planned audit(s) done ({rate}); {late} late, {cancelled} cancelled.").format(
            done=counts["done"], planned=counts["planned"], rate=f"{rate} %" if rate is not None else "—",
            late=counts["late"], cancelled=counts["cancelled"]),
        **counts, "rate": rate,
        "columns": [_("standard"), _("clauses covered"), _("clauses"), _("gaps")],
        "rows": [[s["standard"], s["covered"], s["total"], ", ".join(number for number, _t, _d in s["gaps"])]
                 for s in standards],
        "process_gaps": [f"{p.code} {p.name}" for p in coverage["process_gaps"]],
    }
