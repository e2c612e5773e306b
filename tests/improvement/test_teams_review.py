"""The review sections of teams and training, the renewal reminder and the demo's part."""

from __future__ import annotations

import datetime

from improvement.factories import (
    ActionFactory,
    ImprovementTeamFactory,
    SessionAttendanceFactory,
    TeamMemberFactory,
    TrainingRecordFactory,
    TrainingTopicFactory,
    WorkSessionFactory,
)
from improvement.origins import origin_fields
from qse import review
from qse.models import Reminder
from qse.roles import Role

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def _scope(world, **extra):
    return review.ReviewScope(organization_id=world.a.organization.pk, start=START, end=END, **extra)


def test_both_sections_are_registered_for_the_review_and_the_process_review():
    for key, template in (("improvement.training", "improvement/review/training.html"),
                          ("improvement.work_sessions", "improvement/review/work_sessions.html")):
        section = review.section(key)
        assert section is not None and section.template_name == template and section.process_review


def test_the_training_section_counts_the_period_the_validity_at_its_end_and_the_gaps(world, as_member):
    a = world.a
    as_member(Role.COORDINATOR)
    team = ImprovementTeamFactory(organization=a.organization, process=a.process)
    for role in (Role.CONTRIBUTOR, Role.AUDITOR):
        TeamMemberFactory(team=team, user=a.users[role])
    induction = TrainingTopicFactory(organization=a.organization, name="Accueil", required_for_everyone=True,
                                     validity_months=None)
    caces = TrainingTopicFactory(organization=a.organization, name="CACES", validity_months=12)
    TrainingRecordFactory(topic=induction, person=a.users[Role.CONTRIBUTOR], trained_on=datetime.date(2025, 6, 1))
    TrainingRecordFactory(topic=caces, person=a.users[Role.CONTRIBUTOR], trained_on=datetime.date(2026, 2, 1))
    TrainingRecordFactory(topic=caces, person=a.users[Role.AUDITOR], trained_on=datetime.date(2026, 1, 20))  # until 2027-01-19
    TrainingRecordFactory(topic=caces, person=a.users[Role.MANAGEMENT], trained_on=datetime.date(2025, 3, 1))
    figures = review.section("improvement.training").selector(_scope(world))
    assert figures["rows"] == [
        # topic, trained in 2026, valid on 31/12/2026, to renew by 01/03/2027, gaps in the teams
        ["Accueil", 0, 1, 0, 1],
        ["CACES", 2, 2, 2, 0],
    ]
    assert figures["totals"] == {"trained": 2, "gaps": 1, "expiring": 2}


def test_the_work_sessions_section_gives_sessions_attendance_and_counter_measures_per_team(world, as_member):
    a = world.a
    as_member(Role.COORDINATOR)
    team = ImprovementTeamFactory(organization=a.organization, name="Presses", process=a.process)
    held = [WorkSessionFactory(team=team, starts_at=datetime.datetime(2026, month, 3, 8, tzinfo=datetime.UTC))
            for month in (3, 3, 9)]
    WorkSessionFactory(team=team, starts_at=datetime.datetime(2025, 12, 30, 8, tzinfo=datetime.UTC))  # before
    for session, statuses in zip(held, (["present", "present", "absent"], ["present", "excused"], []), strict=True):
        for index, status in enumerate(statuses):
            person = list(a.users.values())[index]
            SessionAttendanceFactory(session=session, person=person, status=status)
    for status, due in (("done", datetime.date(2026, 4, 1)), ("planned", datetime.date(2026, 11, 1)),
                        ("planned", datetime.date(2027, 2, 1))):
        ActionFactory(organization=a.organization, owner=a.users[Role.CONTRIBUTOR], status=status, due_on=due,
                      origin_kind="team_session", **origin_fields(held[0]))
    figures = review.section("improvement.work_sessions").selector(_scope(world))
    # team, sessions, awareness, present, attendance %, counter-measures, done, late
    assert figures["rows"] == [["Presses", 3, 0, 3, 60, 3, 1, 1]]
    assert [n for _label, n in figures["months"]] == [2, 1]


def test_a_training_ending_within_60_days_reminds_the_person_and_the_coordinators_once(world, as_member):
    from improvement.reminders_teams import plan_training_reminders, render_training_reminder

    a = world.a
    as_member(Role.COORDINATOR)
    today = datetime.date(2026, 11, 23)
    topic = TrainingTopicFactory(organization=a.organization, name="Habilitation électrique", validity_months=36)
    ending = TrainingRecordFactory(topic=topic, person=a.users[Role.AUDITOR], trained_on=datetime.date(2023, 12, 20))
    renewed = TrainingRecordFactory(topic=topic, person=a.users[Role.CONTRIBUTOR], trained_on=datetime.date(2023, 12, 20))
    TrainingRecordFactory(topic=topic, person=a.users[Role.CONTRIBUTOR], trained_on=datetime.date(2026, 11, 1))
    TrainingRecordFactory(topic=topic, person=a.users[Role.MANAGEMENT], trained_on=datetime.date(2024, 6, 1))  # 2027
    assert plan_training_reminders(today=today) == 2
    assert plan_training_reminders(today=today) == 0
    rows = Reminder.objects.filter(kind="training_expiring")
    assert {(r.recipient.username, r.object_id, r.occurrence) for r in rows} == {
        ("alpha-auditor", ending.pk, datetime.date(2026, 12, 19)),
        ("alpha-coordinator", ending.pk, datetime.date(2026, 12, 19)),
    }
    assert renewed.pk not in {r.object_id for r in rows}
    message = render_training_reminder(rows.first())
    assert "Habilitation électrique" in message.subject and message.url == ending.get_absolute_url()
    TrainingRecordFactory(topic=topic, person=a.users[Role.AUDITOR], trained_on=datetime.date(2026, 11, 20))
    assert render_training_reminder(rows.first()) is None  # renewed since: nothing to remind


def test_the_demo_has_a_team_with_sessions_counter_measures_and_a_matrix_with_gaps(world, as_member):
    from django.contrib.auth import get_user_model

    from improvement.demo_teams import seed_teams
    from improvement.models import Action, TrainingRecord, WorkSession
    from improvement.selectors_teams import training_matrix
    from qse.models import Membership
    from qse.tenancy import system_context

    a = world.a
    user = as_member(Role.COORDINATOR)
    names = {"contributor": Role.CONTRIBUTOR, "owner": Role.PROCESS_OWNER, "coordinator": Role.COORDINATOR}
    users = {name: a.users[role] for name, role in names.items()}
    membership = Membership.objects.select_related("organization", "user").get(user=user, organization=a.organization)
    today = datetime.date(2026, 11, 23)
    with system_context():  # as qse.demo.seed_demo calls it
        team = seed_teams(membership=membership, users=users, sites={"LYO": a.site}, processes={"R3": a.process},
                          today=today)
    as_member(Role.COORDINATOR)
    sessions = WorkSession.objects.filter(team=team)
    assert sorted(sessions.values_list("kind", flat=True)) == ["awareness", "work", "work", "work"]
    assert Action.objects.filter(origin_kind="team_session").count() == 3
    assert TrainingRecord.objects.filter(session__team=team).count() == 2
    matrix = training_matrix(team=team, user=user, today=today)
    assert len(matrix["rows"]) == 5 and len(matrix["topics"]) == 5
    assert matrix["gaps"] > 0 and matrix["expiring"] > 0
    assert get_user_model().objects.filter(username="op.lambert").exists()
