"""A team's work session: invitations of its members, attendance, counter-measures as actions,
the iCalendar invitation by e-mail, the printable action list, training from an awareness session."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from icalendar import Calendar

from improvement.factories import (
    ImprovementTeamFactory,
    TeamMemberFactory,
    TrainingTopicFactory,
    WorkSessionFactory,
)
from improvement.models import Action, AttendanceStatus, SessionAttendance, TrainingRecord
from qse.roles import Role


@pytest.fixture
def team(world):
    """The press team: led by the contributor, on the process owned by the process owner,
    with the auditor and the manager as members."""
    a = world.a
    team = ImprovementTeamFactory(organization=a.organization, name="Équipe presses", leader=a.users[Role.CONTRIBUTOR],
                                  process=a.process, site=a.site)
    for role, team_role in ((Role.CONTRIBUTOR, "leader"), (Role.AUDITOR, "member"), (Role.MANAGEMENT, "member")):
        TeamMemberFactory(team=team, user=a.users[role], role=team_role)
    return team


def test_a_new_session_invites_every_active_member_of_the_team(client, world, team):
    client.force_login(world.a.users[Role.CONTRIBUTOR])  # the team leader plans it
    response = client.post(f"/improvement/teams/{team.pk}/sessions/add/", {
        "kind": "work", "title": "QRQC presses", "starts_at": "2026-12-02T08:30", "duration_minutes": 30,
        "place": "Îlot presses"})
    assert response.status_code == 302
    session = team.sessions.get()
    invited = set(SessionAttendance.objects.filter(session=session).values_list("person__username", "status"))
    assert invited == {("alpha-contributor", "invited"), ("alpha-auditor", "invited"), ("alpha-management", "invited")}


def test_the_leader_records_attendance_and_a_stale_page_is_a_conflict(client, world, team):
    session = WorkSessionFactory(team=team, title="QRQC")
    a = world.a
    client.force_login(a.users[Role.CONTRIBUTOR])
    url = f"/improvement/teams/{team.pk}/sessions/{session.pk}/attendance/"
    posted = {f"attendance_{a.users[Role.AUDITOR].pk}": "present", f"attendance_{a.users[Role.MANAGEMENT].pk}": "excused",
              "version": session.version}
    assert client.post(url, posted).status_code == 302
    rows = dict(SessionAttendance.objects.filter(session=session).values_list("person__username", "status"))
    assert rows == {"alpha-auditor": "present", "alpha-management": "excused"}
    page = client.post(url, {**posted, "version": session.version}, follow=True).content.decode()
    assert "changed by someone else" in page or "modifiée par quelqu" in page


def test_someone_outside_the_organization_cannot_be_marked_present(world, team, as_member):
    from improvement.services_teams import session_record_attendance

    session = WorkSessionFactory(team=team)
    user = as_member(Role.COORDINATOR)
    with pytest.raises(ValidationError):
        session_record_attendance(session=session, acting_user=user, statuses={world.b.users[Role.COORDINATOR].pk: "present"})
    assert not SessionAttendance.objects.filter(session=session).exists()


def test_a_member_who_does_not_lead_the_team_cannot_record_attendance(client, world, team):
    session = WorkSessionFactory(team=team)
    client.force_login(world.a.users[Role.AUDITOR])
    url = f"/improvement/teams/{team.pk}/sessions/{session.pk}/attendance/"
    page = client.post(url, {f"attendance_{world.a.users[Role.AUDITOR].pk}": "present"}, follow=True)
    assert "not allowed" in page.content.decode() or "pas autorisé" in page.content.decode()
    assert not SessionAttendance.objects.filter(session=session).exists()


def test_a_countermeasure_becomes_an_action_whose_origin_is_the_session(client, world, team):
    session = WorkSessionFactory(team=team, title="QRQC du 2 décembre")
    client.force_login(world.a.users[Role.PROCESS_OWNER])  # owns the team's process
    response = client.post(f"/improvement/teams/{team.pk}/sessions/{session.pk}/countermeasures/", {
        "title": "Ajouter un détecteur de double tôle", "owner": world.a.users[Role.PROCESS_OWNER].pk,
        "due_on": "2027-01-15", "deliverable": "Détecteur posé"})
    assert response.status_code == 302
    action = Action.objects.get(title="Ajouter un détecteur de double tôle")
    assert (action.origin_kind, action.origin_id, action.origin_type.model) == ("team_session", session.pk, "worksession")
    assert (action.process_id, action.site_id) == (world.a.process.pk, world.a.site.pk)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Ajouter un détecteur de double tôle" in page
    board = client.get(f"/improvement/teams/{team.pk}/sessions/{session.pk}/board/").content.decode()
    assert "Ajouter un détecteur de double tôle" in board and "Détecteur posé" in board


def test_the_api_records_a_countermeasure_and_refuses_an_unknown_owner(client, world, team):
    session = WorkSessionFactory(team=team)
    client.force_login(world.user())
    url = f"/api/v1/improvement/teams/{team.pk}/sessions/{session.pk}/countermeasures/"
    body = {"title": "Revoir le mode opératoire", "owner": world.a.users[Role.CONTRIBUTOR].pk, "due_on": "2027-02-01"}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["origin_kind"] == "team_session"
    refused = client.post(url, {**body, "owner": world.b.users[Role.COORDINATOR].pk}, content_type="application/json")
    assert refused.status_code == 400
    assert Action.objects.filter(title="Revoir le mode opératoire").count() == 1


def test_the_invitation_is_an_email_with_an_icalendar_request_for_every_invited_person(
        client, world, team, as_member, django_capture_on_commit_callbacks):
    from improvement.services_teams import session_create

    user = as_member(Role.COORDINATOR)
    session = session_create(acting_user=user, data={
        "team": team, "title": "Chantier 5S", "kind": "work", "place": "Atelier B", "duration_minutes": 90,
        "starts_at": datetime.datetime(2026, 12, 3, 13, 0, tzinfo=datetime.UTC), "agenda": "1. Trier\n2. Ranger"})
    client.force_login(world.user())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/improvement/teams/{team.pk}/sessions/{session.pk}/invitation/")
    assert response.status_code == 200 and response.json() == {"count": 3}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted(world.a.users[r].email for r in (Role.CONTRIBUTOR, Role.AUDITOR, Role.MANAGEMENT))
    name, content, mimetype = message.attachments[0]
    assert name == "invitation.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["summary"]) == "Équipe presses · Chantier 5S"
    assert event.decoded("dtstart") == datetime.datetime(2026, 12, 3, 13, 0, tzinfo=datetime.UTC)
    assert event.decoded("dtend") == datetime.datetime(2026, 12, 3, 14, 30, tzinfo=datetime.UTC)
    assert str(event["location"]) == "Atelier B"
    assert len(event["attendee"]) == 3
    assert Calendar.from_ical(content)["method"] == "REQUEST"


def test_an_awareness_session_records_training_for_the_people_present_once(world, team, as_member):
    from improvement.services_teams import session_record_attendance, session_record_training

    user = as_member(Role.COORDINATOR)
    topic = TrainingTopicFactory(organization=world.a.organization, name="Gestes et postures", validity_months=24)
    session = WorkSessionFactory(team=team, kind="awareness", topic=topic,
                                 starts_at=datetime.datetime(2026, 6, 15, 8, 0, tzinfo=datetime.UTC))
    a = world.a
    session_record_attendance(session=session, acting_user=user, statuses={
        a.users[Role.AUDITOR].pk: AttendanceStatus.PRESENT, a.users[Role.MANAGEMENT].pk: AttendanceStatus.ABSENT})
    assert session_record_training(session=session, acting_user=user) == 1
    assert session_record_training(session=session, acting_user=user) == 0
    record = TrainingRecord.objects.get(session=session)
    assert (record.person, record.trained_on, record.valid_until) == (
        a.users[Role.AUDITOR], datetime.date(2026, 6, 15), datetime.date(2028, 6, 14))


def test_only_the_coordinator_turns_an_awareness_session_into_training_records(world, team, as_member):
    from improvement.services_teams import session_record_training

    topic = TrainingTopicFactory(organization=world.a.organization)
    session = WorkSessionFactory(team=team, kind="awareness", topic=topic)
    leader = as_member(Role.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        session_record_training(session=session, acting_user=leader)
