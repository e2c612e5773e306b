"""Effectiveness is verified by someone other than the action's owner: a coordinator (or an
admin), or the verifier named on the action when the organization allows it. The service, the
API and the pages give the same answer."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from improvement import services
from improvement.choices import ActionStatus, EffectivenessResult
from improvement.factories import ActionFactory
from improvement.models import Action
from qse.models import EffectivenessPolicy, Organization
from qse.roles import Role
from qse.testing import TODAY


def _done(world, owner_role=Role.PROCESS_OWNER, verifier_role=None):
    return ActionFactory(
        organization=world.a.organization, owner=world.a.users[owner_role], process=world.a.process,
        status=ActionStatus.DONE, verifier=world.a.users[verifier_role] if verifier_role else None,
    )


def _check(action, user, result=EffectivenessResult.EFFECTIVE):
    return services.action_record_effectiveness(action=action, acting_user=user, result=result, checked_on=TODAY)


def _policy(world, policy):
    Organization.objects.filter(pk=world.a.organization.pk).update(effectiveness_verified_by=policy)


@pytest.mark.parametrize("role", [Role.PROCESS_OWNER, Role.COORDINATOR, Role.CONTRIBUTOR])
def test_the_owner_cannot_certify_their_own_action(world, as_member, role):
    action = _done(world, owner_role=role)
    with pytest.raises(PermissionDenied):
        _check(action, as_member(role))
    action.refresh_from_db()
    assert action.effectiveness_result == "" and not action.is_closed


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_a_coordinator_or_an_admin_verifies_an_action_they_do_not_own(world, as_member, role):
    closed = _check(_done(world), as_member(role))
    assert closed.is_closed and closed.effectiveness_checked_by == world.a.users[role]


def test_the_named_verifier_verifies_when_the_organization_allows_it(world, as_member):
    action = _done(world, verifier_role=Role.CONTRIBUTOR)  # a contributor may not even change it
    assert _check(action, as_member(Role.CONTRIBUTOR)).is_closed


def test_when_the_organization_wants_a_coordinator_the_named_verifier_is_refused(world, as_member):
    _policy(world, EffectivenessPolicy.COORDINATOR)
    action = _done(world, verifier_role=Role.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        _check(action, as_member(Role.CONTRIBUTOR))
    assert _check(action, as_member(Role.COORDINATOR)).is_closed


def test_a_process_owner_who_may_change_the_action_still_does_not_verify_it(world, as_member):
    action = ActionFactory(organization=world.a.organization, owner=world.a.users[Role.CONTRIBUTOR],
                           process=world.a.process, status=ActionStatus.DONE)
    with pytest.raises(PermissionDenied):
        _check(action, as_member(Role.PROCESS_OWNER))


def test_the_owner_cannot_be_named_verifier_of_their_own_action(world):
    owner = world.a.users[Role.PROCESS_OWNER]
    action = Action(organization=world.a.organization, owner=owner, verifier=owner, title="x", due_on=TODAY)
    with pytest.raises(ValidationError, match="vérificateur"):
        action.validate_constraints()


# --- the API and the pages enforce the same rule ---------------------------------------------------

def _api(client, action):
    return client.post(f"/api/v1/improvement/actions/{action.pk}/effectiveness/",
                       {"result": "effective", "checked_on": str(TODAY)}, content_type="application/json")


def test_the_api_refuses_the_owner_and_accepts_the_named_verifier(client, world):
    action = _done(world, verifier_role=Role.CONTRIBUTOR)
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    refused = _api(client, action)
    assert refused.status_code == 403 and "responsable" in refused.json()["detail"]
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    accepted = _api(client, action)
    assert accepted.status_code == 200 and accepted.json()["is_closed"] is True


def test_the_action_page_shows_the_check_only_to_who_may_record_it(client, world):
    action = _done(world, verifier_role=Role.CONTRIBUTOR)
    form = f'action="/improvement/actions/{action.pk}/effectiveness/"'
    expectations = {Role.PROCESS_OWNER: False, Role.COORDINATOR: True, Role.CONTRIBUTOR: True,
                    Role.AUDITOR: False, Role.MANAGEMENT: False}
    for role, shown in expectations.items():
        client.force_login(world.a.users[role])
        assert (form in client.get(action.get_absolute_url()).content.decode()) is shown, role


def test_the_owner_posting_the_check_anyway_gets_a_visible_translated_refusal(client, world):
    action = _done(world)
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    response = client.post(f"/improvement/actions/{action.pk}/effectiveness/",
                           {"result": "effective", "checked_on": str(TODAY), "version": action.version}, follow=True)
    assert response.status_code == 200
    assert "ne vérifie pas son efficacité" in response.content.decode()
    action.refresh_from_db()
    assert not action.is_closed


def test_the_board_offers_the_check_only_to_who_may_record_it(client, world):
    action = _done(world)
    link = f'href="/improvement/actions/{action.pk}/#effectiveness"'
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    assert link not in client.get("/improvement/board/").content.decode()
    client.force_login(world.a.users[Role.COORDINATOR])
    assert link in client.get("/improvement/board/").content.decode()
