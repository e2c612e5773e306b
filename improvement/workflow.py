"""Action status workflow: a transition table and guards. Pure: no database, no clock."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from improvement.choices import ActionStatus as S
from improvement.choices import EffectivenessResult, PdcaStage
from qse.models import EffectivenessPolicy

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


# --- who verifies effectiveness ----------------------------------------------------------

# Roles that verify any action's effectiveness (the QSE function, not the line).
VERIFYING_ROLES = ("admin", "coordinator")


def effectiveness_verifier_errors(*, policy: str, role: str | None, is_owner: bool, is_named_verifier: bool) -> list[str]:
    """Why this user may not record the action's effectiveness check; empty when they may.

    The owner never certifies their own action (a "done" action closing its event needs a
    second pair of eyes); a coordinator or an admin may; the verifier named on the action
    may when the organization's policy says so (``qse.EffectivenessPolicy``).
    """
    if is_owner:
        return [_("The owner of an action does not verify its effectiveness: a coordinator or the named "
                  "verifier does.")]
    if role in VERIFYING_ROLES:
        return []
    if is_named_verifier and policy == EffectivenessPolicy.COORDINATOR_OR_NAMED_VERIFIER:
        return []
    if policy == EffectivenessPolicy.COORDINATOR_OR_NAMED_VERIFIER:
        return [_("Only a coordinator or the verifier named on the action verifies its effectiveness.")]
    return [_("Only a coordinator verifies the effectiveness of an action.")]


# --- what the pages offer ----------------------------------------------------------------

OPEN = (S.PLANNED, S.IN_PROGRESS)

# The buttons of the action page: the steps of TRANSITIONS a person takes by hand, with their
# label (going back from in progress to planned happens on the board, not through a button).
_BUTTONS: dict[tuple[str, str], str] = {
    (S.PLANNED, S.IN_PROGRESS): gettext_lazy("Start"),
    (S.PLANNED, S.DONE): gettext_lazy("Mark as done"),
    (S.IN_PROGRESS, S.DONE): gettext_lazy("Mark as done"),
    (S.PLANNED, S.CANCELLED): gettext_lazy("Cancel the action"),
    (S.IN_PROGRESS, S.CANCELLED): gettext_lazy("Cancel the action"),
    (S.DONE, S.IN_PROGRESS): gettext_lazy("Reopen"),
    (S.CANCELLED, S.PLANNED): gettext_lazy("Plan again"),
}

# The PDCA board's arrows: (back, forward) from each column; Act is reached by the check only.
_BOARD_MOVES: dict[str, tuple[str | None, str | None]] = {
    PdcaStage.PLAN: (None, PdcaStage.DO),
    PdcaStage.DO: (PdcaStage.PLAN, PdcaStage.CHECK),
    PdcaStage.CHECK: (PdcaStage.DO, None),
    PdcaStage.ACT: (None, None),
}


@dataclass(frozen=True)
class Transition:
    to_status: str
    label: str


@dataclass(frozen=True)
class Offer:
    """What the action page, the "My actions" card and the board card offer to one user;
    the service's guards still decide on submit."""

    is_late: bool
    transitions: tuple[Transition, ...] = ()
    may_report_progress: bool = False
    may_check_effectiveness: bool = False
    board_back: str | None = None
    board_forward: str | None = None


def is_late(action, today: datetime.date) -> bool:
    """Open (planned or in progress) and past its due date: the one "late" rule."""
    return action.status in OPEN and action.due_on is not None and action.due_on < today


def is_closed(action) -> bool:
    return action.status == S.DONE and action.effectiveness_result == EffectivenessResult.EFFECTIVE


def offered_transitions(action, *, may_change: bool) -> tuple[Transition, ...]:
    """The status buttons for a user who may (or may not) change the action."""
    if not may_change or is_closed(action):
        return ()
    return tuple(Transition(target, label) for (current, target), label in _BUTTONS.items()
                 if current == action.status and target in TRANSITIONS[current])


def offer(action, *, today: datetime.date, may_change: bool, may_verify: bool) -> Offer:
    """Everything a page shows of the workflow for this action and this user, in one answer."""
    stage = pdca_stage(action.status, action.effectiveness_result)
    back, forward = _BOARD_MOVES.get(stage, (None, None)) if may_change else (None, None)
    return Offer(
        is_late=is_late(action, today),
        transitions=offered_transitions(action, may_change=may_change),
        may_report_progress=may_change and action.status in OPEN,
        may_check_effectiveness=may_verify and action.status == S.DONE and not action.effectiveness_result,
        board_back=back,
        board_forward=forward,
    )
