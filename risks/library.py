"""The matrix library: translated, versioned YAML files shipped in ``risks/library/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import get_language

LIBRARY_DIR = Path(__file__).parent / "library"


@cache
def library_matrices() -> dict[str, dict]:
    """Every library matrix by id (files are read once per process)."""
    matrices = {}
    for path in sorted(LIBRARY_DIR.glob("matrix-*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        matrices[data["id"]] = data
    return matrices


def library_matrix(library_id: str) -> dict:
    """One library matrix; KeyError when there is none by that id."""
    return library_matrices()[library_id]


def localized(label) -> str:
    """A {fr, en} label in the active language (French, then any, as fallback)."""
    if not isinstance(label, dict):
        return str(label or "")
    language = (get_language() or "fr")[:2]
    return label.get(language) or label.get("fr") or next(iter(label.values()), "")
