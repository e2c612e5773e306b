"""The significance of environmental aspects (ISO 14001 § 6.1.2): the rule is data (a
translated YAML file) and significance a pure function over it. No ORM, no clock."""

from __future__ import annotations

from functools import cache
from math import prod
from pathlib import Path

import yaml

from risks.library import localized

RULE_FILE = Path(__file__).parent / "library" / "significance-default.yaml"
CRITERIA = ("severity", "frequency", "control")


@cache
def significance_rule() -> dict:
    """The default significance rule (read once per process)."""
    return yaml.safe_load(RULE_FILE.read_text(encoding="utf-8"))


def criterion(rule: dict, criterion_id: str) -> dict:
    """One criterion of the rule; KeyError when the rule has no such criterion."""
    for entry in rule["criteria"]:
        if entry["id"] == criterion_id:
            return entry
    raise KeyError(criterion_id)


def scale_values(rule: dict, criterion_id: str) -> list[int]:
    return [level["value"] for level in criterion(rule, criterion_id)["levels"]]


def scale_choices(rule: dict, criterion_id: str) -> list[tuple[int, str]]:
    """A criterion's levels as form choices, labelled in the active language."""
    return [
        (level["value"], f"{level['value']} · {localized(level['label'])}")
        for level in criterion(rule, criterion_id)["levels"]
    ]


def significance(
    rule: dict, severity: int, frequency: int, control: int, condition: str, is_compliance_obligation: bool
) -> tuple[int, bool]:
    """(score, is_significant): the product of the rule's criteria, significant from the
    threshold on, or whatever the score when an "always significant" condition holds."""
    values = {"severity": severity, "frequency": frequency, "control": control}
    score = prod(values[name] for name in rule["formula"])
    facts = {**values, "condition": condition, "is_compliance_obligation": is_compliance_obligation}
    forced = any(_holds(entry, facts) for entry in rule.get("always_significant", []))
    return score, forced or score >= rule["threshold"]


def _holds(entry: dict, facts: dict) -> bool:
    """Every test of an "always significant" entry holds (``<criterion>_at_least`` or equality)."""
    for key, expected in entry.items():
        if key == "label":
            continue
        if key.endswith("_at_least"):
            if facts[key.removesuffix("_at_least")] < expected:
                return False
        elif facts[key] != expected:
            return False
    return True
