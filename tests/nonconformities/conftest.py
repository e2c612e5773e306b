"""The shared world, plus one event (with its person in charge) in each organization."""

import pytest

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
