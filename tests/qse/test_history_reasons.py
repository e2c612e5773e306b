"""A reason given to a service names the rows that service wrote, and only those.

pghistory merges a nested context's metadata into the enclosing one (one context row for
both), so without care a reason given inside a larger unit of work (the demo's seed, an import
calling services) became the reason of every history row of that unit: the whole demo's
history said « Relève du dialogue social (CSE), pas du système QSE. »."""

import pghistory

from improvement.factories import ActionFactory
from qse.roles import Role
from qse.services import recorded


def _context_of(action) -> dict:
    return action.events.order_by("-pgh_id").first().pgh_context.metadata


def test_a_reason_given_inside_a_larger_unit_of_work_stays_on_its_own_rows(world, as_member):
    coordinator = as_member(Role.COORDINATOR)
    organization = world.a.organization
    with pghistory.context(user=coordinator.pk, reason="Données de démonstration"):
        before = ActionFactory(organization=organization, title="Avant")
        with recorded(coordinator, reason="Relève du dialogue social (CSE)"):
            inside = ActionFactory(organization=organization, title="Dedans")
        after = ActionFactory(organization=organization, title="Après")
    assert _context_of(before)["reason"] == "Données de démonstration"
    assert _context_of(inside)["reason"] == "Relève du dialogue social (CSE)"
    assert _context_of(after)["reason"] == "Données de démonstration"
    assert {_context_of(a)["user"] for a in (before, inside, after)} == {coordinator.pk}


def test_a_service_without_a_reason_keeps_the_enclosing_one(world, as_member):
    coordinator = as_member(Role.COORDINATOR)
    with pghistory.context(user=coordinator.pk, reason="Import du fichier actions.xlsx"):
        with recorded(coordinator):
            action = ActionFactory(organization=world.a.organization, title="Importée")
    assert _context_of(action)["reason"] == "Import du fichier actions.xlsx"
