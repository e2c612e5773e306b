"""The management review's registry: the sections each module provides (issue 13).

The review (``improvement/``) must not import the modules it reads, since they import
``improvement`` (the one Action model). So each app registers here, in its AppConfig.ready(),
the sections it can fill; the review calls only this registry. Which section answers which
clause of which standard edition is data (``qse/library/review-clauses.yaml``), so a section
may serve several clauses, and a clause whose section no installed module provides is shown as
"not available yet" instead of disappearing.

A section's selector takes a ``ReviewScope`` and returns a JSON-serialisable dict: it is frozen
into the review's snapshot when the inputs are collected, then rendered by the section's
template (the page and the PDF pack use the same template; without a template of its own, the
generic ``improvement/review/_figures.html`` draws the keys below; the Word export reads the
same keys). The template gets ``figures`` (the dict) and ``for_pdf``. The dict may hold:
- ``"summary"``: one or two sentences with the key figures;
- ``"rows"`` / ``"columns"``: a table (``columns`` a list of headings, ``rows`` a list of lists);
- ``"chart"``: ``{"kind": "line"|"bar", "labels": [...], "series": [{"name": ..., "values": [...]}]}``,
  drawn as a vector chart in the pack;
- ``"note"``: a longer text shown under the figures;
- anything else the section's own template reads.
Selectors run inside the organization's tenant context (row-level security applies) and must
aggregate in SQL: no query per row. They run once per language of the UI (the payload is
frozen in each), under ``translation.override``.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.utils.translation import get_language


@dataclass(frozen=True)
class ReviewScope:
    """What one review covers: the period, the sites (empty = every site) and the standards."""

    organization_id: int
    start: datetime.date
    end: datetime.date
    site_ids: tuple[int, ...] = ()
    standards: tuple[str, ...] = ()
    process_id: int | None = None  # set for a process review
    # The member who collects the inputs: a selector that reuses a module's ``user``-taking
    # selector passes it to ``restrict()`` (a coordinator limited to some sites sees theirs).
    user: object = field(default=None, compare=False)


@dataclass(frozen=True)
class ReviewSection:
    key: str  # "<app>.<name>", the name the clause mapping uses
    title: str  # lazy translated
    selector: Callable[[ReviewScope], dict]
    template: str = ""  # defaults to "<app>/review/<name>.html"
    order: int = 100
    process_review: bool = False  # also offered in a process review (scope.process_id set)
    extra: dict = field(default_factory=dict)

    @property
    def template_name(self) -> str:
        if self.template:
            return self.template
        app, name = self.key.split(".", 1)
        return f"{app}/review/{name}.html"


_SECTIONS: dict[str, ReviewSection] = {}


def register_section(section: ReviewSection) -> None:
    """Declare a section; registering the same key twice replaces it (autoreload)."""
    _SECTIONS[section.key] = section


def section(key: str) -> ReviewSection | None:
    return _SECTIONS.get(key)


def sections() -> list[ReviewSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


# --- the clause mapping (data, per standard edition) -------------------------------------

CLAUSES_FILE = Path(__file__).parent / "library" / "review-clauses.yaml"


@dataclass(frozen=True)
class ReviewClause:
    """One input a standard edition requires of a management review, and the sections that
    answer it (``sections`` keys; a key no app registered is shown as not available yet)."""

    standard: str  # "iso9001:2015"
    ref: str  # "9.3.2 c) 4"
    headings: tuple[tuple[str, str], ...]  # (language, heading)
    section_keys: tuple[str, ...]

    @property
    def heading(self) -> str:
        """The heading in the active language (French when the language has none)."""
        language = (get_language() or "fr")[:2]
        texts = dict(self.headings)
        return texts.get(language) or texts["fr"]

    @property
    def label(self) -> str:
        """"ISO 9001:2015 § 9.3.2 c) 4", as the pack's cross-reference prints it."""
        code, edition = self.standard.split(":")
        return f"{code.upper().replace('ISO', 'ISO ')}:{edition} § {self.ref}"


@functools.cache
def _clause_data() -> dict:
    return yaml.safe_load(CLAUSES_FILE.read_text(encoding="utf-8"))


def clauses(standards: tuple[str, ...] | list[str] = ()) -> list[ReviewClause]:
    """The required inputs of the given standard editions (all when empty), in the standards'
    order then the clauses' order."""
    data = _clause_data()
    chosen = [code for code in data if not standards or code in standards]
    return [
        ReviewClause(
            standard=code, ref=f"{data[code]['clause']} {item['ref']}",
            headings=(("fr", item["fr"]), ("en", item["en"])), section_keys=tuple(item["sections"]),
        )
        for code in chosen
        for item in data[code]["clauses"]
    ]


def standard_codes() -> list[str]:
    """Every standard edition the mapping knows."""
    return list(_clause_data())


# --- helpers for the sections' selectors -------------------------------------------------


def visible(model, scope: ReviewScope):
    """The live rows of ``model`` the collecting member may see (all of the organization's
    under row-level security when no member is named, as in a task)."""
    rows = model.objects.restrict(scope.user, "view") if scope.user is not None else model.objects.all()
    return rows.filter(archived_at__isnull=True)


def in_scope(queryset, scope: ReviewScope, *, site: str | None = "site", process: str | None = "process"):
    """Narrow to the review's sites (organization-wide rows stay) and, in a process review, to
    its process."""
    from django.db.models import Q

    if site and scope.site_ids:
        queryset = queryset.filter(Q(**{f"{site}__in": scope.site_ids}) | Q(**{f"{site}__isnull": True}))
    if process and scope.process_id:
        queryset = queryset.filter(**{process: scope.process_id})
    return queryset
