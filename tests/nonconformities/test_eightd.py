"""The 8D: the transition table and its guards (pure), then the service that applies them
under a row lock, each guard refused and then satisfied, up to the closure of the event."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.exceptions import ValidationError

from improvement.choices import ActionStatus, EffectivenessResult
from improvement.services import action_record_effectiveness, action_transition
from nonconformities import eightd as wf
from nonconformities import services_analysis as services
from nonconformities.choices import CauseCategory, EightDStep, EventStatus
from nonconformities.factories import ImmediateActionFactory
from qse.roles import Role
from qse.testing import TODAY

D = EightDStep
READY = wf.EightDFacts(
    step=D.D0, emergency_response="Clients prévenus", has_leader=True, team_size=2, problem_what="Bavure",
    has_containment=True, containment_verified=True, validated_root_causes=1, has_escape_point=True,
    actions_on_validated_causes=1, open_actions=0, actions=1, recurrence_prevention="AMDEC mise à jour",
    actions_not_effective=0,
)


@pytest.mark.parametrize(("step", "missing", "message"), [
    (D.D0, {"emergency_response": " "}, "emergency response"),
    (D.D1, {"has_leader": False}, "team leader"),
    (D.D1, {"team_size": 1}, "at least 2 members"),
    (D.D2, {"problem_what": ""}, "what the problem is"),
    (D.D3, {"has_containment": False}, "containment"),
    (D.D3, {"containment_verified": False}, "verified"),
    (D.D4, {"validated_root_causes": 0}, "Validate at least one root cause"),
    (D.D4, {"has_escape_point": False}, "escape point"),
    (D.D5, {"actions_on_validated_causes": 0}, "corrective action for a validated root cause"),
    (D.D6, {"open_actions": 2}, "2 corrective action(s) are not done"),
    (D.D7, {"recurrence_prevention": ""}, "recurrence"),
    (D.D8, {"actions_not_effective": 1}, "1 action(s) have no effectiveness check"),
])
def test_each_step_is_refused_with_its_reason_then_allowed_when_the_fact_is_there(step, missing, message):
    ready = dataclasses.replace(READY, step=step)
    refused = wf.completion_errors(dataclasses.replace(ready, **missing))
    assert len(refused) == 1 and message in refused[0]
    assert wf.completion_errors(ready) == []


def test_the_steps_follow_each_other_and_a_closed_8d_moves_no_more():
    assert [wf.next_step(s) for s in D.values] == [1, 2, 3, 4, 5, 6, 7, 8, 8]
    assert wf.done_field(D.D4) == "d4_done_on"
    assert wf.completion_errors(dataclasses.replace(READY, step=D.D8, is_closed=True)) == ["This 8D is closed."]


# --- the service -------------------------------------------------------------------------


def advance(eightd, user, days=0):
    return services.eightd_advance(eightd=eightd, acting_user=user, today=TODAY + datetime.timedelta(days=days))


def refused(eightd, user, text):
    with pytest.raises(ValidationError) as error:
        advance(eightd, user)
    assert any(text in message for message in error.value.messages), error.value.messages


@pytest.fixture
def started(world, as_member):
    user = as_member(Role.COORDINATOR)
    eightd = services.eightd_start(acting_user=user, event=world.a.event, champion=world.a.users[Role.MANAGEMENT],
                                   leader=world.a.users[Role.PROCESS_OWNER], team=[world.a.users[Role.AUDITOR]])
    return user, eightd


def test_a_complete_8d_is_refused_at_each_guard_then_closes_the_event(world, started):
    user, eightd = started
    event = world.a.event
    refused(eightd, user, "emergency response")
    eightd = services.eightd_update(eightd=eightd, acting_user=user, data={"emergency_response": "Stock bloqué"})
    eightd = advance(eightd, user)
    assert (eightd.step, eightd.d0_done_on) == (D.D1, TODAY)

    refused(eightd, user, "at least 2 members")
    eightd = services.eightd_update(eightd=eightd, acting_user=user, data={
        "team": [world.a.users[Role.AUDITOR], world.a.users[Role.CONTRIBUTOR]]})
    eightd = advance(eightd, user)
    refused(eightd, user, "what the problem is")
    eightd = advance(services.eightd_update(eightd=eightd, acting_user=user, data={"problem_what": "Bavure"}), user)

    refused(eightd, user, "Record a containment")
    ImmediateActionFactory(event=event)
    refused(eightd, user, "verified")
    eightd = services.eightd_update(eightd=eightd, acting_user=user, data={"containment_verified_on": TODAY})
    eightd = advance(eightd, user)

    refused(eightd, user, "Validate at least one root cause")
    cause = services.root_cause_create(acting_user=user, event=event, category=CauseCategory.MACHINE,
                                       description="Outil usé")
    refused(eightd, user, "Validate at least one root cause")
    cause = services.root_cause_validate(root_cause=cause, acting_user=user, evidence="Essai", today=TODAY)
    refused(eightd, user, "escape point")
    eightd = advance(services.eightd_update(eightd=eightd, acting_user=user, data={"escape_point": "Contrôle final"}),
                     user)

    refused(eightd, user, "corrective action for a validated root cause")
    link = services.corrective_action_create(acting_user=user, root_cause=cause, data={
        "title": "Verrouiller le compteur", "deliverable": "Paramètre verrouillé", "owner": world.a.users[Role.PROCESS_OWNER], "due_on": TODAY})
    eightd = advance(eightd, user)

    refused(eightd, user, "1 corrective action(s) are not done")
    action = action_transition(action=link.action, acting_user=user, to_status=ActionStatus.DONE, today=TODAY)
    eightd = advance(eightd, user)

    refused(eightd, user, "recurrence")
    eightd = advance(services.eightd_update(eightd=eightd, acting_user=user, data={
        "recurrence_prevention": "AMDEC"}), user)

    assert eightd.step == D.D8
    refused(eightd, user, "no effectiveness check")
    action_record_effectiveness(action=action, acting_user=user, result=EffectivenessResult.EFFECTIVE,
                                checked_on=TODAY)
    eightd = advance(eightd, user, days=1)

    assert eightd.is_closed and eightd.d8_done_on == TODAY + datetime.timedelta(days=1)
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED
    refused(eightd, user, "closed")
    with pytest.raises(ValidationError):
        services.eightd_update(eightd=eightd, acting_user=user, data={"congratulation": "Bravo"})


def test_a_stale_advance_is_a_conflict_and_moves_nothing(world, started):
    from qse.services import ConflictError

    user, eightd = started
    eightd = services.eightd_update(eightd=eightd, acting_user=user, data={"emergency_response": "Stock bloqué"})
    with pytest.raises(ConflictError):
        services.eightd_advance(eightd=eightd, acting_user=user, today=TODAY, expected_version=eightd.version - 1)
    eightd.refresh_from_db()
    assert eightd.step == D.D0


def test_an_event_has_one_8d_and_a_contributor_cannot_advance_it(world, started, as_member):
    user, eightd = started
    with pytest.raises(ValidationError):
        services.eightd_start(acting_user=user, event=world.a.event, champion=user, leader=user)
    from django.core.exceptions import PermissionDenied

    contributor = as_member(Role.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        advance(eightd, contributor)


def test_the_history_records_who_completed_a_step(world, started):
    user, eightd = started
    eightd = services.eightd_update(eightd=eightd, acting_user=user, data={"emergency_response": "Stock bloqué"})
    advance(eightd, user)
    events = list(eightd.events.order_by("pgh_id").values_list("step", "pgh_context__metadata"))
    assert events[-1][0] == D.D1 and events[-1][1]["user"] == user.pk
