"""The training rules (validity, cell states) and the team's training matrix."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from improvement import training
from improvement.factories import (
    ImprovementTeamFactory,
    TeamMemberFactory,
    TrainingRecordFactory,
    TrainingTopicFactory,
)
from improvement.selectors_teams import training_matrix
from qse.factories import MembershipFactory, UserFactory
from qse.roles import Role
from qse.testing import count_queries
from risks.factories import RiskFactory, RiskMatrixFactory

TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(("trained_on", "months", "expected"), [
    (datetime.date(2026, 1, 31), 36, datetime.date(2029, 1, 30)),
    (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 27)),
    (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 27)),
    (datetime.date(2025, 12, 15), 6, datetime.date(2026, 6, 14)),
    (datetime.date(2025, 12, 15), None, None),
])
def test_a_training_is_valid_until_the_day_before_the_same_date_months_later(trained_on, months, expected):
    assert training.valid_until(trained_on, months) == expected


@pytest.mark.parametrize(("required", "until", "trained", "expected"), [
    (True, None, False, "missing"),
    (False, None, False, ""),
    (False, None, True, "valid"),
    (True, datetime.date(2026, 11, 22), True, "expired"),
    (True, datetime.date(2026, 11, 23), True, "expiring"),
    (True, datetime.date(2027, 1, 22), True, "expiring"),
    (True, datetime.date(2027, 1, 23), True, "valid"),
    (True, training.NEVER, True, "valid"),
])
def test_a_cell_says_valid_expiring_expired_or_missing(required, until, trained, expected):
    assert training.cell_status(required=required, latest_until=until, trained=trained, today=TODAY) == expected


@pytest.fixture
def press_team(world):
    """Four people: the leader (contributor), the auditor, the manager and a newcomer; topics
    required through each rule, records valid, expiring, expired and renewed."""
    a = world.a
    newcomer = UserFactory(username="nouveau", first_name="Zoé", last_name="Zeller")
    MembershipFactory(user=newcomer, organization=a.organization, role=Role.CONTRIBUTOR)
    team = ImprovementTeamFactory(organization=a.organization, name="Presses", leader=a.users[Role.CONTRIBUTOR],
                                  process=a.process, site=a.site)
    people = {"leader": a.users[Role.CONTRIBUTOR], "auditor": a.users[Role.AUDITOR],
              "manager": a.users[Role.MANAGEMENT], "newcomer": newcomer}
    for key, user in people.items():
        TeamMemberFactory(team=team, user=user, role="leader" if key == "leader" else "member")
    topic = lambda name, **kw: TrainingTopicFactory(organization=a.organization, name=name, **kw)  # noqa: E731
    topics = {
        "induction": topic("A accueil sécurité", required_for_everyone=True, validity_months=None),
        "caces": topic("B CACES", validity_months=60),
        "elec": topic("C habilitation électrique", validity_months=36, required_team_roles=["leader"]),
        "atex": topic("D ATEX", validity_months=24),
        "unrelated": topic("E hors équipe", validity_months=12),
    }
    topics["caces"].processes.add(a.process)
    risk = RiskFactory(organization=a.organization, matrix=RiskMatrixFactory(organization=a.organization),
                       process=a.process, owner=a.users[Role.PROCESS_OWNER])
    topics["atex"].risks.add(risk)
    record = lambda who, what, on: TrainingRecordFactory(topic=topics[what], person=people[who], trained_on=on)  # noqa: E731
    record("leader", "induction", datetime.date(2010, 1, 4))
    record("auditor", "induction", datetime.date(2024, 5, 2))
    record("leader", "caces", datetime.date(2022, 1, 10))  # valid until 2027-01-09: expiring
    record("auditor", "caces", datetime.date(2021, 3, 1))  # expired 2026-02-28 ...
    record("auditor", "caces", datetime.date(2026, 3, 1))  # ... and renewed
    record("manager", "caces", datetime.date(2021, 6, 1))  # expired 2026-05-31
    record("leader", "elec", datetime.date(2025, 9, 1))
    record("manager", "elec", datetime.date(2025, 9, 1))  # not required of a member, shown valid
    return team, people, topics


def _grid(matrix):
    return {
        row["member"].user.username: [cell["status"] for cell in row["cells"]] for row in matrix["rows"]
    }


def test_the_matrix_shows_each_persons_state_for_each_topic_the_team_requires(world, press_team, as_member):
    team, people, topics = press_team
    user = as_member(Role.AUDITOR)
    matrix = training_matrix(team=team, user=user, today=TODAY)
    assert [t.name for t in matrix["topics"]] == [
        "A accueil sécurité", "B CACES", "C habilitation électrique", "D ATEX"]
    assert _grid(matrix) == {
        #                    induction  CACES       electrical  ATEX
        "alpha-auditor":     ["valid", "valid", "", "missing"],
        "alpha-contributor": ["valid", "expiring", "valid", "missing"],
        "alpha-management":  ["missing", "expired", "valid", "missing"],
        "nouveau":           ["missing", "missing", "", "missing"],
    }
    assert (matrix["gaps"], matrix["expiring"]) == (8, 1)


def test_the_matrix_costs_the_same_queries_for_a_team_of_four_or_forty(world, press_team, as_member):
    team, people, topics = press_team
    user = as_member(Role.COORDINATOR)
    training_matrix(team=team, user=user, today=TODAY)  # warms the caches a first call fills
    few = count_queries(lambda: training_matrix(team=team, user=user, today=TODAY))
    for number in range(36):
        person = UserFactory(username=f"op{number}")
        MembershipFactory(user=person, organization=world.a.organization, role=Role.CONTRIBUTOR)
        TeamMemberFactory(team=team, user=person)
        TrainingRecordFactory(topic=topics["caces"], person=person, trained_on=datetime.date(2025, 1, 1 + number % 28))
    with CaptureQueriesContext(connection) as context:
        training_matrix(team=team, user=user, today=TODAY)
    # The members, the topics and the latest validity of each (person, topic): one query each.
    assert few == len(context) == 3, [query["sql"][:150] for query in context.captured_queries]


def test_the_team_page_shows_the_matrix_with_its_gaps(client, world, press_team):
    team, people, topics = press_team
    client.force_login(world.a.users[Role.MANAGEMENT])
    page = client.get(team.get_absolute_url()).content.decode()
    assert 'id="matrix"' in page and "C habilitation électrique" in page and "E hors équipe" not in page
    assert 'class="missing"' in page and 'class="expiring"' in page and 'class="expired"' in page
