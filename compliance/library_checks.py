"""The starter library of check types (compliance/library/check_types.yaml), read and checked."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from compliance.choices import CheckCategory

LIBRARY = Path(__file__).parent / "library" / "check_types.yaml"
TRANSLATED = ("name", "legal_basis", "performer", "description")


@functools.cache
def check_type_entries() -> list[dict]:
    """Every entry of the library, checked once: a broken file fails loudly, never half-loads."""
    data = yaml.safe_load(LIBRARY.read_text(encoding="utf-8"))
    entries = data["check_types"]
    codes = [entry["code"] for entry in entries]
    if len(codes) != len(set(codes)):
        raise ValueError("check type library: duplicate code")
    for entry in entries:
        if entry["category"] not in CheckCategory.values or not 1 <= int(entry["frequency_months"]) <= 240:
            raise ValueError(f"check type library: bad entry {entry['code']}")
        if any(set(entry[name]) != {"fr", "en"} for name in TRANSLATED):
            raise ValueError(f"check type library: {entry['code']} is not translated in French and English")
    return entries
