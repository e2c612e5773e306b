"""The question banks' library: translated, versioned YAML in ``audits/library/`` (ISO 9001,
14001 and 45001 clause by clause, a supplier questionnaire, a 5S and safety walk), read and
checked once. A broken file fails loudly at the first read, never half-loads."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from audits.choices_banks import BankKind
from qse.standards import Standard

LIBRARY_DIR = Path(__file__).parent / "library"


@functools.cache
def bank_libraries() -> dict[str, dict]:
    """Every library by id, each question given its stable reference and its clause's rank."""
    found = {}
    for path in sorted(LIBRARY_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        _check(data, path.name)
        data["questions"] = _questions(data)
        found[data["id"]] = data
    return found


def _check(data: dict, filename: str) -> None:
    if data["kind"] not in BankKind.values or (data["standard"] and data["standard"] not in Standard.values):
        raise ValueError(f"question bank library {filename}: unknown kind or standard")
    for label in (data["name"], data["description"]):
        if set(label) != {"fr", "en"}:
            raise ValueError(f"question bank library {filename}: name and description need fr and en")
    for row in data["questions"]:
        if len(row) != 5 or not all(row):
            raise ValueError(f"question bank library {filename}: incomplete question {row[:1]}")


def _questions(data: dict) -> list[dict]:
    ranks: dict[str, int] = {}
    questions = []
    for clause, text_fr, text_en, guidance_fr, guidance_en in data["questions"]:
        ranks[clause] = ranks.get(clause, 0) + 1
        questions.append({
            "reference": f"{data['id']}/{clause}/{ranks[clause]}", "clause": clause,
            "text": {"fr": text_fr, "en": text_en}, "guidance": {"fr": guidance_fr, "en": guidance_en},
        })
    return questions


def pick(label: dict, language: str) -> str:
    """A {fr, en} text in ``language`` (French when the language is neither)."""
    return label.get((language or "fr")[:2]) or label["fr"]


def library_summary(language: str) -> list[dict]:
    """What the banks page offers to load: id, name, standard, how many questions."""
    return [
        {"id": key, "name": pick(data["name"], language), "version": data["version"], "kind": data["kind"],
         "standard": data["standard"], "questions": len(data["questions"])}
        for key, data in bank_libraries().items()
    ]
