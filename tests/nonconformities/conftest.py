"""The shared world, plus one event (with its person in charge) in each organization."""

import pytest
from django.test import Client
from django.utils import translation

from nonconformities.factories import EventFactory
from qse.roles import Role
from qse.testing import build_world


def add_events(side) -> None:
    owner = side.users.get(Role.PROCESS_OWNER) or side.users[Role.COORDINATOR]
    side.event = EventFactory(
        organization=side.organization, site=side.site, process=side.process, owner=owner,
        title=f"{side.organization.name} · bavures sur alésage",
    )


@pytest.fixture
def world(db):
    world = build_world()
    add_events(world.a)
    add_events(world.b)
    return world


@pytest.fixture(autouse=True)
def _english_wording():
    """These tests read the English wording of refusals and pages; the French catalogue is
    checked as a whole by tests/test_translations.py."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")
