"""The process page (ISO 9001 4.4, the process approach): its owner, its risks, actions and
events, read through each app's selectors, in a number of queries that does not grow."""

from __future__ import annotations

import pytest

from improvement.factories import ActionFactory
from nonconformities.factories import EventFactory
from qse.factories import ProcessFactory
from qse.roles import Role
from qse.testing import count_queries
from risks.factories import RiskFactory, RiskMatrixFactory


@pytest.fixture
def matrix(world):
    return RiskMatrixFactory(organization=world.a.organization, is_default=True)


def _records(side, process, matrix, n: int, tag: str) -> None:
    owner = side.users[Role.PROCESS_OWNER]
    for i in range(n):
        RiskFactory(organization=side.organization, matrix=matrix, owner=owner, process=process, title=f"Risque {tag} {i}")
        ActionFactory(organization=side.organization, plan=side.plan, owner=owner, process=process,
                      title=f"Action {tag} {i}")
        EventFactory(organization=side.organization, process=process, title=f"Événement {tag} {i}")


def test_the_process_page_shows_its_owner_risks_actions_and_events_and_nothing_of_another_process(
    client, world, matrix
):
    owner = world.a.users[Role.PROCESS_OWNER]
    owner.first_name, owner.last_name = "Claire", "Martin"
    owner.save()
    other = ProcessFactory(organization=world.a.organization, code="S9", name="Achats", owner=owner)
    _records(world.a, world.a.process, matrix, 2, "du processus")
    _records(world.a, other, matrix, 1, "d'un autre processus")
    client.force_login(world.a.users[Role.MANAGEMENT])

    page = client.get(world.a.process.get_absolute_url()).content.decode()
    assert "Claire Martin" in page
    for title in ("Risque du processus 1", "Action du processus 1", "Événement du processus 1"):
        assert title in page
    assert "autre processus" not in page
    assert f"?process={world.a.process.pk}" in page  # each section opens its filtered list


def test_the_process_page_costs_the_same_queries_with_many_records(client, world, matrix):
    client.force_login(world.a.users[Role.COORDINATOR])
    url = world.a.process.get_absolute_url()
    _records(world.a, world.a.process, matrix, 1, "a")
    few = count_queries(lambda: client.get(url))
    _records(world.a, world.a.process, matrix, 7, "b")
    many = count_queries(lambda: client.get(url))
    assert many == few, (few, many)
    assert many <= 34, many  # two queries per section: compliance's checks and documents (issue 10), objectives' indicators (issue 11), audits and improvement teams (issues 12, 13)
