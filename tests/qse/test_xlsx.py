"""The list exports' XLSX, written as text into the zip, reads back in a spreadsheet reader
(openpyxl's, independent of the writer) as the values it was given."""

from __future__ import annotations

import datetime
import io
import warnings
import zipfile
from decimal import Decimal

import openpyxl
from django.utils import timezone

from qse.xlsx import write_xlsx


def _read(data: bytes) -> list[tuple]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a malformed part (no default style...) is a failure
        book = openpyxl.load_workbook(io.BytesIO(data))
    return list(book.active.iter_rows(values_only=True))


def test_texts_numbers_dates_and_blanks_read_back_as_written():
    file = io.BytesIO()
    moment = datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC)  # 03:30 in Paris (summer time)
    write_xlsx(file, ["Titre", "Montant", "Échéance"], [
        ["  espaces gardés ", Decimal("1250.50"), datetime.date(2026, 11, 30)],
        ["a < b & c > d \x01", 42, moment],
        [None, "", True],
    ])

    assert _read(file.getvalue()) == [
        ("Titre", "Montant", "Échéance"),
        ("  espaces gardés ", 1250.5, datetime.datetime(2026, 11, 30)),
        ("a < b & c > d ", 42, datetime.datetime(2026, 3, 29, 3, 30)),  # the control character dropped
        (None, None, True),
    ]
    assert timezone.get_current_timezone_name() == "Europe/Paris"


def test_fifty_thousand_rows_are_deflated_as_they_come_into_a_valid_package():
    file = io.BytesIO()
    rows = ([f"Action {i:05d}", "En cours", i, datetime.date(2026, 1, 1)] for i in range(50000))

    write_xlsx(file, ["Titre", "Statut", "Rang", "Date"], rows)

    archive = zipfile.ZipFile(io.BytesIO(file.getvalue()))
    assert archive.testzip() is None
    assert "xl/worksheets/sheet1.xml" in archive.namelist()
    book = openpyxl.load_workbook(io.BytesIO(file.getvalue()), read_only=True)
    last = list(book.active.iter_rows(min_row=50001, max_row=50001, values_only=True))
    assert last == [("Action 49999", "En cours", 49999, datetime.datetime(2026, 1, 1))]


def _sheet_xml(rows, headers=("A", "B")) -> str:
    file = io.BytesIO()
    write_xlsx(file, list(headers), rows)
    return zipfile.ZipFile(io.BytesIO(file.getvalue())).read("xl/worksheets/sheet1.xml").decode()


def test_each_cell_reads_as_its_own_value_when_equal_values_of_other_types_share_a_column():
    # True == 1 and Decimal("1.0") == Decimal("1.00"): a cell remembered by value would mix them up.
    xml = _sheet_xml([(True, Decimal("1.0")), (1, Decimal("1.00")), (True, None), ("Ouvert", datetime.date(2026, 1, 2)),
                      ("Ouvert",)])

    assert xml.endswith(
        '<sheetData><row r="1"><c t="inlineStr"><is><t>A</t></is></c><c t="inlineStr"><is><t>B</t></is></c></row>'
        '<row r="2"><c t="b"><v>1</v></c><c><v>1.0</v></c></row>'
        '<row r="3"><c><v>1</v></c><c><v>1.00</v></c></row>'
        '<row r="4"><c t="b"><v>1</v></c><c/></row>'
        '<row r="5"><c t="inlineStr"><is><t>Ouvert</t></is></c><c s="1"><v>46024</v></c></row>'
        '<row r="6"><c t="inlineStr"><is><t>Ouvert</t></is></c></row>'  # a shorter row stays short
        '</sheetData></worksheet>')


def test_a_column_of_repeated_values_is_remembered_and_a_column_of_unique_titles_is_not():
    from qse.xlsx import _Column

    people, titles = _Column(), _Column()
    for chunk in range(5):
        people_cells = list(people.cells(tuple(f"Personne {i % 800}" for i in range(chunk * 1000, chunk * 1000 + 1000))))
        title_cells = list(titles.cells(tuple(f"Action {i}" for i in range(chunk * 1000, chunk * 1000 + 1000))))

    assert len(people.memo) == 800 and not people.unique
    assert titles.unique and len(titles.memo) == 0  # memory stays flat over a 250,000-row export
    assert people_cells[0] == '<c t="inlineStr"><is><t>Personne 0</t></is></c>'
    assert title_cells[-1] == '<c t="inlineStr"><is><t>Action 4999</t></is></c>'
