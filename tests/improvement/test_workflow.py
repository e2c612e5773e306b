"""The action workflow as a table: pure functions, no database."""

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
