"""Sensor fixtures: devices of organization A and B, and a helper posting batches."""

from __future__ import annotations

import pytest

from objectives.sensors_factories import DeviceFactory
from qse.roles import Role


@pytest.fixture
def noise(world):
    """Organization A's noise meter on its site: valid 30 to 140 dB(A), out of range above 85."""
    return DeviceFactory(site=world.a.site, name="Sonomètre presse 3", code="sono-p3")


@pytest.fixture
def other_noise(world):
    """Organization B's noise meter, with the same code as A's."""
    return DeviceFactory(site=world.b.site, name="Sonomètre Beta", code="sono-p3")


@pytest.fixture
def coordinator(world):
    return world.a.users[Role.COORDINATOR]
