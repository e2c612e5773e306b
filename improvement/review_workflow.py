"""The management review's steps as data: which status may follow which, the guards of each
step, and the plan of a review's inputs from the clause mapping. Pure: no ORM, no clock."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

DRAFT, COLLECTED, HELD, CLOSED = "draft", "collected", "held", "closed"

# Collecting again while the review is not yet held refreshes the figures (comments are kept).
NEXT = {DRAFT: {COLLECTED}, COLLECTED: {COLLECTED, HELD}, HELD: {CLOSED}, CLOSED: set()}
# Where comments and decisions may still be written.
COMMENTABLE = {COLLECTED, HELD}
DECIDABLE = {COLLECTED, HELD}


@dataclass(frozen=True)
class ReviewFacts:
    status: str
    kind: str
    standards: tuple[str, ...]
    held_on: object
    attendees: str
    minutes: str
    decision_count: int


def transition_errors(facts: ReviewFacts, target: str) -> list[str]:
    """Why the review may not move to ``target`` (empty: it may)."""
    if target not in NEXT.get(facts.status, set()):
        return [_("This step is not possible from the review's current status.")]
    errors = []
    if target == COLLECTED and facts.kind == "management" and not facts.standards:
        errors.append(_("Choose the standards the review covers before collecting its inputs."))
    if target == HELD:
        if not facts.held_on:
            errors.append(_("Give the date the review was held."))
        if not facts.attendees.strip():
            errors.append(_("List the attendees."))
    if target == CLOSED:
        if not facts.minutes.strip():
            errors.append(_("Write the minutes before closing the review."))
        if not facts.decision_count:
            errors.append(_("Record at least one conclusion or decision before closing the review."))
    return errors


def offered_steps(status: str) -> list[str]:
    """The steps the review page offers as buttons, in order."""
    return [step for step in (COLLECTED, HELD, CLOSED) if step in NEXT.get(status, set())]


@dataclass(frozen=True)
class PlannedInput:
    section_key: str
    clause_refs: tuple[str, ...]
    position: int


def input_plan(clauses, *, process_review: bool, offered: dict[str, bool]) -> list[PlannedInput]:
    """One input per section key, in the order its first clause comes, with every clause it
    answers. ``offered`` maps a registered key to whether it takes part in a process review;
    a process review keeps only those, a management review keeps every key of the mapping
    (an unregistered one is shown as not available yet)."""
    refs: dict[str, list[str]] = {}
    for clause in clauses:
        for key in clause.section_keys:
            if process_review and not offered.get(key, False):
                continue
            refs.setdefault(key, []).append(clause.label)
    if process_review:  # a section offered to process reviews but no clause of the chosen standards
        for key, is_offered in offered.items():
            if is_offered:
                refs.setdefault(key, [])
    return [PlannedInput(key, tuple(labels), index) for index, (key, labels) in enumerate(refs.items())]
