"""A suggestion's life as a transition table (pure: no ORM, no clock).

submitted -> under review -> accepted -> implemented, or rejected (also as a duplicate). The
coordinator may decide straight from "submitted"; the pages offer only the steps this table
allows, and the services refuse the others.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from improvement.models.suggestions import SuggestionDecision, SuggestionStatus

S = SuggestionStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.ACCEPTED, S.REJECTED}),
    S.UNDER_REVIEW: frozenset({S.ACCEPTED, S.REJECTED}),
    S.ACCEPTED: frozenset({S.IMPLEMENTED}),
    S.IMPLEMENTED: frozenset(),
    S.REJECTED: frozenset(),
}
STATUS_FOR_DECISION = {
    SuggestionDecision.ACCEPTED: S.ACCEPTED,
    SuggestionDecision.REJECTED: S.REJECTED,
    SuggestionDecision.DUPLICATE: S.REJECTED,
}
# Colleagues support an idea still on the table.
SUPPORTABLE = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED})
# An action or a project is made of an accepted idea.
CONVERTIBLE = frozenset({S.ACCEPTED})


def transition_errors(*, current: str, target: str) -> list[str]:
    if target not in TRANSITIONS.get(current, frozenset()):
        return [_("This suggestion cannot go from “{current}” to “{target}”.").format(
            current=S(current).label, target=S(target).label if target in S.values else target)]
    return []


def decision_errors(*, current: str, decision: str, impact: int | None, effort: int | None, reason: str,
                    duplicate_of_id: int | None) -> dict[str, list[str]]:
    """What is missing or wrong in an assessment (a dict of field -> messages; empty: fine)."""
    if decision not in STATUS_FOR_DECISION:
        return {"decision": [_("Choose a decision.")]}
    errors: dict[str, list[str]] = {}
    transition = transition_errors(current=current, target=STATUS_FOR_DECISION[decision])
    if transition:
        errors["__all__"] = transition
    for name, value in (("impact", impact), ("effort", effort)):
        if value is not None and not 1 <= value <= 5:
            errors[name] = [_("Give a score from 1 to 5.")]
        elif value is None and decision == SuggestionDecision.ACCEPTED:
            errors[name] = [_("An accepted suggestion is scored from 1 to 5.")]
    if decision == SuggestionDecision.REJECTED and not reason.strip():
        errors["decision_reason"] = [_("Tell the author why the suggestion is rejected.")]
    if decision == SuggestionDecision.DUPLICATE and not duplicate_of_id:
        errors["duplicate_of"] = [_("Name the suggestion this one repeats.")]
    return errors


def offered_steps(status: str) -> dict[str, bool]:
    """Which assessment steps the page shows for a suggestion in ``status``."""
    allowed = TRANSITIONS.get(status, frozenset())
    return {
        "start_review": S.UNDER_REVIEW in allowed,
        "decide": S.ACCEPTED in allowed or S.REJECTED in allowed,
        "implement": S.IMPLEMENTED in allowed,
        "convert": status in CONVERTIBLE,
        "support": status in SUPPORTABLE,
    }
