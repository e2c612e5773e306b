"""Reads of a management review for its page, its API, its PDF pack and its Word export:
the chapters (one per frozen input, rendered from the payload, no query per chapter) and
the cross-reference of every required clause to the chapters that answer it."""

from __future__ import annotations

from django.template.loader import select_template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from improvement.models import ManagementReview, ReviewDecision, ReviewInput
from qse import review as registry

FIGURES_TEMPLATE = "improvement/review/_figures.html"


def review_queryset():
    """Reviews with what their list and page show, joined once."""
    return ManagementReview.objects.select_related("process")


def section_title(key: str) -> str:
    """The section's title; for a section no module provides yet, the heading of the first
    clause it answers (so the chapter still reads as the input it stands for)."""
    section = registry.section(key)
    if section:
        return str(section.title)
    return next((clause.heading for clause in registry.clauses() if key in clause.section_keys), key)


def _figures(item: ReviewInput, language: str) -> dict | None:
    if not item.payload:
        return None
    return item.payload.get(language) or next(iter(item.payload.values()), None)


def render_figures(key: str, figures: dict | None, *, for_pdf: bool = False) -> str:
    """The section's own template (the page and the pack share it), or the generic one."""
    section = registry.section(key)
    names = [section.template_name] if section else []
    template = select_template([*names, FIGURES_TEMPLATE])
    return template.render({"figures": figures, "for_pdf": for_pdf, "section_key": key})


def review_chapters(review: ManagementReview, *, for_pdf: bool = False) -> list[dict]:
    """One chapter per input, in clause order; an input no module provides says so."""
    language = (get_language() or "fr")[:2]
    chapters = []
    for number, item in enumerate(review.inputs.all().order_by("position", "pk"), start=1):
        figures = _figures(item, language)
        chapters.append({
            "number": number, "input": item, "key": item.section_key, "title": section_title(item.section_key),
            "clauses": item.clause_refs, "available": item.payload is not None,
            "html": render_figures(item.section_key, figures, for_pdf=for_pdf) if item.payload is not None else "",
            "comment": item.comment, "anchor": f"input-{item.pk}",
        })
    return chapters


def review_planned_chapters(review: ManagementReview) -> list[dict]:
    """Before collection: the chapters the review will have (nothing frozen yet)."""
    from improvement.services_review import review_input_plan

    return [
        {"number": index, "key": planned.section_key, "title": section_title(planned.section_key),
         "clauses": list(planned.clause_refs), "available": registry.section(planned.section_key) is not None}
        for index, planned in enumerate(review_input_plan(review), start=1)
    ]


def review_clause_table(review: ManagementReview, chapters: list[dict]) -> list[dict]:
    """Every clause the review's standards require, its heading, and the chapters answering it
    (an empty list: no installed module answers it yet)."""
    by_key = {chapter["key"]: chapter for chapter in chapters if chapter["available"]}
    rows = []
    for clause in registry.clauses(tuple(review.standards)):
        answering = [by_key[key] for key in clause.section_keys if key in by_key]
        rows.append({"label": clause.label, "heading": clause.heading, "chapters": answering,
                     "standard": clause.standard})
    return rows


def review_decisions(review: ManagementReview):
    """The review's decisions with their owner and action (one query)."""
    return (ReviewDecision.objects.filter(review=review, archived_at__isnull=True)
            .select_related("owner", "action").order_by("pk"))


def not_available_text() -> str:
    return _("This module does not exist yet: this input is not available.")
