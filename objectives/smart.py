"""The SMART check of an objective, as a pure function over its confirmations.

Each criterion counts only when it is confirmed *and* justified; "measurable" also needs at
least one indicator and "time-bound" a deadline. A failing criterion carries the reason shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CRITERIA = ("specific", "measurable", "achievable", "realistic", "time_bound")
# The model's fields of the check, in SMART order: a confirmation and its justification each.
SMART_FIELDS = [name for key in CRITERIA for name in (f"is_{key}", f"{key}_justification")]
LABELS = {
    "specific": _("Specific"),
    "measurable": _("Measurable"),
    "achievable": _("Achievable"),
    "realistic": _("Realistic"),
    "time_bound": _("Time-bound"),
}


@dataclass(frozen=True)
class Criterion:
    key: str
    label: object
    ok: bool
    justification: str
    problem: object = ""


def smart_check(*, confirmations: dict[str, bool], justifications: dict[str, str], indicator_count: int,
                due_on: datetime.date | None) -> list[Criterion]:
    """One ``Criterion`` per letter, in SMART order."""
    result = []
    for key in CRITERIA:
        why = (justifications.get(key) or "").strip()
        problem = ""
        if not confirmations.get(key):
            problem = _("Not confirmed.")
        elif not why:
            problem = _("Confirmed without a justification.")
        elif key == "measurable" and indicator_count < 1:
            problem = _("No indicator measures it.")
        elif key == "time_bound" and due_on is None:
            problem = _("No deadline.")
        result.append(Criterion(key, LABELS[key], not problem, why, problem))
    return result


def is_smart(criteria: list[Criterion]) -> bool:
    return all(criterion.ok for criterion in criteria)


def objective_smart(objective, *, indicator_count: int) -> list[Criterion]:
    """The check of a saved objective (its fields read in memory)."""
    return smart_check(
        confirmations={key: getattr(objective, f"is_{key}") for key in CRITERIA},
        justifications={key: getattr(objective, f"{key}_justification") for key in CRITERIA},
        indicator_count=indicator_count, due_on=objective.due_on,
    )
