"""Reads of improvement teams, their sessions and the training records: the pages, the API,
the matrix and the review sections. Scoped by the caller (``restrict``) or, for the review,
by the tenant context (row-level security)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from improvement import training
from improvement.models import (
    ImprovementTeam,
    SessionAttendance,
    TeamMember,
    TrainingRecord,
    TrainingTopic,
    WorkSession,
)

# The matrix is bounded (DESIGN: no page grows with the data): a larger team or catalogue is
# shown in part, and the page says so.
MATRIX_PEOPLE = 60
MATRIX_TOPICS = 30


def team_queryset():
    """Teams with the labels their list and page show."""
    return ImprovementTeam.objects.select_related("leader", "process", "site")


def member_queryset():
    """Team members with their person and objective."""
    return TeamMember.objects.select_related("team", "user", "objective")


def session_queryset():
    """Sessions with their team (its leader and process decide who runs them) and topic."""
    return WorkSession.objects.select_related("team", "team__process", "topic").annotate(
        attendee_count=Count("attendances", filter=Q(attendances__status="present"), distinct=True),
    )


def topic_queryset():
    return TrainingTopic.objects.all()


def record_queryset():
    """Training records with their person and topic."""
    return TrainingRecord.objects.select_related("person", "topic")


def session_attendances(session: WorkSession):
    """The people invited to a session, with their attendance."""
    return SessionAttendance.objects.filter(session=session).select_related("person").order_by(
        "person__last_name", "person__first_name", "pk")


def session_countermeasures(*, session: WorkSession, user):
    """The actions decided at a session (its counter-measures) the user may see."""
    from improvement.selectors import actions_of

    return actions_of(session, user=user).order_by("due_on", "pk")


def topic_actions(*, topic: TrainingTopic, user):
    """The actions linked to a training topic (gaps to close, renewals to organise)."""
    from improvement.selectors import actions_of

    return actions_of(topic, user=user).order_by("due_on", "pk")


def _topics_for_team(team: ImprovementTeam, members: list, user):
    """The topics a matrix shows: those required of any member, and those any member was
    trained on; each annotated with ``for_team`` (required by the team's process or its risks)."""
    process_id = team.process_id or 0
    through_processes = TrainingTopic.processes.through.objects.filter(trainingtopic_id=OuterRef("pk"),
                                                                       process_id=process_id)
    through_risks = TrainingTopic.risks.through.objects.filter(trainingtopic_id=OuterRef("pk"),
                                                               risk__process_id=process_id,
                                                               risk__archived_at__isnull=True)
    trained = TrainingRecord.objects.filter(topic_id=OuterRef("pk"), person_id__in=[m.user_id for m in members],
                                            archived_at__isnull=True)
    roles = sorted({m.role for m in members})
    return (
        TrainingTopic.objects.restrict(user, "view").filter(archived_at__isnull=True)
        .annotate(for_process=Exists(through_processes), for_risk=Exists(through_risks), any_trained=Exists(trained))
        .filter(Q(required_for_everyone=True) | Q(required_team_roles__overlap=roles) | Q(for_process=True)
                | Q(for_risk=True) | Q(any_trained=True))
        .order_by("domain", "name")[:MATRIX_TOPICS]
    )


def _latest_validity(user, person_ids: list[int], topic_ids: list[int]) -> dict[tuple[int, int], datetime.date]:
    """(person, topic) -> the latest day any of their trainings stays valid (NEVER: no expiry)."""
    rows = (
        TrainingRecord.objects.restrict(user, "view")
        .filter(person_id__in=person_ids, topic_id__in=topic_ids, archived_at__isnull=True)
        .values("person_id", "topic_id")
        .annotate(latest=Max(Coalesce("valid_until", Value(training.NEVER))))
    )
    return {(row["person_id"], row["topic_id"]): row["latest"] for row in rows}


def training_matrix(*, team: ImprovementTeam, user, today: datetime.date) -> dict:
    """People x topics of a team: valid / expiring / expired / missing-but-required, in three
    queries whatever the size (members, topics, latest validities), bounded in both directions."""
    members = list(
        TeamMember.objects.restrict(user, "view").filter(team=team, archived_at__isnull=True)
        .select_related("user").order_by("user__last_name", "user__first_name", "pk")[:MATRIX_PEOPLE + 1]
    )
    people_truncated = len(members) > MATRIX_PEOPLE
    members = members[:MATRIX_PEOPLE]
    topics = list(_topics_for_team(team, members, user)) if members else []
    latest = _latest_validity(user, [m.user_id for m in members], [t.pk for t in topics]) if topics else {}
    rows, gaps, expiring = [], 0, 0
    for member in members:
        cells = []
        for topic in topics:
            required = training.is_required(everyone=topic.required_for_everyone, team_roles=topic.required_team_roles,
                                            member_role=member.role, for_team=topic.for_process or topic.for_risk)
            key = (member.user_id, topic.pk)
            status = training.cell_status(required=required, latest_until=latest.get(key), trained=key in latest,
                                          today=today)
            gaps += required and training.is_gap(status)
            expiring += status == training.Cell.EXPIRING
            cells.append({"status": status, "required": required, "until": latest.get(key)})
        rows.append({"member": member, "cells": cells})
    return {"topics": topics, "rows": rows, "gaps": gaps, "expiring": expiring,
            "truncated": people_truncated or len(topics) == MATRIX_TOPICS}


def team_sessions(*, team: ImprovementTeam, user, limit: int = 20):
    """The team's latest sessions (bounded: the page links to the full list)."""
    return session_queryset().restrict(user, "view").filter(team=team, archived_at__isnull=True)[:limit]
