"""The management review's sections this part of ``improvement`` provides (qse/review.py):

- ``improvement.training``: competence and awareness (ISO 7.2 / 7.3 as an input on the adequacy
  of resources): per topic, who was trained in the period, who is valid at its end, what is to
  renew, and the gaps of the teams' matrices (required, missing or expired);
- ``improvement.work_sessions``: consultation and participation of workers (ISO 45001 9.3 d):
  per team, the sessions held, the attendance, the counter-measures decided and their status.

Selectors run in the organization's tenant context and aggregate in SQL (a fixed number of
queries whatever the period); the gaps are worked out in memory from three queries, as the
team page's matrix is.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from improvement import training
from improvement.models import (
    AttendanceStatus,
    ImprovementTeam,
    SessionAttendance,
    TeamMember,
    TrainingRecord,
    TrainingTopic,
    WorkSession,
)
from qse.review import ReviewScope, ReviewSection, register_section


def register() -> None:
    """Called from improvement's AppConfig.ready()."""
    register_section(ReviewSection(key="improvement.training", title=gettext_lazy("Competence and awareness"),
                                   selector=training_section, order=70, process_review=True))
    register_section(ReviewSection(key="improvement.work_sessions",
                                   title=gettext_lazy("Consultation and participation of workers"),
                                   selector=work_sessions_section, order=75, process_review=True))


def _teams(scope: ReviewScope):
    teams = ImprovementTeam.objects.in_current_organization().filter(archived_at__isnull=True)
    if scope.site_ids:
        teams = teams.filter(Q(site_id__in=scope.site_ids) | Q(site__isnull=True))
    if scope.process_id:
        teams = teams.filter(process_id=scope.process_id)
    return teams


# --- competence and awareness ------------------------------------------------------------------

def _requirements(topics: list[TrainingTopic]) -> dict[int, set[int]]:
    """topic id -> the processes whose teams require it (its own, and those of its risks)."""
    required: dict[int, set[int]] = {topic.pk: set() for topic in topics}
    through = TrainingTopic.processes.through.objects.filter(trainingtopic_id__in=required)
    for topic_id, process_id in through.values_list("trainingtopic_id", "process_id"):
        required[topic_id].add(process_id)
    risks = TrainingTopic.risks.through.objects.filter(trainingtopic_id__in=required, risk__process__isnull=False,
                                                       risk__archived_at__isnull=True)
    for topic_id, process_id in risks.values_list("trainingtopic_id", "risk__process_id"):
        required[topic_id].add(process_id)
    return required


def _gaps(scope: ReviewScope, topics: list[TrainingTopic]) -> dict[int, int]:
    """topic id -> how many team members lack it (required, and missing or expired at the end)."""
    members = list(TeamMember.objects.filter(team__in=_teams(scope), archived_at__isnull=True)
                   .values_list("user_id", "role", "team__process_id"))
    required = _requirements(topics)
    latest = {
        (row["person_id"], row["topic_id"]): row["latest"]
        for row in TrainingRecord.objects.in_current_organization()
        .filter(archived_at__isnull=True, trained_on__lte=scope.end, person_id__in={m[0] for m in members})
        .values("person_id", "topic_id").annotate(latest=Max(Coalesce("valid_until", Value(training.NEVER))))
    }
    gaps = {topic.pk: 0 for topic in topics}
    for person_id, role, process_id in set(members):
        for topic in topics:
            needed = training.is_required(everyone=topic.required_for_everyone, team_roles=topic.required_team_roles,
                                          member_role=role, for_team=process_id in required[topic.pk])
            key = (person_id, topic.pk)
            status = training.cell_status(required=needed, latest_until=latest.get(key), trained=key in latest,
                                          today=scope.end)
            gaps[topic.pk] += needed and training.is_gap(status)
    return gaps


