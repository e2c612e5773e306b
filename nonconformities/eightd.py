"""The 8D workflow: a transition table and guards. Pure: no database, no clock.

``step`` on an ``EightD`` is the step being worked on. Completing it records its date and
moves to the next step; completing D8 closes the 8D (and the event). Each guard answers
with the reasons a step cannot be completed yet, in words a team leader understands.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from nonconformities.choices import EightDStep as D

NEXT: dict[int, int | None] = {
    D.D0: D.D1, D.D1: D.D2, D.D2: D.D3, D.D3: D.D4, D.D4: D.D5,
    D.D5: D.D6, D.D6: D.D7, D.D7: D.D8, D.D8: None,
}

MIN_TEAM_MEMBERS = 2


@dataclass(frozen=True)
class EightDFacts:
    """What the guards look at, read once by the service from the 8D and its event."""

    step: int
    is_closed: bool = False
    emergency_response: str = ""
    has_leader: bool = False
    team_size: int = 0
    problem_what: str = ""
    has_containment: bool = False
    containment_verified: bool = False
    validated_root_causes: int = 0
    has_escape_point: bool = False
    actions_on_validated_causes: int = 0
    open_actions: int = 0
    actions: int = 0
    recurrence_prevention: str = ""
    actions_not_effective: int = 0


def _d0(f: EightDFacts) -> list[str]:
    if not f.emergency_response.strip():
        return [_("Describe the emergency response (write “none needed” when there was none).")]
    return []


def _d1(f: EightDFacts) -> list[str]:
    errors = []
    if not f.has_leader:
        errors.append(_("Name the team leader."))
    if f.team_size < MIN_TEAM_MEMBERS:
        errors.append(_("The team needs at least {n} members besides the leader.").format(n=MIN_TEAM_MEMBERS))
    return errors


def _d2(f: EightDFacts) -> list[str]:
    if not f.problem_what.strip():
        return [_("Describe what the problem is (and is not).")]
    return []


def _d3(f: EightDFacts) -> list[str]:
    errors = []
    if not f.has_containment:
        errors.append(_("Record a containment: an immediate action on the event or the containment summary."))
    if not f.containment_verified:
        errors.append(_("Give the date the containment was verified."))
    return errors


def _d4(f: EightDFacts) -> list[str]:
    errors = []
    if f.validated_root_causes < 1:
        errors.append(_("Validate at least one root cause (with its evidence)."))
    if not f.has_escape_point:
        errors.append(_("Describe the escape point: where the problem should have been caught."))
    return errors


def _d5(f: EightDFacts) -> list[str]:
    if f.actions_on_validated_causes < 1:
        return [_("Create a corrective action for a validated root cause.")]
    return []


def _d6(f: EightDFacts) -> list[str]:
    if f.open_actions:
        return [_("{n} corrective action(s) are not done yet.").format(n=f.open_actions)]
    return []


def _d7(f: EightDFacts) -> list[str]:
    if not f.recurrence_prevention.strip():
        return [_("Describe how recurrence is prevented (procedures, FMEA, control plan, similar products).")]
    return []


def _d8(f: EightDFacts) -> list[str]:
    if f.actions_not_effective:
        return [_("{n} action(s) have no effectiveness check recorded as effective.").format(n=f.actions_not_effective)]
    return []


GUARDS = {D.D0: _d0, D.D1: _d1, D.D2: _d2, D.D3: _d3, D.D4: _d4, D.D5: _d5, D.D6: _d6, D.D7: _d7, D.D8: _d8}


def completion_errors(facts: EightDFacts) -> list[str]:
    """Why the current step cannot be completed; an empty list means it can."""
    if facts.is_closed:
        return [_("This 8D is closed.")]
    return GUARDS[facts.step](facts)


def next_step(step: int) -> int:
    """The step worked on once ``step`` is complete (D8 stays D8: the 8D is then closed)."""
    following = NEXT[step]
    return step if following is None else following


def done_field(step: int) -> str:
    return f"d{int(step)}_done_on"
