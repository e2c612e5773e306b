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