def training_section(scope: ReviewScope) -> dict:
    """Per topic: trained in the period, valid at its end, to renew within 60 days, gaps."""
    end, horizon = scope.end, scope.end + datetime.timedelta(days=training.EXPIRING_DAYS)
    live = Q(records__archived_at__isnull=True)
    topics = list(
        TrainingTopic.objects.in_current_organization().filter(archived_at__isnull=True)
        .annotate(
            trained=Count("records", filter=live & Q(records__trained_on__range=(scope.start, end))),
            valid=Count("records__person", distinct=True, filter=live & Q(records__trained_on__lte=end)
                        & (Q(records__valid_until__isnull=True) | Q(records__valid_until__gte=end))),
            expiring=Count("records__person", distinct=True,
                           filter=live & Q(records__valid_until__gte=end, records__valid_until__lte=horizon)),
        ).order_by("domain", "name")
    )
    gaps = _gaps(scope, topics)
    trained = sum(topic.trained for topic in topics)
    total_gaps, expiring = sum(gaps.values()), sum(topic.expiring for topic in topics)
    return {
        "summary": _(
            "{trained} trainings recorded from {start} to {end}; {gaps} required trainings missing or expired in "
            "the teams; {expiring} to renew within {days} days."
        ).format(trained=trained, start=formats.date_format(scope.start, "SHORT_DATE_FORMAT"),
                 end=formats.date_format(end, "SHORT_DATE_FORMAT"), gaps=total_gaps, expiring=expiring,
                 days=training.EXPIRING_DAYS),
        "columns": [_("Topic"), _("Trained in the period"), _("Valid at the end"), _("To renew"), _("Gaps")],
        "rows": [[topic.name, topic.trained, topic.valid, topic.expiring, gaps[topic.pk]] for topic in topics],
        "totals": {"trained": trained, "gaps": total_gaps, "expiring": expiring},
    }


# --- consultation and participation ------------------------------------------------------------

def _sessions(scope: ReviewScope):
    start = datetime.datetime.combine(scope.start, datetime.time.min, tzinfo=datetime.UTC)
    end = datetime.datetime.combine(scope.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC)
    return WorkSession.objects.filter(team__in=_teams(scope), archived_at__isnull=True,
                                      starts_at__gte=start, starts_at__lt=end)


def _countermeasures(session_team: dict[int, int], end: datetime.date) -> dict[int, dict]:
    """team id -> counter-measures decided at its sessions: total, done, late at the period's end."""
    from improvement.selectors import actions_of_records, late_on

    rows = (actions_of_records(WorkSession, user=None, ids=session_team).values("origin_id")
            .annotate(total=Count("pk"), done=Count("pk", filter=Q(status="done")), late=Count("pk", filter=late_on(end)))
            .order_by())
    per_team: dict[int, dict] = {}
    for row in rows:
        figures = per_team.setdefault(session_team[row["origin_id"]], {"total": 0, "done": 0, "late": 0})
        for name in figures:
            figures[name] += row[name]
    return per_team


def work_sessions_section(scope: ReviewScope) -> dict:
    """Per team: sessions held (awareness included), attendance, counter-measures and their status."""
    sessions = _sessions(scope)
    session_team = dict(sessions.values_list("pk", "team_id"))
    per_team = {
        row["team_id"]: row for row in sessions.values("team_id", "team__name").annotate(
            held=Count("pk"), awareness=Count("pk", filter=Q(kind="awareness"))).order_by("team__name")
    }
    attendance = {
        row["session__team_id"]: row for row in SessionAttendance.objects.filter(session__in=sessions)
        .values("session__team_id").annotate(invited=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)))
        .order_by()
    }
    measures = _countermeasures(session_team, scope.end)
    months = [(formats.date_format(row["month"], "YEAR_MONTH_FORMAT"), row["n"]) for row in
              sessions.annotate(month=TruncMonth("starts_at")).values("month").annotate(n=Count("pk")).order_by("month")]
    rows, invited, present = [], 0, 0
    for team_id, row in per_team.items():
        seen = attendance.get(team_id, {"invited": 0, "present": 0})
        cm = measures.get(team_id, {"total": 0, "done": 0, "late": 0})
        invited, present = invited + seen["invited"], present + seen["present"]
        rate = round(100 * seen["present"] / seen["invited"]) if seen["invited"] else None
        rows.append([row["team__name"], row["held"], row["awareness"], seen["present"], rate, cm["total"], cm["done"],
                     cm["late"]])
    total_measures = sum(cm["total"] for cm in measures.values())
    done = sum(cm["done"] for cm in measures.values())
    rate = round(100 * present / invited) if invited else 0
    return {
        "summary": _(
            "{held} sessions held by {teams} teams ({awareness} awareness sessions); {rate} % of the people invited "
            "attended; {measures} counter-measures decided, {done} done."
        ).format(held=len(session_team), teams=len(per_team), awareness=sum(r[2] for r in rows), rate=rate,
                 measures=total_measures, done=done),
        "columns": [_("Team"), _("Sessions"), _("Awareness sessions"), _("Present"), _("Attendance (%)"),
                    _("Counter-measures"), _("Done"), _("Late")],
        "rows": rows,
        "months": months,
        "chart": {"kind": "bar", "labels": [label for label, _n in months],
                  "series": [{"name": _("Sessions"), "values": [n for _label, n in months]}]},
    }
