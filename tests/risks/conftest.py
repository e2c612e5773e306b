"""The shared world, plus a default 5 x 5 matrix and one risk in each organization."""

import pytest

from qse.roles import Role
from qse.testing import build_world
from risks.factories import RiskFactory, RiskMatrixFactory


def add_risks(side) -> None:
    side.matrix = RiskMatrixFactory(organization=side.organization, is_default=True)
    owner = side.users.get(Role.PROCESS_OWNER) or side.users[Role.COORDINATOR]
    side.risk = RiskFactory(
        organization=side.organization, matrix=side.matrix, owner=owner, process=side.process, site=side.site,
        reference="R-001", title=f"{side.organization.name} · chute de plain-pied",
    )


@pytest.fixture
def world(db):
    world = build_world()
    add_risks(world.a)
    add_risks(world.b)
    return world
