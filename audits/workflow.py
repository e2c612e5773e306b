"""An audit's status workflow (ISO 19011 6.3 to 6.6), as a transition table and guards: pure
functions over the facts a service gathers, no database and no clock."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from audits.choices import AuditStatus

S = AuditStatus

# from -> the statuses it may move to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PLANNED: (S.PREPARED, S.CANCELLED),
    S.PREPARED: (S.IN_PROGRESS, S.PLANNED, S.CANCELLED),
    S.IN_PROGRESS: (S.REPORTED, S.CANCELLED),
    S.REPORTED: (S.CLOSED, S.IN_PROGRESS),
    S.CLOSED: (),
    S.CANCELLED: (S.PLANNED,),
}


@dataclass(frozen=True)
class AuditFacts:
    """What the guards read about one audit."""

    status: str
    has_lead_auditor: bool
    question_count: int
    unanswered_count: int
    opening_held: bool
    closing_held: bool
    has_conclusion: bool
    is_independent: bool


def refusals(facts: AuditFacts, to_status: str) -> list[str]:
    """Why the audit may not move to ``to_status`` (empty: it may)."""
    if to_status not in TRANSITIONS.get(facts.status, ()):
        return [str(_("An audit cannot go from “{source}” to “{target}”.").format(
            source=S(facts.status).label, target=S(to_status).label))]
    reasons = []
    if to_status == S.PREPARED:
        if not facts.has_lead_auditor:
            reasons.append(_("Name the lead auditor first."))
        if not facts.question_count:
            reasons.append(_("The checklist has no question yet."))
        if not facts.is_independent:
            reasons.append(_("The audit team is not independent of the audited process."))
    if to_status == S.IN_PROGRESS and facts.status == S.PREPARED and not facts.opening_held:
        reasons.append(_("Record the opening meeting first."))
    if to_status == S.REPORTED:
        if facts.unanswered_count:
            reasons.append(_("{count} question(s) of the checklist are not answered.").format(
                count=facts.unanswered_count))
        if not facts.closing_held:
            reasons.append(_("Record the closing meeting first."))
        if not facts.has_conclusion:
            reasons.append(_("Write the audit's conclusion first."))
    return [str(reason) for reason in reasons]


def offered(facts: AuditFacts) -> list[tuple[str, list[str]]]:
    """The moves to show as buttons: (status, why it is refused now; empty when allowed)."""
    return [(target, refusals(facts, target)) for target in TRANSITIONS.get(facts.status, ())]
