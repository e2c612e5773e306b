"""The action workflow as a table: pure functions, no database."""

import datetime
from types import SimpleNamespace

import pytest

from improvement import workflow
from improvement.choices import ActionStatus as S
from improvement.choices import PdcaStage


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (S.PLANNED, S.IN_PROGRESS, True),
        (S.PLANNED, S.DONE, True),
        (S.IN_PROGRESS, S.DONE, True),
        (S.IN_PROGRESS, S.CANCELLED, True),
        (S.DONE, S.IN_PROGRESS, True),
        (S.CANCELLED, S.PLANNED, True),
        (S.DONE, S.CANCELLED, False),
        (S.CANCELLED, S.DONE, False),
        (S.PLANNED, S.PLANNED, False),
    ],
)
def test_transition_table(current, target, allowed):
    errors = workflow.transition_errors(current=current, target=target, deliverable="Rapport", effectiveness_result="")
    assert (errors == []) is allowed


def test_an_action_is_not_done_without_its_deliverable():
    assert workflow.transition_errors(current=S.IN_PROGRESS, target=S.DONE, deliverable=" ", effectiveness_result="")


def test_an_action_checked_effective_cannot_be_reopened():
    assert workflow.transition_errors(current=S.DONE, target=S.IN_PROGRESS, deliverable="x", effectiveness_result="effective")


@pytest.mark.parametrize(
    ("status", "result", "stage"),
    [
        (S.PLANNED, "", PdcaStage.PLAN),
        (S.IN_PROGRESS, "", PdcaStage.DO),
        (S.DONE, "", PdcaStage.CHECK),
        (S.DONE, "not_effective", PdcaStage.CHECK),
        (S.DONE, "effective", PdcaStage.ACT),
        (S.CANCELLED, "", None),
    ],
)
def test_pdca_column_is_derived_from_status_and_effectiveness(status, result, stage):
    assert workflow.pdca_stage(status, result) == stage


def test_moving_to_act_needs_the_effectiveness_check():
    assert workflow.stage_move_errors(current_stage=PdcaStage.CHECK, target_stage=PdcaStage.ACT)
    assert not workflow.stage_move_errors(current_stage=PdcaStage.PLAN, target_stage=PdcaStage.DO)


# --- what the pages offer, and who verifies ---------------------------------------------------

DAY = datetime.date(2026, 11, 23)
BEFORE, AFTER = datetime.date(2026, 11, 22), datetime.date(2026, 11, 24)


def _action(status, due_on=AFTER, result=""):
    return SimpleNamespace(status=status, due_on=due_on, effectiveness_result=result)


@pytest.mark.parametrize(
    ("status", "due_on", "late"),
    [
        (S.PLANNED, BEFORE, True),
        (S.IN_PROGRESS, BEFORE, True),
        (S.IN_PROGRESS, DAY, False),  # due today is not late yet
        (S.IN_PROGRESS, AFTER, False),
        (S.DONE, BEFORE, False),
        (S.CANCELLED, BEFORE, False),
    ],
)
def test_only_an_open_action_past_its_due_date_is_late(status, due_on, late):
    assert workflow.is_late(_action(status, due_on), DAY) is late


@pytest.mark.parametrize(
    ("status", "result", "buttons"),
    [
        (S.PLANNED, "", {S.IN_PROGRESS, S.DONE, S.CANCELLED}),
        (S.IN_PROGRESS, "", {S.DONE, S.CANCELLED}),
        (S.DONE, "", {S.IN_PROGRESS}),
        (S.DONE, "effective", set()),  # closed
        (S.CANCELLED, "", {S.PLANNED}),
    ],
)
def test_the_buttons_offered_follow_the_transition_table(status, result, buttons):
    offered = workflow.offered_transitions(_action(status, result=result), may_change=True)
    assert {step.to_status for step in offered} == buttons
    assert workflow.offered_transitions(_action(status, result=result), may_change=False) == ()


@pytest.mark.parametrize(
    ("status", "result", "back", "forward"),
    [
        (S.PLANNED, "", None, PdcaStage.DO),
        (S.IN_PROGRESS, "", PdcaStage.PLAN, PdcaStage.CHECK),
        (S.DONE, "", PdcaStage.DO, None),
        (S.DONE, "effective", None, None),
    ],
)
def test_the_board_arrows_follow_the_pdca_columns(status, result, back, forward):
    offer = workflow.offer(_action(status, result=result), today=DAY, may_change=True, may_verify=False)
    assert (offer.board_back, offer.board_forward) == (back, forward)
    nothing = workflow.offer(_action(status, result=result), today=DAY, may_change=False, may_verify=False)
    assert (nothing.board_back, nothing.board_forward, nothing.may_report_progress) == (None, None, False)


@pytest.mark.parametrize(
    ("status", "result", "may_verify", "form_shown"),
    [
        (S.DONE, "", True, True),
        (S.DONE, "", False, False),
        (S.IN_PROGRESS, "", True, False),
        (S.DONE, "effective", True, False),
    ],
)
def test_the_effectiveness_form_is_offered_to_a_verifier_of_a_done_unchecked_action(status, result, may_verify,
                                                                                       form_shown):
    offer = workflow.offer(_action(status, result=result), today=DAY, may_change=False, may_verify=may_verify)
    assert offer.may_check_effectiveness is form_shown


COORD, NAMED = "coordinator", "coordinator_or_named_verifier"


@pytest.mark.parametrize(
    ("policy", "role", "is_owner", "is_named", "allowed"),
    [
        (NAMED, "coordinator", False, False, True),
        (NAMED, "admin", False, False, True),
        (NAMED, "coordinator", True, False, False),  # the owner never certifies their own action
        (NAMED, "process_owner", False, True, True),
        (NAMED, "contributor", False, True, True),
        (NAMED, "process_owner", False, False, False),
        (NAMED, "management", False, False, False),
        (COORD, "contributor", False, True, False),  # the organization wants a coordinator
        (COORD, "coordinator", False, False, True),
        (COORD, "admin", True, False, False),
        (NAMED, None, False, False, False),
    ],
)
def test_who_verifies_effectiveness(policy, role, is_owner, is_named, allowed):
    errors = workflow.effectiveness_verifier_errors(policy=policy, role=role, is_owner=is_owner,
                                                    is_named_verifier=is_named)
    assert (errors == []) is allowed
