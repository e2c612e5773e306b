"""An action's origin: one selector API to read it, and an explicit registry of what an origin
does when its action's effectiveness is recorded (no signal)."""

import importlib
import pathlib
import re

import pytest

from improvement import origins, selectors, services
from improvement.choices import ActionStatus, EffectivenessResult
from improvement.factories import ActionFactory
from improvement.models import Action
from improvement.origins import origin_fields
from qse.models import Process, Site
from qse.roles import Role
from qse.testing import TODAY

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _action_of(world, record, **extra):
    return ActionFactory(organization=world.a.organization, owner=world.a.users[Role.PROCESS_OWNER],
                         **origin_fields(record), **extra)


def test_actions_of_a_record_are_the_ones_whose_origin_it_is_as_the_user_may_see_them(world, as_member):
    site = world.a.site
    other_site = Site.objects.create(organization=world.a.organization, code="ALP2", name="Site 2")
    mine = _action_of(world, world.a.process, site=site)
    elsewhere = _action_of(world, world.a.process, site=other_site)
    _action_of(world, world.a.plan)  # another record
    archived = _action_of(world, world.a.process)
    Action.objects.filter(pk=archived.pk).update(archived_at="2026-01-01T00:00Z")
    user = as_member(Role.COORDINATOR)
    assert set(selectors.actions_of(world.a.process, user=user)) == {mine, elsewhere}
    # A member limited to one site sees only that site's actions (and organization-wide ones).
    from qse.models import Membership
    from qse.tenancy import activate

    limited = Membership.objects.select_related("organization").get(user=user, organization=world.a.organization)
    limited.sites.add(site)
    activate(limited)
    assert set(selectors.actions_of(world.a.process, user=user)) == {mine}


def test_actions_of_records_counts_every_record_of_a_model_in_one_query(world, as_member):
    user = as_member(Role.COORDINATOR)
    second = Process.objects.create(organization=world.a.organization, code="R2", name="Maintenance")
    first_actions = {_action_of(world, world.a.process), _action_of(world, world.a.process)}
    second_action = _action_of(world, second)
    assert set(selectors.actions_of_records(Process, user=user)) == first_actions | {second_action}
    assert set(selectors.actions_of_records(Process, user=user, ids=[second.pk])) == {second_action}


def test_origin_of_gives_the_record_or_none(world, as_member):
    as_member(Role.COORDINATOR)
    assert selectors.origin_of(_action_of(world, world.a.process)) == world.a.process
    assert selectors.origin_of(world.a.actions[0]) is None


def test_no_app_reads_the_origin_columns_by_hand():
    """Only improvement/ knows how an action points at its origin (tests and migrations aside)."""
    pattern = re.compile(r"origin_type|origin_id\b|origin_object_id|origin_content_type")
    # Demo data written before origin_fields existed (a write, not a read); to move to it.
    known = {"nonconformities/demo.py"}
    offenders = {
        str(path.relative_to(ROOT))
        for app in ("context", "risks", "nonconformities", "qse")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text())
    }
    assert offenders - known == set()


def test_the_signal_is_gone():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("improvement.signals")


def test_an_origin_model_has_at_most_one_reaction():
    from nonconformities.models import Event

    with pytest.raises(ValueError):
        origins.register_effectiveness_reaction(Event, lambda **kwargs: None)


def test_the_origin_reacts_inside_the_checks_transaction(world, as_member, monkeypatch):
    """A reaction that fails takes the check down with it: both commit, or neither."""
    user = as_member(Role.COORDINATOR)
    calls = []

    def reaction(*, origin, action, acting_user, result):
        calls.append((origin, action.pk, acting_user, result))
        raise RuntimeError("the origin refused")

    monkeypatch.setitem(origins._reactions, Process, reaction)
    action = _action_of(world, world.a.process, status=ActionStatus.DONE)
    with pytest.raises(RuntimeError):
        services.action_record_effectiveness(action=action, acting_user=user, result=EffectivenessResult.EFFECTIVE,
                                             checked_on=TODAY)
    assert calls == [(world.a.process, action.pk, user, EffectivenessResult.EFFECTIVE)]
    action.refresh_from_db()
    assert action.effectiveness_result == ""


def test_an_origin_without_a_reaction_does_not_react(world, as_member):
    user = as_member(Role.COORDINATOR)
    action = _action_of(world, world.a.plan, status=ActionStatus.DONE)
    checked = services.action_record_effectiveness(action=action, acting_user=user,
                                                   result=EffectivenessResult.NOT_EFFECTIVE, checked_on=TODAY)
    assert checked.status == ActionStatus.IN_PROGRESS
