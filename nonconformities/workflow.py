"""The event workflow as a transition table plus guards, and the rules of an event's fields.

Pure: no database, no clock. The service gathers the facts (root causes, linked actions)
and asks these functions; the tests run them as tables.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from nonconformities.choices import ACCIDENT_TYPES, EventStatus, EventType, Severity

S = EventStatus

TRANSITIONS: dict[str, set[str]] = {
    S.REPORTED: {S.OPEN, S.REJECTED},  # triage of what came through the public form
    S.OPEN: {S.ANALYSIS, S.REJECTED},
    S.ANALYSIS: {S.TREATMENT},
    S.TREATMENT: {S.VERIFICATION, S.ANALYSIS},
    S.VERIFICATION: {S.CLOSED, S.TREATMENT},
    S.CLOSED: set(),
    S.REJECTED: set(),
}

# The forward step a button offers from each status (the table also allows steps back).
NEXT_STEP: dict[str, str] = {
    S.OPEN: S.ANALYSIS,
    S.ANALYSIS: S.TREATMENT,
    S.TREATMENT: S.VERIFICATION,
    S.VERIFICATION: S.CLOSED,
}

# An ineffective corrective action sends the event back to analysis from these statuses.
REOPENABLE = (S.TREATMENT, S.VERIFICATION, S.CLOSED)

# The employer declares a work or commuting accident to the CPAM within 48 hours
# (Code de la sécurité sociale, art. R441-3); an occupational disease is declared by the victim.
DECLARATION_DELAY = datetime.timedelta(hours=48)
DECLARED_TYPES = (EventType.WORK_ACCIDENT, EventType.COMMUTING_ACCIDENT)


@dataclass(frozen=True)
class LinkedAction:
    """What the guards need of one action whose origin is the event (cancelled ones left out)."""

    status: str
    effectiveness_result: str = ""


@dataclass(frozen=True)
class EventFacts:
    status: str
    severity: int
    root_cause_count: int = 0
    actions: list[LinkedAction] = field(default_factory=list)


def transition_errors(*, facts: EventFacts, target: str, reason: str = "") -> list[str]:
    """Why moving the event to ``target`` is refused; an empty list means it is allowed."""
    if target not in TRANSITIONS.get(facts.status, set()):
        return [_("An event cannot go from “{current}” to “{target}”.").format(
            current=S(facts.status).label, target=S(target).label if target in S.values else target)]
    guard = _GUARDS.get(target)
    return guard(facts, reason) if guard else []


def _rejecting(facts: EventFacts, reason: str) -> list[str]:
    if not reason.strip():
        return [_("Say why the event is rejected.")]
    return []


def _treating(facts: EventFacts, reason: str) -> list[str]:
    if facts.status != S.ANALYSIS or facts.root_cause_count:
        return []
    if facts.severity == Severity.MINOR and reason.strip():
        return []
    if facts.severity == Severity.MINOR:
        return [_("Record a root cause, or justify why this minor event needs no analysis.")]
    return [_("Record at least one root cause before choosing corrective actions.")]


def _verifying(facts: EventFacts, reason: str) -> list[str]:
    if facts.status != S.TREATMENT:
        return []
    if not facts.actions:
        return [_("Create at least one corrective action before checking effectiveness.")]
    open_count = sum(action.status != "done" for action in facts.actions)
    if open_count:
        return [_("{count} linked action(s) are not done yet.").format(count=open_count)]
    return []


def _closing(facts: EventFacts, reason: str) -> list[str]:
    if not facts.actions:
        return [_("An event is closed once its corrective actions are checked effective.")]
    unchecked = sum(action.effectiveness_result != "effective" for action in facts.actions)
    if unchecked:
        return [_("{count} linked action(s) have no effectiveness check recorded as effective.").format(
            count=unchecked)]
    return []


_GUARDS = {S.REJECTED: _rejecting, S.TREATMENT: _treating, S.VERIFICATION: _verifying, S.CLOSED: _closing}


def is_finished(status: str) -> bool:
    """Closed or rejected: nothing more is recorded on the event (no step leaves these statuses)."""
    return not TRANSITIONS.get(status)


@dataclass(frozen=True)
class OfferedSteps:
    """The steps the event page offers from a status; the guards still decide on submit."""

    is_finished: bool
    forward: str | None = None
    back: str | None = None
    may_skip_analysis: bool = False
    may_reject: bool = False


def offered_steps(*, status: str, severity: int) -> OfferedSteps:
    """Forward and back along the table, the justified skip of a minor event's analysis
    (see ``_treating``), and rejection (a reported event is rejected from the triage queue)."""
    forward = NEXT_STEP.get(status)
    others = TRANSITIONS.get(status, set()) - {forward, S.REJECTED}
    return OfferedSteps(
        is_finished=is_finished(status),
        forward=forward,
        back=next(iter(others), None) if forward else None,
        may_skip_analysis=status == S.ANALYSIS and severity == Severity.MINOR,
        may_reject=status != S.REPORTED and S.REJECTED in TRANSITIONS.get(status, set()),
    )


def declaration_due_at(event_type: str, occurred_at: datetime.datetime | None) -> datetime.datetime | None:
    """The 48-hour deadline of the employer's declaration; None for other types."""
    if event_type in DECLARED_TYPES and occurred_at is not None:
        return occurred_at + DECLARATION_DELAY
    return None


def is_declaration_late(*, due_at, declared_on: datetime.date | None, now: datetime.datetime) -> bool:
    """Late when the deadline has passed undeclared, or the declaration came after it."""
    if due_at is None:
        return False
    if declared_on is None:
        return now > due_at
    return declared_on > due_at.date()


def field_errors(*, event_type: str, occurred_on: datetime.date | None, detected_on: datetime.date | None,
                 has_victim: bool, lost_time: bool, days_lost: int, declared_on: datetime.date | None) -> dict:
    """The rules an event's fields must follow together, as {field: [message]}."""
    errors: dict[str, list[str]] = {}
    if occurred_on and detected_on and detected_on < occurred_on:
        errors["detected_on"] = [_("An event cannot be detected before it occurred.")]
    if event_type not in ACCIDENT_TYPES:
        for name, present in (("victim", has_victim), ("lost_time", lost_time), ("declared_on", declared_on)):
            if present:
                errors[name] = [_("Only accidents and occupational diseases have a victim, lost time or a "
                                  "declaration.")]
        if days_lost:
            errors["days_lost"] = [_("Only accidents and occupational diseases have days lost.")]
    elif days_lost and not lost_time:
        errors["days_lost"] = [_("Days lost are only counted for a lost-time accident.")]
    if declared_on and occurred_on and declared_on < occurred_on:
        errors["declared_on"] = [_("An accident cannot be declared before it occurred.")]
    return errors
