"""Which field a column of the file fills, from its header as a company writes it: a
field's name and label in every language of the UI, and the usual variants kept as data
(``qse/library/import-headers.yaml``). Accent, case and punctuation insensitive; a
bracketed part ("G (1-4)", "Effectif exposé [nb]") is ignored."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.utils import translation

HEADERS_FILE = Path(__file__).parent / "library" / "import-headers.yaml"
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
# A header that starts with a variant this long is taken for it ("Échéance prévue").
PREFIX_CHARACTERS = 6
# A header that holds a variant this long is taken for it ("Nb de salariés exposés").
CONTAINED_CHARACTERS = 10
# How sure a proposal is: the first kinds win a field over the later ones.
EXACT, BARE, PREFIX, CONTAINED = 4, 3, 2, 1


@cache
def header_variants() -> dict:
    """The YAML file, read once per process."""
    return yaml.safe_load(HEADERS_FILE.read_text(encoding="utf-8"))


def _variants(target: str, name: str) -> list[str]:
    data = header_variants()
    entry = data.get("registers", {}).get(target, {}).get(name) or data["fields"].get(name) or {}
    return [word for words in entry.values() for word in words]


def field_keys(form_class, field_names: list[str]) -> dict[str, str]:
    """Normalized header -> field: names and labels in every language, then the variants
    (a field's own label wins over another field's variant)."""
    from qse.imports import normalize

    target = form_class._meta.model._meta.label_lower
    base = form_class.base_fields
    keys: dict[str, str] = {}
    for name in field_names:
        for variant in _variants(target, name):
            keys.setdefault(normalize(variant), name)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name in field_names:
                keys[normalize(name)] = name
                keys[normalize(str(base[name].label or name))] = name
    keys.pop("", None)
    return keys


def column_match(header: str, keys: dict[str, str]) -> tuple[str, int]:
    """(field, how sure) for one header, ("", 0) when nothing fits."""
    from qse.imports import normalize

    whole = normalize(header)
    if whole in keys:
        return keys[whole], EXACT
    bare = normalize(_BRACKETED.sub(" ", header))
    if bare in keys:
        return keys[bare], BARE
    starts = [key for key in keys if len(key) >= PREFIX_CHARACTERS and bare.startswith(key)]
    if starts:
        return keys[max(starts, key=len)], PREFIX
    inside = [key for key in keys if len(key) >= CONTAINED_CHARACTERS and key in bare]
    if inside:
        return keys[max(inside, key=len)], CONTAINED
    return "", 0


def propose_columns(columns: list[str], form_class, field_names: list[str]) -> dict[str, str]:
    """Column -> field (or "" to ignore); a field is given to one column only, the surest
    match first, the leftmost column on a tie."""
    keys = field_keys(form_class, field_names)
    matches = [(column, *column_match(column, keys)) for column in columns]
    ranked = sorted(enumerate(matches), key=lambda item: (-item[1][2], item[0]))
    mapping, taken = dict.fromkeys(columns, ""), set()
    for _position, (column, name, sureness) in ranked:
        if sureness and name not in taken:
            mapping[column] = name
            taken.add(name)
    return mapping
