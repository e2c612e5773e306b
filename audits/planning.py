"""The audit programme's rules, as data and pure functions: the clauses to cover (YAML per
standard edition), how often a process should be audited given its risks and events, and
whether a clause is covered. No database, no clock."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import get_language
from django.utils.translation import gettext as _

LIBRARY = Path(__file__).resolve().parent / "library" / "coverage" / "clauses.yaml"  # apart from the question banks (bank_library loads library/*.yaml)


@functools.cache
def _clauses() -> dict[str, list[dict]]:
    data = yaml.safe_load(LIBRARY.read_text(encoding="utf-8"))
    return {entry["code"]: entry["clauses"] for entry in data["standards"]}


def clauses_of(standard: str) -> list[tuple[str, str]]:
    """(number, title in the active language) of the clauses of one standard edition."""
    language = "en" if (get_language() or "fr").startswith("en") else "fr"
    return [(clause["number"], clause[language]) for clause in _clauses().get(standard, [])]


def standards_with_clauses() -> list[str]:
    return list(_clauses())


def covers(audited: str, clause: str) -> bool:
    """An audited clause covers the listed one when it is the same or one of its sub-clauses
    (8.4.2 audits part of 8.4), or its parent (auditing 8 covers 8.4)."""
    return audited == clause or audited.startswith(clause + ".") or clause.startswith(audited + ".")


@dataclass(frozen=True)
class Frequency:
    """How often to audit a process: ``per_year`` audits a year (0.5: every other year)."""

    per_year: float
    reason: str


# (minimum high risks, minimum events in the last 12 months) -> audits a year; first match wins.
FREQUENCY_RULES = ((3, 5, 2.0), (1, 2, 1.0))


def frequency_for(*, high_risks: int, events: int) -> Frequency:
    """Risk-based frequency (ISO 19011 5.3: the programme considers the risks and the results
    of previous audits and events): twice a year from 3 high risks or 5 events, yearly from 1
    high risk or 2 events, otherwise every other year."""
    per_year = 0.5
    for min_risks, min_events, rate in FREQUENCY_RULES:
        if high_risks >= min_risks or events >= min_events:
            per_year = rate
            break
    reason = _("{risks} high risk(s), {events} nonconformity(ies) or event(s) in 12 months").format(
        risks=high_risks, events=events)
    return Frequency(per_year, reason)


def frequency_label(per_year: float) -> str:
    if per_year >= 2:
        return _("Twice a year")
    if per_year >= 1:
        return _("Once a year")
    return _("Every other year")
