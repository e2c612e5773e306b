"""Reads of the audits app: the programme's calendar, coverage and risk-based frequency, an
audit's findings with the follow-up of their corrections. Scoped through ``restrict()``."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from audits import planning
from audits.choices import AuditStatus
from audits.models import Audit, AuditQuestion, Finding
from qse.models import Process
from qse.standards import Standard

STANDARD_LABELS = dict(Standard.choices)

ACTIVE = ~Q(status=AuditStatus.CANCELLED)


def audit_queryset():
    """Audits with what their lists and pages show."""
    return Audit.objects.select_related("programme", "process", "site", "supplier", "lead_auditor")


def programme_audits(programme, *, user):
    """The programme's audits the user may see, by date."""
    return (audit_queryset().restrict(user, "view").filter(programme=programme, archived_at__isnull=True)
            .order_by("planned_start", "pk"))


def programme_calendar(programme, *, user) -> list[tuple[datetime.date, list[Audit]]]:
    """The programme's year month by month (every month shown, empty ones too)."""
    by_month = defaultdict(list)
    for audit in programme_audits(programme, user=user):
        by_month[(audit.planned_start.year, audit.planned_start.month)].append(audit)
    return [(datetime.date(programme.year, month, 1), by_month.get((programme.year, month), []))
            for month in range(1, 13)]


def _count(queryset) -> Coalesce:
    """The number of rows of a subquery filtered on its outer process (grouped by it: one row)."""
    return Coalesce(Subquery(queryset.order_by().values("process").annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def process_frequencies(programme, *, user, today: datetime.date) -> list[dict]:
    """Per process: its high risks (open, score above its matrix's acceptability threshold),
    its events of the last 12 months, the proposed frequency with its reason, and the audits
    planned this year and done the year before: one query."""
    from nonconformities.models import Event
    from risks.models import Risk

    high = Risk.objects.filter(process=OuterRef("pk"), status="open", archived_at__isnull=True).filter(
        Q(residual_score__gt=F("matrix__acceptability_threshold"))
        | Q(residual_score__isnull=True, inherent_score__gt=F("matrix__acceptability_threshold")))
    events = Event.objects.filter(process=OuterRef("pk"), detected_on__gt=today - datetime.timedelta(days=365),
                                  archived_at__isnull=True).exclude(status="rejected")
    audits = Audit.objects.filter(process=OuterRef("pk"), archived_at__isnull=True).filter(ACTIVE)
    processes = (Process.objects.restrict(user, "view").filter(archived_at__isnull=True)
                 .annotate(high_risk_count=_count(high), event_count=_count(events),
                           planned_count=_count(audits.filter(planned_start__year=programme.year)),
                           last_year_count=_count(audits.filter(planned_start__year=programme.year - 1)))
                 .order_by("code", "pk"))
    rows = []
    for process in processes:
        frequency = planning.frequency_for(high_risks=process.high_risk_count, events=process.event_count)
        needed = int(frequency.per_year) if frequency.per_year >= 1 else (0 if process.last_year_count else 1)
        rows.append({"process": process, "frequency": frequency, "label": planning.frequency_label(frequency.per_year),
                     "planned": process.planned_count, "needed": needed, "short": process.planned_count < needed})
    return rows


def _audited_clauses(audits) -> dict[str, set[str]]:
    """The clauses each standard's audits of the programme cover: the audits' own clauses and
    their checklists' questions' (a system audit with no clause named covers its standards)."""
    covered: dict[str, set[str]] = defaultdict(set)
    for standards, clauses, kind in audits.values_list("standards", "clauses", "kind"):
        for standard in standards:
            covered[standard].update(clauses)
            if kind == "system" and not clauses:
                covered[standard].update(number for number, _title in planning.clauses_of(standard))
    questions = AuditQuestion.objects.filter(audit__in=audits.values("pk")).exclude(clause="")
    for standard, clause in questions.values_list("standard", "clause").distinct():
        covered[standard].add(clause)
    return covered


def programme_coverage(programme, *, user) -> dict:
    """Every clause of ISO 9001/14001/45001 and every process: covered by the year's audits
    (not cancelled) or a gap."""
    audits = programme_audits(programme, user=user).filter(ACTIVE)
    processes = Process.objects.restrict(user, "view").filter(archived_at__isnull=True)
    return coverage_of(audits, processes)


def coverage_of(audits, processes) -> dict:
    """The coverage of these audits over the clauses and these processes (three queries)."""
    covered = _audited_clauses(audits)
    standards = []
    for standard in planning.standards_with_clauses():
        rows = [(number, title, any(planning.covers(done, number) for done in covered.get(standard, ())))
                for number, title in planning.clauses_of(standard)]
        standards.append({"standard": standard, "label": str(STANDARD_LABELS.get(standard, standard)), "clauses": rows, "gaps": [r for r in rows if not r[2]],
                          "covered": sum(1 for r in rows if r[2]), "total": len(rows)})
    audited_processes = set(audits.exclude(process=None).values_list("process", flat=True))
    processes = list(processes.order_by("code", "pk"))
    return {
        "standards": standards,
        "processes": [(process, process.pk in audited_processes) for process in processes],
        "process_gaps": [process for process in processes if process.pk not in audited_processes],
    }


def audit_findings(audit, *, user) -> list[dict]:
    """The audit's findings, each with its event and the status counts of the event's actions
    (the follow-up of the corrections): two queries whatever the number of findings."""
    from improvement.models import Action
    from nonconformities.models import Event

    findings = list(Finding.objects.restrict(user, "view").filter(audit=audit)
                    .select_related("event", "answer__question").order_by("clause", "pk"))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    actions = Action.objects.restrict(user, "view").filter(
        origin_type=ContentType.objects.get_for_model(Event), archived_at__isnull=True,
        origin_id__in=[finding.event_id for finding in findings])
    for origin_id, status, n in actions.values_list("origin_id", "status").annotate(n=Count("pk")).order_by():
        counts[origin_id][status] = n
    return [{"finding": finding, "actions": counts.get(finding.event_id, {}),
             "action_total": sum(counts.get(finding.event_id, {}).values())} for finding in findings]


def findings_by_clause(audit, *, user) -> list[tuple[str, list[Finding]]]:
    """The findings grouped by criterion (standard and clause), as the report shows them."""
    grouped: dict[str, list] = defaultdict(list)
    for row in audit_findings(audit, user=user):
        finding = row["finding"]
        grouped[f"{finding.standard} § {finding.clause}".strip(" §")].append(row)
    return sorted(grouped.items())
