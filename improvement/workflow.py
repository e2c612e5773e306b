"""Action status workflow: a transition table and guards. Pure: no database, no clock."""

from __future__ import annotations

from django.utils.translation import gettext as _

from improvement.choices import ActionStatus as S
from improvement.choices import EffectivenessResult, PdcaStage

TRANSITIONS: dict[str, set[str]] = {
    S.PLANNED: {S.IN_PROGRESS, S.DONE, S.CANCELLED},
    S.IN_PROGRESS: {S.PLANNED, S.DONE, S.CANCELLED},
    S.DONE: {S.IN_PROGRESS},
    S.CANCELLED: {S.PLANNED},
}

# Where a card lands on the PDCA board, and which status a move to a column means.
STATUS_FOR_STAGE = {PdcaStage.PLAN: S.PLANNED, PdcaStage.DO: S.IN_PROGRESS, PdcaStage.CHECK: S.DONE}


def pdca_stage(status: str, effectiveness_result: str) -> str | None:
    if status == S.PLANNED:
        return PdcaStage.PLAN
    if status == S.IN_PROGRESS:
        return PdcaStage.DO
    if status == S.DONE:
        return PdcaStage.ACT if effectiveness_result == EffectivenessResult.EFFECTIVE else PdcaStage.CHECK
    return None


def transition_errors(*, current: str, target: str, deliverable: str, effectiveness_result: str) -> list[str]:
    """Why a status change is refused; an empty list means it is allowed."""
    if target not in TRANSITIONS.get(current, set()):
        return [_("An action cannot go from “{current}” to “{target}”.").format(
            current=S(current).label, target=S(target).label)]
    errors = []
    if target == S.DONE and not deliverable.strip():
        errors.append(_("Describe the deliverable before marking the action done."))
    if current == S.DONE and effectiveness_result == EffectivenessResult.EFFECTIVE:
        errors.append(_("An action checked as effective is closed; open a new action instead."))
    return errors


def stage_move_errors(*, current_stage: str | None, target_stage: str) -> list[str]:
    if target_stage == PdcaStage.ACT:
        return [_("Record the effectiveness check to move an action to Act.")]
    if current_stage == PdcaStage.ACT:
        return [_("An action checked as effective is closed; open a new action instead.")]
    return []


def effectiveness_errors(*, status: str) -> list[str]:
    if status != S.DONE:
        return [_("Effectiveness is checked once the action is done.")]
    return []
