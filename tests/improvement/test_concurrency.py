"""Workflow steps decide on the locked row: two people acting on what they both saw as the
same state never both pass a guard that only one of them should."""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from improvement import services
from improvement.choices import ActionStatus
from improvement.models import Action
from qse.roles import Role
from qse.testing import TODAY


def test_a_step_from_a_stale_copy_is_judged_on_the_current_row(world, as_member):
    user = as_member(Role.COORDINATOR)
    seen = Action.objects.get(pk=world.a.actions[1].pk)  # in progress, as the page showed it
    services.action_transition(action=Action.objects.get(pk=seen.pk), acting_user=user,
                               to_status=ActionStatus.CANCELLED, today=TODAY)
    with pytest.raises(ValidationError):  # cancelled -> done is not in the table
        services.action_transition(action=seen, acting_user=user, to_status=ActionStatus.DONE, today=TODAY)
    assert Action.objects.get(pk=seen.pk).status == ActionStatus.CANCELLED


def _race(world, steps):
    """Run each step in its own thread and connection, all released at once; answer what each
    step raised (None when it passed)."""
    from qse.models import Membership
    from qse.tenancy import organization_context

    user = world.user()
    membership = Membership.objects.select_related("organization").get(user=user, organization=world.a.organization)
    barrier, outcomes = threading.Barrier(len(steps)), {}

    def run(name, step):
        try:
            with organization_context(world.a.organization, membership):
                barrier.wait()
                step(user)
            outcomes[name] = None
        except Exception as exc:  # the assertions look at what was raised
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in steps.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _reset_scope():
    with contextlib.suppress(Exception), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('qse.all_organizations', '', false)")


def test_done_and_cancelled_at_the_same_time_only_one_wins(transactional_db):
    from qse.testing import build_world

    world = build_world()
    seen = Action.objects.get(pk=world.a.actions[1].pk)  # both people saw it in progress

    def move(to_status):
        return lambda user: services.action_transition(action=seen, acting_user=user, to_status=to_status, today=TODAY)

    outcomes = _race(world, {"done": move(ActionStatus.DONE), "cancelled": move(ActionStatus.CANCELLED)})
    final = Action.objects.get(pk=seen.pk).status
    _reset_scope()
    winners = [name for name, raised in outcomes.items() if raised is None]
    assert winners == [final]
    loser = next(raised for raised in outcomes.values() if raised is not None)
    assert isinstance(loser, ValidationError)
