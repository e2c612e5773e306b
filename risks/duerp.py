"""The DUERP's reference data and pure rules: the INRS hazard families (a translated YAML
file) and when the yearly update is due. No ORM, no clock."""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

import yaml

from risks.library import localized

HAZARDS_FILE = Path(__file__).parent / "library" / "hazards-inrs.yaml"
# Article R. 4121-2 of the Labour Code: the assessment is updated at least once a year.
UPDATE_INTERVAL = datetime.timedelta(days=365)


@cache
def hazard_families() -> dict[str, dict]:
    """Every hazard family by id, in the file's order (read once per process)."""
    data = yaml.safe_load(HAZARDS_FILE.read_text(encoding="utf-8"))
    return {family["id"]: family for family in data["families"]}


def hazard_label(family_id: str) -> str:
    """A family's label in the active language (its id when the library has no such family)."""
    family = hazard_families().get(family_id)
    return localized(family["label"]) if family else family_id


def hazard_synonyms() -> dict[str, str]:
    """Wording -> family id: the usual names of each family in every language (the
    spreadsheet import proposes a family for a wording equal to or containing one)."""
    return {
        word: family_id
        for family_id, family in hazard_families().items()
        for words in family.get("synonyms", {}).values()
        for word in words
    }


def hazard_choices() -> list[tuple[str, str]]:
    return [(family_id, hazard_label(family_id)) for family_id in hazard_families()]


def is_update_due(last_published_on: datetime.date | None, today: datetime.date) -> bool:
    """Never published, or published a year ago or more."""
    return last_published_on is None or last_published_on + UPDATE_INTERVAL <= today
