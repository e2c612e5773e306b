"""The management review pack as a Word document (python-docx, MIT), for those who edit the
minutes in Word: the same content as the PDF (``review_pack_data``), charts as their table."""

from __future__ import annotations

import io

from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from docx import Document

from improvement.models import ManagementReview
from improvement.review_pack import review_pack_data


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _table(document, columns: list, rows: list) -> None:
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, columns, strict=False):
        cell.text = str(heading)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = "" if value is None else str(value)


def _cover(document, data: dict) -> None:
    review = data["review"]
    document.add_heading(review.title, level=0)
    document.add_paragraph(_("Period: {start} – {end}").format(start=_date(review.period_start),
                                                                end=_date(review.period_end)))
    if data["standards"]:
        document.add_paragraph(_("Standards: {names}").format(names=", ".join(data["standards"])))
    document.add_paragraph(_("Status: {status}").format(status=review.get_status_display()))
    if review.held_on:
        document.add_paragraph(_("Held on {date}").format(date=_date(review.held_on)))
    if data["attendees"]:
        document.add_heading(_("Attendees"), level=2)
        for person in data["attendees"]:
            document.add_paragraph(person, style="List Bullet")


def _clauses(document, data: dict) -> None:
    document.add_heading(_("Required inputs and where they are answered"), level=1)
    rows = [
        (row["label"], row["heading"],
         ", ".join(f"{c['number']}. {c['title']}" for c in row["chapters"]) or data["not_available"])
        for row in data["clause_rows"]
    ]
    _table(document, [_("Clause"), _("Input"), _("Chapters")], rows)


def _chapter(document, chapter: dict, not_available: str) -> None:
    document.add_heading(f"{chapter['number']}. {chapter['title']}", level=1)
    if chapter["clauses"]:
        document.add_paragraph(" · ".join(chapter["clauses"]), style="Intense Quote")
    figures = (chapter["input"].payload or {}).get(_language()) if chapter["available"] else None
    if not chapter["available"]:
        document.add_paragraph(not_available)
    elif figures:
        if figures.get("summary"):
            document.add_paragraph(strip_tags(str(figures["summary"])))
        if figures.get("columns") and figures.get("rows") is not None:
            _table(document, figures["columns"], figures["rows"])
        chart = figures.get("chart")
        if chart and chart.get("labels"):
            _table(document, ["", *chart["labels"]],
                   [[serie.get("name", ""), *serie.get("values", [])] for serie in chart.get("series", [])])
    if chapter["comment"]:
        document.add_heading(_("Coordinator's comment"), level=3)
        document.add_paragraph(chapter["comment"])


def _language() -> str:
    from django.utils.translation import get_language

    return (get_language() or "fr")[:2]


def _decisions(document, data: dict) -> None:
    document.add_heading(_("Conclusions and decisions"), level=1)
    rows = [(d["category"], d["text"], d["owner"], _date(d["due_on"]), _("yes") if d["communicated"] else "",
             d["action_status"]) for d in data["decisions"]]
    _table(document, [_("Category"), _("Decision"), _("Owner"), _("Due date"), _("Communicated to workers"),
                      _("Action")], rows)
    if data["review"].minutes:
        document.add_heading(_("Minutes"), level=1)
        for paragraph in data["review"].minutes.split("\n\n"):
            document.add_paragraph(paragraph.strip())


def review_docx(review: ManagementReview) -> bytes:
    """The .docx file's bytes (built in memory: a pack is a few hundred kilobytes)."""
    data = review_pack_data(review, for_pdf=False)
    document = Document()
    _cover(document, data)
    _clauses(document, data)
    for chapter in data["chapters"]:
        _chapter(document, chapter, data["not_available"])
    _decisions(document, data)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
