"""Reference data of environmental performance, read from the translated, versioned YAML
files of ``risks/library/``: the European list of wastes (with the hazardous mark), the
waste treatment operations (R1-R13, D1-D15) and the starter set of emission factors.

Pure functions over that data: no database, no clock.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import yaml

from risks.library import LIBRARY_DIR, localized

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the 842-entry list loads 10x faster in C


def _load(name: str) -> dict:
    return yaml.load((LIBRARY_DIR / name).read_text(encoding="utf-8"), Loader=_Loader)


@cache
def waste_list() -> dict:
    """The list of wastes as loaded (chapters > sections > wastes)."""
    return _load("waste-list-eu.yaml")


@cache
def wastes() -> dict[str, dict]:
    """Every six-digit waste entry by code ("150101"), with its chapter and section codes."""
    found = {}
    for chapter in waste_list()["chapters"]:
        for section in chapter["sections"]:
            for waste in section["wastes"]:
                found[waste["code"]] = {**waste, "chapter": chapter["code"], "section": section["code"]}
    return found


def display_code(code: str) -> str:
    """"150101" -> "15 01 01"; a hazardous entry keeps the list's asterisk ("13 02 05*")."""
    entry = wastes().get(code)
    spaced = " ".join(code[i:i + 2] for i in range(0, len(code), 2))
    return spaced + ("*" if entry and entry["hazardous"] else "")


def normalize_code(text: str) -> str:
    """What a person or a carrier's export writes ("15 01 01", "13.02.05*", "130205") as the
    stored six digits; anything else is returned as typed (the form refuses it)."""
    digits = re.sub(r"[\s.*-]", "", str(text or ""))
    return digits if re.fullmatch(r"\d{6}", digits) else str(text or "").strip()


def is_hazardous(code: str) -> bool:
    entry = wastes().get(code)
    return bool(entry and entry["hazardous"])


def waste_label(code: str) -> str:
    entry = wastes().get(code)
    return localized(entry["label"]) if entry else ""


def waste_code_choices() -> list:
    """The select's options grouped by chapter: ("15 Emballages...", [(code, "15 01 01 papier...")])."""
    groups = []
    for chapter in waste_list()["chapters"]:
        options = [
            (waste["code"], f"{display_code(waste['code'])} {localized(waste['label'])}")
            for section in chapter["sections"] for waste in section["wastes"]
        ]
        groups.append((f"{chapter['code']} {localized(chapter['label'])}", options))
    return [("", "---------"), *groups]


@cache
def treatments() -> dict[str, dict]:
    """R1-R13 and D1-D15 by code, in the annexes' order."""
    return {entry["code"]: entry for entry in _load("waste-treatments.yaml")["operations"]}


def treatment_choices() -> list[tuple[str, str]]:
    return [("", "---------"), *((code, f"{code} {localized(entry['label'])}") for code, entry in treatments().items())]


def treatment_family(code: str) -> str:
    """material, energy, transit or disposal ("" for an unknown code)."""
    entry = treatments().get(code)
    return entry["family"] if entry else ""


def normalize_treatment(text: str) -> str:
    """"R 13", "r13", "D9 F" (Trackdéchets' final D9) -> "R13", "D9"."""
    compact = re.sub(r"\s", "", str(text or "")).upper()
    match = re.fullmatch(r"([RD])(\d{1,2})F?", compact)
    return f"{match.group(1)}{int(match.group(2))}" if match else str(text or "").strip()


@cache
def recovery_expected() -> dict[str, dict]:
    """Waste codes for which a recovery route is required or organised, with the legal basis."""
    basis = {}
    for group in _load("waste-treatments.yaml")["recovery_expected"]:
        for code in group["codes"]:
            basis[code] = group["basis"]
    return basis


@cache
def library_factors() -> dict[str, dict]:
    """The starter emission factors by code."""
    return {entry["code"]: entry for entry in _load("emission-factors.yaml")["factors"]}


@cache
def waste_densities() -> dict[str, Decimal]:
    """Default loose density (t/m³) by waste code, from the documented table (US EPA 2016)."""
    return {code: Decimal(str(entry["tonnes_per_m3"]))
            for entry in _load("waste-densities.yaml")["densities"] for code in entry["codes"]}


def default_density(code: str) -> Decimal | None:
    """The default density of a waste code, None when the table has none for it."""
    return waste_densities().get(code)
