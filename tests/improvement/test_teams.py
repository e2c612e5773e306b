"""Improvement teams, their members and sessions, training topics and records: the generic
page / API / import / tenancy tests (their data only), and the session's steps."""

from __future__ import annotations

import datetime
import itertools

from improvement.factories import (
    ImprovementTeamFactory,
    SessionAttendanceFactory,
    TeamMemberFactory,
    TrainingRecordFactory,
    TrainingTopicFactory,
    WorkSessionFactory,
)
from improvement.views_teams import (
    ImprovementTeamViews,
    TeamMemberViews,
    TrainingRecordViews,
    TrainingTopicViews,
    WorkSessionViews,
)
from qse.factories import MembershipFactory, UserFactory
from qse.roles import Role
from qse.testing import ObjectViewsTestCase
from qse.testing_children import ChildViewsTestCase

_numbers = itertools.count(1)
RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.PROCESS_OWNER, Role.CONTRIBUTOR})


def team_of(side, **extra):
    """A team of ``side`` led by its contributor (else its coordinator), on its process (owned by
    its process owner) and site."""
    leader = side.users.get(Role.CONTRIBUTOR) or side.users[Role.COORDINATOR]
    return ImprovementTeamFactory(organization=side.organization, leader=leader, process=side.process,
                                  site=side.site, name=f"{side.organization.name} · équipe {next(_numbers)}", **extra)


def new_member_of(side):
    user = UserFactory(username=f"membre{next(_numbers)}")
    MembershipFactory(user=user, organization=side.organization, role=Role.CONTRIBUTOR)
    return user


class TestImprovementTeamViews(ObjectViewsTestCase):
    declaration = ImprovementTeamViews
    edit = ("name", "Équipe presse renommée")
    detail_query_budget = 40

    def make(self, world, side):
        return team_of(side)

    def form_data(self, world):
        return {"name": f"Équipe QRQC {next(_numbers)}", "leader": world.a.users[Role.CONTRIBUTOR].pk,
                "sector": "Presses", "process": world.a.process.pk, "site": world.a.site.pk}


class TestTeamMemberViews(ChildViewsTestCase):
    declaration = TeamMemberViews
    may_add = RUNNERS
    may_change = RUNNERS
    edit = ("competences", "Réglage presse, SMED")

    def make_parent(self, world, side):
        return team_of(side)

    def make(self, world, side, parent):
        return TeamMemberFactory(team=parent, user=new_member_of(side))

    def form_data(self, world):
        return {"user": new_member_of(world.a).pk, "role": "member", "competences": "Cariste"}


class TestWorkSessionViews(ChildViewsTestCase):
    declaration = WorkSessionViews
    may_add = RUNNERS
    may_change = RUNNERS
    edit = ("minutes", "Compte rendu relu")

    def make_parent(self, world, side):
        return team_of(side)

    def make(self, world, side, parent):
        return WorkSessionFactory(team=parent)

    def form_data(self, world):
        return {"kind": "work", "title": "Point hebdo", "starts_at": "2026-12-01T09:00", "duration_minutes": 45,
                "place": "Salle QRQC"}

    def api_data(self, world):
        return {**self.form_data(world), "starts_at": "2026-12-01T09:00:00+01:00"}


class TestTrainingTopicViews(ObjectViewsTestCase):
    declaration = TrainingTopicViews
    detail_query_budget = 40  # its latest records, its linked actions and the action form's people
    edit = ("name", "Habilitation électrique B1V")

    def make(self, world, side):
        return TrainingTopicFactory(organization=side.organization, name=f"{side.organization.name} · CACES {next(_numbers)}")

    def form_data(self, world):
        return {"name": f"ATEX niveau 1 ({next(_numbers)})", "domain": "safety", "validity_months": 36,
                "required_team_roles": ["leader"], "processes": [world.a.process.pk], "risks": [],
                "occupational_risks": []}

    def import_rows(self, world):
        return [{"Nom": "Sauveteur secouriste du travail", "Validité (mois)": "24"},
                {"Nom": "Accueil sécurité", "Validité (mois)": ""}]


class TestTrainingRecordViews(ObjectViewsTestCase):
    declaration = TrainingRecordViews
    edit = ("trainer", "APAVE, M. Leroy")

    def _topic(self, side):
        if "_topic" not in side.__dict__:
            side.__dict__["_topic"] = TrainingTopicFactory(organization=side.organization, name="CACES R489",
                                                           validity_months=60)
        return side.__dict__["_topic"]

    def make(self, world, side):
        return TrainingRecordFactory(topic=self._topic(side), person=side.users[Role.PROCESS_OWNER],
                                     trained_on=datetime.date(2025, 3, 1))

    def form_data(self, world):
        return {"person": world.a.users[Role.CONTRIBUTOR].pk, "topic": self._topic(world.a).pk,
                "trained_on": "2026-01-31", "trainer": "AFPA"}

    def import_rows(self, world):
        self._topic(world.a)
        return [
            {"Personne": world.a.users[Role.CONTRIBUTOR].username, "Thème": "CACES R489", "Formé le": "15/01/2026",
             "Formateur": "AFPA"},
            {"Personne": world.a.users[Role.AUDITOR].email, "Thème": "CACES R489", "Formé le": "2026-02-01",
             "Formateur": "AFPA"},
        ]


