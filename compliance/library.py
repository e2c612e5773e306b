"""The starter library: translated, versioned YAML shipped in ``compliance/library/`` (the
core French/EU QSE texts with their requirements, the ISO clause structures), loaded into an
organization on request. Loading again updates the rows it made (``library_key``) and adds
what is new; it never touches what the organization wrote itself."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from compliance.choices import TextKind
from compliance.models import Requirement, Text
from qse.services import ensure_can, recorded
from qse.tenancy import current_organization
from risks.library import localized

LIBRARY_DIR = Path(__file__).parent / "library"


@cache
def libraries() -> dict[str, dict]:
    """Every library file by id (read once per process)."""
    found = {}
    for path in sorted(LIBRARY_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "texts" not in data and "standards" not in data:
            continue  # another library of this folder (the periodic check types)
        found[data["id"]] = data
    return found


def library_texts(data: dict) -> list[dict]:
    """A library's texts in one shape: a standard's clauses become its requirements."""
    texts = list(data.get("texts", []))
    for standard in data.get("standards", []):
        texts.append({
            **{k: v for k, v in standard.items() if k != "clauses"}, "kind": TextKind.STANDARD,
            "requirements": [
                {"key": f"{standard['key']}-{number}", "article": number, "title": {"fr": fr, "en": en},
                 "months": 12, "normative": True}
                for number, fr, en in standard["clauses"]
            ],
        })
    return texts


def library_summary() -> list[dict]:
    """What the library page lists: each library with its counts, in the active language."""
    return [
        {"id": key, "version": data["version"], "name": localized(data["name"]),
         "texts": len(library_texts(data)), "requirements": sum(len(t["requirements"]) for t in library_texts(data))}
        for key, data in libraries().items()
    ]


def _text_fields(entry: dict) -> dict:
    return {
        "kind": entry["kind"], "reference": entry["reference"], "title": localized(entry["title"])[:500],
        "nor": entry.get("nor", ""), "celex": entry.get("celex", ""), "eli": entry.get("eli", ""),
        "edition": entry.get("edition", ""), "signed_on": entry.get("signed_on"),
        "effective_on": entry.get("effective_on"), "status": entry.get("status", "in_force"),
        "domains": entry.get("domains", []), "themes": entry.get("themes", []),
        "official_url": entry.get("official_url", ""), "readable_url": entry.get("readable_url", ""),
        "summary": localized(entry.get("summary")),
    }


def _requirement_fields(entry: dict, text: Text) -> dict:
    return {
        "text": text, "article": entry.get("article", ""), "title": localized(entry["title"])[:300],
        "concerned": localized(entry.get("concerned"))[:200], "evidence_expected": localized(entry.get("evidence")),
        "evaluation_interval_months": entry.get("months", 12), "conditions": entry.get("conditions", []),
        "domains": text.domains, "themes": text.themes, "is_normative": entry.get("normative", False),
    }


def library_load(*, library_id: str, acting_user) -> dict[str, int]:
    """Load (or refresh) one library into the current organization, in the active language.
    Returns how many texts and requirements were created and updated."""
    from compliance.models import TextVersion

    ensure_can(acting_user, "add", Text)
    data = libraries()[library_id]
    organization = current_organization()
    counts = {"texts_created": 0, "texts_updated": 0, "requirements_created": 0, "requirements_updated": 0}
    with recorded(acting_user, reason=f"library {library_id} v{data['version']}"):
        texts = {t.library_key: t for t in Text.objects.filter(organization=organization)
                 .exclude(library_key="")}
        requirements = {r.library_key: r for r in Requirement.objects.filter(organization=organization)
                        .exclude(library_key="")}
        for entry in library_texts(data):
            text, created = _upsert(Text, texts.get(entry["key"]), _text_fields(entry), organization, acting_user,
                                    key=entry["key"])
            counts["texts_created" if created else "texts_updated"] += 1
            if created:
                TextVersion.objects.create(organization=organization, created_by=acting_user, text=text, number=1,
                                           effective_on=text.effective_on, summary=text.summary)
            for item in entry["requirements"]:
                _row, made = _upsert(Requirement, requirements.get(item["key"]), _requirement_fields(item, text),
                                     organization, acting_user, key=item["key"])
                counts["requirements_created" if made else "requirements_updated"] += 1
    return counts


def _upsert(model, existing, fields: dict, organization, acting_user, *, key: str):
    if existing is None:
        obj = model(organization=organization, created_by=acting_user, library_key=key, **fields)
        obj.full_clean(exclude=["organization", "created_by"])
        obj.save()
        return obj, True
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.version += 1
    existing.save()
    return existing, False
