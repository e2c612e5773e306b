"""restrict() and can() give the same answers: roles, ownership, sites, explicit grants."""

import pytest
from guardian.shortcuts import assign_perm

from improvement.factories import ActionFactory
from improvement.models import Action
from qse.factories import SiteFactory
from qse.models import Membership
from qse.permissions import can
from qse.roles import Role
from qse.tenancy import activate, scope_restored


@pytest.fixture
def member(world):
    def activate_role(role, sites=()):
        user = world.a.users[role]
        membership = Membership.objects.select_related("organization").get(user=user, organization=world.a.organization)
        membership.sites.set(sites)
        activate(membership)
        return user

    with scope_restored():
        yield activate_role


def _agree(user, verb):
    """For every action, can() says yes exactly for the rows restrict() returns."""
    allowed = set(Action.objects.restrict(user, verb).values_list("pk", flat=True))
    for action in Action.objects.filter(organization__slug="alpha"):
        assert can(user, verb, action) == (action.pk in allowed), (verb, action)
    return allowed


def test_a_coordinator_may_change_every_action_of_the_organization(world, member):
    user = member(Role.COORDINATOR)
    assert _agree(user, "change") == {a.pk for a in world.a.actions}


def test_a_contributor_changes_only_their_own_actions(world, member):
    user = member(Role.CONTRIBUTOR)
    mine = ActionFactory(organization=world.a.organization, owner=user)
    assert _agree(user, "change") == {mine.pk}
    assert len(_agree(user, "view")) == 4


def test_a_member_limited_to_a_site_sees_that_site_and_organization_wide_records(world, member):
    other_site = SiteFactory(organization=world.a.organization, code="ZZ")
    elsewhere = ActionFactory(organization=world.a.organization, owner=world.a.users[Role.COORDINATOR], site=other_site)
    everywhere = ActionFactory(organization=world.a.organization, owner=world.a.users[Role.COORDINATOR], site=None)
    user = member(Role.MANAGEMENT, sites=[world.a.site])
    visible = _agree(user, "view")
    assert elsewhere.pk not in visible and everywhere.pk in visible
    assert {a.pk for a in world.a.actions} <= visible


def test_an_explicit_grant_opens_one_object_to_a_narrow_role(world, member):
    user = member(Role.AUDITOR)
    action = world.a.actions[0]
    assert not can(user, "change", action)
    assign_perm("improvement.change_action", user, action)
    user = member(Role.AUDITOR)  # a new request: grants are read once per request
    assert can(user, "change", action)
    assert set(Action.objects.restrict(user, "change").values_list("pk", flat=True)) == {action.pk}


def test_nobody_may_change_an_archived_record(world, member):
    user = member(Role.ADMIN)
    action = world.a.actions[0]
    Action.objects.filter(pk=action.pk).update(archived_at="2026-01-01T00:00Z")
    action.refresh_from_db()
    assert can(user, "view", action) and not can(user, "change", action)


def test_the_process_map_groups_the_organizations_processes_by_band(client, world):
    client.force_login(world.user())
    response = client.get("/org/process-map/")
    bands = dict(response.context["bands"])
    assert [p.code for band in bands.values() for p in band] == ["R1"]
    assert "Beta" not in response.content.decode()


def test_the_memberships_a_request_loads_carry_their_site_and_process_limits_in_the_same_query(
        world, django_assert_num_queries):
    from qse.middleware import memberships_of
    from qse.models import Process

    user = world.a.users[Role.MANAGEMENT]
    membership = Membership.objects.get(user=user, organization=world.a.organization)
    second_site = SiteFactory(organization=world.a.organization, code="ZY")
    process = Process.objects.create(organization=world.a.organization, name="Achats")
    membership.sites.set([second_site, world.a.site])
    membership.processes.set([process])
    with django_assert_num_queries(1):
        [loaded] = memberships_of(user)
        assert loaded.site_ids == sorted([world.a.site.pk, second_site.pk])
        assert loaded.process_ids == [process.pk]
    coordinator = world.a.users[Role.COORDINATOR]
    with django_assert_num_queries(1):
        [unlimited] = memberships_of(coordinator)
        assert unlimited.site_ids == [] and unlimited.process_ids == []