def test_a_record_created_on_the_page_is_valid_until_the_day_before_the_same_date_years_later(client, world):
    topic = TrainingTopicFactory(organization=world.a.organization, name="Habilitation électrique", validity_months=36)
    client.force_login(world.user())
    response = client.post("/improvement/training-records/add/", {
        "person": world.a.users[Role.CONTRIBUTOR].pk, "topic": topic.pk, "trained_on": "2026-01-31"})
    assert response.status_code == 302
    record = topic.records.get()
    assert record.valid_until == datetime.date(2029, 1, 30)


def test_an_imported_record_gets_its_validity_from_its_topic(world, as_member):
    from improvement.models import TrainingRecord
    from improvement.services_teams import training_records_import

    user = as_member(Role.COORDINATOR)
    topic = TrainingTopicFactory(organization=world.a.organization, validity_months=12)
    row = TrainingRecord(organization=world.a.organization, person=world.a.users[Role.AUDITOR], topic=topic,
                         trained_on=datetime.date(2024, 2, 29))
    training_records_import(instances=[row], acting_user=user)
    assert TrainingRecord.objects.get(pk=row.pk).valid_until == datetime.date(2025, 2, 27)


def test_changing_a_topics_validity_moves_the_end_of_its_records(world, as_member):
    from improvement.services_teams import topic_update

    user = as_member(Role.COORDINATOR)
    topic = TrainingTopicFactory(organization=world.a.organization, validity_months=12)
    record = TrainingRecordFactory(topic=topic, person=world.a.users[Role.AUDITOR], trained_on=datetime.date(2026, 5, 10))
    topic_update(topic=topic, acting_user=user, data={"validity_months": 24}, expected_version=topic.version)
    record.refresh_from_db()
    assert record.valid_until == datetime.date(2028, 5, 9)
    topic_update(topic=topic, acting_user=user, data={"validity_months": None}, expected_version=topic.version + 1)
    record.refresh_from_db()
    assert record.valid_until is None


def test_an_awareness_session_without_a_topic_is_refused_with_a_message(client, world):
    team = team_of(world.a)
    client.force_login(world.user())
    response = client.post(f"/improvement/teams/{team.pk}/sessions/add/", {
        "kind": "awareness", "title": "Quart d'heure sécurité", "starts_at": "2026-12-01T09:00", "duration_minutes": 15})
    assert response.status_code == 400
    assert "training topic" in response.content.decode() or "thème de formation" in response.content.decode()
    assert not team.sessions.exists()


def test_attendance_of_another_organizations_session_is_a_404(client, world):
    theirs = WorkSessionFactory(team=team_of(world.b))
    SessionAttendanceFactory(session=theirs, person=world.b.users[Role.COORDINATOR])
    client.force_login(world.user())
    base = f"/improvement/teams/{theirs.team_id}/sessions/{theirs.pk}/"
    for step in ("attendance/", "countermeasures/", "invitation/", "training/"):
        assert client.post(base + step, {}).status_code == 404, step
    assert client.get(base + "board/").status_code == 404


def test_an_action_linked_to_a_topic_is_created_from_its_page_and_from_the_api(client, world):
    from improvement.models import Action

    topic = TrainingTopicFactory(organization=world.a.organization, name="CACES R489")
    client.force_login(world.user())
    page = client.post(f"/improvement/training-topics/{topic.pk}/actions/", {
        "title": "Organiser le recyclage CACES de mars", "owner": world.a.users[Role.PROCESS_OWNER].pk,
        "due_on": "2027-02-15"})
    assert page.status_code == 302
    api = client.post(f"/api/v1/improvement/training-topics/{topic.pk}/actions/", {
        "title": "Trouver un second formateur", "owner": world.a.users[Role.COORDINATOR].pk, "due_on": "2027-03-01"},
        content_type="application/json")
    assert api.status_code == 201, api.content
    linked = Action.objects.filter(origin_kind="training", origin_id=topic.pk, origin_type__model="trainingtopic")
    assert sorted(linked.values_list("title", flat=True)) == ["Organiser le recyclage CACES de mars",
                                                              "Trouver un second formateur"]
    assert "Organiser le recyclage CACES de mars" in client.get(topic.get_absolute_url()).content.decode()


def test_a_contributor_cannot_add_an_action_to_a_topic(client, world):
    topic = TrainingTopicFactory(organization=world.a.organization)
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    api = client.post(f"/api/v1/improvement/training-topics/{topic.pk}/actions/", {
        "title": "Action", "owner": world.a.users[Role.CONTRIBUTOR].pk, "due_on": "2027-03-01"},
        content_type="application/json")
    assert api.status_code == 403
    from improvement.models import Action

    assert not Action.objects.filter(origin_kind="training").exists()
