"""Reading a company's spreadsheet as it is: the header row under title rows, merged cells,
Excel row numbers, strict French dates, French numbers, and headers proposed from their
usual variants (pure functions, plus the real reader on workbooks built with openpyxl)."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from qse.import_columns import propose_columns
from qse.import_sheets import DateTextError, column_letter, date_text, grid_frame, header_index
from qse.imports import read_table


@pytest.mark.parametrize(("text", "expected"), [
    ("31/12/2026", "2026-12-31"),
    ("1/2/2027", "2027-02-01"),
    ("15/03/27", "2027-03-15"),
    ("15-03-2027", "2027-03-15"),
    ("15.03.2027", "2027-03-15"),
    ("2027-01-15", "2027-01-15"),
    ("2027-01-15 00:00:00", "2027-01-15"),
    ("29/02/2028", "2028-02-29"),
    ("03/2027", "2027-03-01"),
    ("mars 2027", "2027-03-01"),
    ("janv. 2027", "2027-01-01"),
    ("", ""),
])
def test_a_date_cell_is_read_in_the_french_order(text, expected):
    assert date_text(text) == expected


@pytest.mark.parametrize("text", ["31/02/2027", "29/02/2027", "12/13/2027", "00/01/2027", "demain", "2027", "15/03"])
def test_an_impossible_or_unreadable_date_is_an_error_never_a_blank(text):
    with pytest.raises(DateTextError) as error:
        date_text(text)
    assert text in str(error.value)


def test_the_header_is_the_first_row_filling_half_of_the_widest():
    grid = [
        (1, ["DOCUMENT UNIQUE — Biscuiterie du Val", "", "", ""]),
        (2, ["Mise à jour : 12/01/2026", "", "", "Version 3"]),
        (4, ["Unité", "Danger", "G", "P"]),
        (5, ["Pétrissage", "Bruit", "2", "3"]),
    ]
    assert header_index(grid) == 2
    assert header_index([(3, ["Nom"]), (4, ["Lyon"])]) == 0


def test_the_frame_keeps_excel_row_numbers_and_names_blank_or_repeated_headers():
    grid = [
        (3, ["Titre du registre"]),
        (5, ["Site", "", "Site", "Note"]),
        (6, ["Lyon", "x", "LYO", ""]),
        (9, ["Grenoble", "", "GRE", ""]),
    ]
    with translation.override("fr"):
        frame = grid_frame(grid, 100)
    assert list(frame.columns) == ["Site", "Colonne B", "Site (2)", "Note"]
    assert list(frame.index) == [6, 9]
    assert frame.attrs["header_row"] == 5
    assert frame.loc[9].tolist() == ["Grenoble", "", "GRE", ""]


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")])
def test_a_column_without_header_is_named_by_its_letter(index, letter):
    assert column_letter(index) == letter


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Plan d'actions 2027"
    sheet.merge_cells("A1:D1")
    sheet.append([])
    sheet.append(["Atelier", "Intitulé", "Échéance", "Effectif"])
    sheet.append(["Four", "Capoter", datetime.datetime(2027, 6, 30), 12.0])
    sheet.append([None, "Former", "15/09/2027", 3])
    sheet.append([])
    sheet.append(["Quai", "Baliser", datetime.date(2027, 1, 5), 1.5])
    sheet.merge_cells("A4:A5")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_with_a_merged_title_and_merged_cells_reads_as_the_user_sees_it():
    frame = read_table(_workbook(), "plan.xlsx")

    assert frame.attrs["header_row"] == 3
    assert list(frame.columns) == ["Atelier", "Intitulé", "Échéance", "Effectif"]
    assert {row: frame.loc[row].tolist() for row in frame.index} == {
        4: ["Four", "Capoter", "2027-06-30", "12"],
        5: ["Four", "Former", "15/09/2027", "3"],  # merged down from A4
        7: ["Quai", "Baliser", "2027-01-05", "1.5"],
    }


def test_a_csv_with_a_title_line_reads_its_header_below():
    content = b"Registre des sites;;\n;;\nCode;Nom;Ville\nLYO;Lyon;Lyon\n"
    frame = read_table(content, "sites.csv")
    assert list(frame.columns) == ["Code", "Nom", "Ville"]
    assert list(frame.index) == [4]


def test_headers_are_proposed_from_their_usual_variants_in_any_spelling():
    from risks.views_duerp import OccupationalRiskImportForm

    fields = ["work_unit", "hazard_family", "situation", "exposed_workers", "existing_measures",
              "matrix", "gravity", "probability", "action_title", "action_owner", "action_due_on"]
    columns = ["UT", "FAMILLE DE RISQUE", "Situation dangereuse", "Effectif exposé (nb)", "Prévention existante",
               "Gravité [1 à 4]", "Fréquence", "Mesures à mettre en place", "Qui ?", "Délai", "Observations"]

    assert propose_columns(columns, OccupationalRiskImportForm, fields) == {
        "UT": "work_unit", "FAMILLE DE RISQUE": "hazard_family", "Situation dangereuse": "situation",
        "Effectif exposé (nb)": "exposed_workers", "Prévention existante": "existing_measures",
        "Gravité [1 à 4]": "gravity", "Fréquence": "probability", "Mesures à mettre en place": "action_title",
        "Qui ?": "action_owner", "Délai": "action_due_on", "Observations": "",
    }


def test_a_field_goes_to_one_column_the_surest_first():
    from risks.views_duerp import OccupationalRiskImportForm

    proposed = propose_columns(["Danger (famille)", "Danger"], OccupationalRiskImportForm, ["hazard_family"])
    assert proposed == {"Danger (famille)": "", "Danger": "hazard_family"}
