"""Applicability conditions of a requirement, evaluated against a site's facts (pure: no ORM,
no clock).

A requirement holds a list of conditions that must all hold; ``{"any": [...]}`` holds when one
of its conditions does. The vocabulary follows what decides applicability on a French site
(Envinorma's parameters for the ICPE orders, the labour code's headcount thresholds)::

    {"headcount_at_least": 11}            # 11 employees or more
    {"headcount_below": 50}
    {"activity": "painting"}              # a declared activity of the site
    {"icpe_regime": ["A", "E"]}           # any rubrique of the site under one of these regimes
    {"icpe_rubrique": "2910", "regimes": ["A"], "since": "2018-12-20", "before": "2030-01-01"}

An empty list applies to every site. An unknown fact (no headcount entered) gives ``None``:
the coordinator decides by hand.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

KEYS = {"headcount_at_least", "headcount_below", "activity", "icpe_regime", "icpe_rubrique", "any"}
RUBRIQUE_OPTIONS = {"regimes", "since", "before"}
REGIMES = {"A", "E", "DC", "D", "NC"}


@dataclass(frozen=True)
class Classification:
    """One ICPE rubrique of a site: its regime and the date of its act (authorisation,
    registration or declaration)."""

    rubrique: str
    regime: str
    dated_on: datetime.date | None = None


@dataclass(frozen=True)
class SiteFacts:
    headcount: int | None = None
    activities: frozenset[str] = frozenset()
    classifications: tuple[Classification, ...] = ()


@dataclass
class Verdict:
    applies: bool | None
    reasons: list[str] = field(default_factory=list)


def evaluate(conditions: list, facts: SiteFacts) -> Verdict:
    """Whether the facts make the requirement applicable, with the reason of each condition."""
    if not conditions:
        return Verdict(True, [_("No condition: applies to every site.")])
    results = [_one(condition, facts) for condition in conditions]
    reasons = [reason for _applies, reason in results]
    if any(applies is False for applies, _reason in results):
        return Verdict(False, reasons)
    if any(applies is None for applies, _reason in results):
        return Verdict(None, reasons)
    return Verdict(True, reasons)


def _one(condition: dict, facts: SiteFacts) -> tuple[bool | None, str]:
    if "any" in condition:
        results = [_one(inner, facts) for inner in condition["any"]]
        text = " / ".join(reason for _applies, reason in results)
        if any(applies is True for applies, _reason in results):
            return True, text
        return (None if any(applies is None for applies, _reason in results) else False), text
    if "headcount_at_least" in condition or "headcount_below" in condition:
        return _headcount(condition, facts)
    if "activity" in condition:
        name = condition["activity"]
        applies = name in facts.activities
        return applies, (_("Activity {name}: yes") if applies else _("Activity {name}: no")).format(name=name)
    if "icpe_regime" in condition:
        regimes = set(condition["icpe_regime"])
        found = sorted({c.rubrique for c in facts.classifications if c.regime in regimes})
        wanted = "/".join(sorted(regimes))
        if found:
            return True, _("ICPE regime {regimes}: rubriques {found}").format(regimes=wanted, found=", ".join(found))
        return False, _("ICPE regime {regimes}: none").format(regimes=wanted)
    return _rubrique(condition, facts)


def _headcount(condition: dict, facts: SiteFacts) -> tuple[bool | None, str]:
    if facts.headcount is None:
        return None, _("Headcount unknown")
    low, high = condition.get("headcount_at_least"), condition.get("headcount_below")
    applies = (low is None or facts.headcount >= low) and (high is None or facts.headcount < high)
    if low is not None and high is not None:
        text = _("Headcount {count} (from {low} to {high_excluded} excluded)")
    elif low is not None:
        text = _("Headcount {count} (threshold {low})")
    else:
        text = _("Headcount {count} (below {high_excluded})")
    return applies, text.format(count=facts.headcount, low=low, high_excluded=high)


def _rubrique(condition: dict, facts: SiteFacts) -> tuple[bool | None, str]:
    rubrique = str(condition["icpe_rubrique"])
    regimes = set(condition.get("regimes") or REGIMES)
    since, before = _date(condition.get("since")), _date(condition.get("before"))
    matching = [c for c in facts.classifications if c.rubrique == rubrique and c.regime in regimes]
    if not matching:
        return False, _("ICPE rubrique {rubrique}: not classified").format(rubrique=rubrique)
    if since is None and before is None:
        return True, _("ICPE rubrique {rubrique}: classified").format(rubrique=rubrique)
    dated = [c for c in matching if c.dated_on is not None]
    if not dated:
        return None, _("ICPE rubrique {rubrique}: date of the act unknown").format(rubrique=rubrique)
    applies = any((since is None or c.dated_on >= since) and (before is None or c.dated_on < before) for c in dated)
    text = _("ICPE rubrique {rubrique}: act of {date}").format(rubrique=rubrique, date=dated[0].dated_on.isoformat())
    return applies, text


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def errors(conditions) -> list[str]:
    """What is wrong with a list of conditions (empty: valid), for the form and the import."""
    if not isinstance(conditions, list):
        return [_("The conditions are a list.")]
    found = []
    for condition in conditions:
        found.extend(_condition_errors(condition))
    return found


def _condition_errors(condition) -> list[str]:
    if not isinstance(condition, dict) or not condition:
        return [_("Each condition is an object such as {example}.").format(example='{"headcount_at_least": 11}')]
    unknown = set(condition) - KEYS - RUBRIQUE_OPTIONS
    if unknown or not set(condition) & KEYS:
        return [_("Unknown condition: {keys}.").format(keys=", ".join(sorted(unknown or set(condition))))]
    if "any" in condition:
        return errors(condition["any"]) if isinstance(condition["any"], list) else [_("The conditions are a list.")]
    problems = []
    for key in ("headcount_at_least", "headcount_below"):
        if key in condition and not (isinstance(condition[key], int) and condition[key] >= 0):
            problems.append(_("A headcount threshold is a whole number."))
    for key in ("icpe_regime", "regimes"):
        if key in condition and not (isinstance(condition[key], list) and set(condition[key]) <= REGIMES):
            problems.append(_("ICPE regimes are among A, E, DC, D and NC."))
    for key in ("since", "before"):
        try:
            _date(condition.get(key))
        except ValueError:
            problems.append(_("A date is written YYYY-MM-DD."))
    return problems


def describe(conditions: list) -> str:
    """A short human text of the conditions (for lists and PDFs)."""
    if not conditions:
        return _("Every site")
    return "; ".join(_describe_one(c) for c in conditions)


def _describe_one(condition: dict) -> str:
    if "any" in condition:
        return "(" + f" {_('or')} ".join(_describe_one(c) for c in condition["any"]) + ")"
    if "headcount_at_least" in condition or "headcount_below" in condition:
        parts = []
        if condition.get("headcount_at_least") is not None:
            parts.append(_("headcount ≥ {n}").format(n=condition["headcount_at_least"]))
        if condition.get("headcount_below") is not None:
            parts.append(_("headcount < {n}").format(n=condition["headcount_below"]))
        return ", ".join(parts)
    if "activity" in condition:
        return _("activity {name}").format(name=condition["activity"])
    if "icpe_regime" in condition:
        return _("ICPE {regimes}").format(regimes="/".join(condition["icpe_regime"]))
    text = _("ICPE rubrique {rubrique}").format(rubrique=condition["icpe_rubrique"])
    if condition.get("regimes"):
        text += f" ({'/'.join(condition['regimes'])})"
    return text
