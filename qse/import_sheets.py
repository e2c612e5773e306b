"""A spreadsheet as a company keeps it, turned into a table of text: the header row found
below title rows, empty rows and merged cells; every data row keeps the row number the user
sees in Excel; dates read strictly (31/02/2027 is an error, never a silent blank).

Pure functions over a grid (a list of (row number, cells)) except ``xlsx_grid``, which reads
the workbook; the size checks of ``qse.imports`` run before any of this.
"""

from __future__ import annotations

import datetime
import io
import math
import re

import pandas as pd
from django.utils.translation import gettext as _

# The header is looked for among the first rows that hold anything.
HEADER_SEARCH_ROWS = 30
# A header row names nearly every column: it fills at least this share of the widest row's
# cells (a title or a "version 3, updated on..." line fills one or two).
HEADER_FILL_RATIO = 0.7

Grid = list[tuple[int, list[str]]]


def cell_text(value) -> str:
    """A cell as text: dates as ISO dates, whole numbers without ".0", nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def xlsx_grid(content: bytes) -> Grid:
    """The first sheet's non-empty rows with their Excel numbers; a cell merged over several
    rows (a work unit written once beside its five risks) counts for each of those rows."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    try:
        sheet = workbook.worksheets[0]
        filled = _merged_down(sheet)
        grid = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [filled.get((number, column), cell_text(value)) for column, value in enumerate(row, start=1)]
            if any(cells):
                grid.append((number, cells))
        return grid
    finally:
        workbook.close()


def _merged_down(sheet) -> dict[tuple[int, int], str]:
    """(row, column) -> text for the cells hidden under a vertical merge: its first column
    takes the merged value on every row (a horizontal merge stays in its first cell)."""
    filled = {}
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == merged.max_row:
            continue
        text = cell_text(sheet.cell(merged.min_row, merged.min_col).value)
        for row in range(merged.min_row + 1, merged.max_row + 1):
            filled[(row, merged.min_col)] = text
    return filled


def csv_grid(records) -> Grid:
    """CSV records (lists of cells) numbered as a spreadsheet program shows them."""
    grid = []
    for number, record in enumerate(records, start=1):
        cells = [cell.strip() for cell in record]
        if any(cells):
            grid.append((number, cells))
    return grid


def header_index(grid: Grid) -> int:
    """Position in ``grid`` of the header: the first row that fills most of the widest row
    (title rows, a date or a company name above the table fill one or two cells)."""
    head = grid[:HEADER_SEARCH_ROWS]
    if not head:
        return 0
    width = max(_filled(cells) for _number, cells in head)
    needed = max(min(2, width), math.ceil(width * HEADER_FILL_RATIO))
    for index, (_number, cells) in enumerate(head):
        if _filled(cells) >= needed:
            return index
    return 0


def _filled(cells: list[str]) -> int:
    return sum(1 for cell in cells if cell)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how the user sees a column without a header."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def grid_frame(grid: Grid, name_limit: int) -> pd.DataFrame:
    """The table under the header: one column per header cell (a blank header with data
    below is named by its column letter, a repeated one numbered), indexed by Excel rows."""
    if not grid:
        return pd.DataFrame()
    start = header_index(grid)
    header, body = grid[start][1], grid[start + 1:]
    width = max(len(header), *(len(cells) for _n, cells in body)) if body else len(header)
    names, seen, keep = [], {}, []
    for position in range(width):
        text = header[position] if position < len(header) else ""
        has_data = any(position < len(cells) and cells[position] for _n, cells in body)
        if not text and not has_data:
            continue
        name = (text or _("Column {letter}").format(letter=column_letter(position)))[:name_limit]
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
        keep.append(position)
    rows = [[cells[p] if p < len(cells) else "" for p in keep] for _n, cells in body]
    frame = pd.DataFrame(rows, columns=names, index=[number for number, _cells in body], dtype=str)
    frame.attrs["header_row"] = grid[start][0]
    return frame


# --- dates -----------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_FRENCH = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")


_MONTH = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_NAMED_MONTH = re.compile(r"^([^\W\d_]+)\.?\s+(\d{4})$")
# A month named in French or English, by its usual abbreviations (accents removed).
MONTHS = {
    **dict.fromkeys(("janvier", "janv", "jan", "january"), 1), **dict.fromkeys(("fevrier", "fevr", "fev", "feb", "february"), 2),
    **dict.fromkeys(("mars", "mar", "march"), 3), **dict.fromkeys(("avril", "avr", "apr", "april"), 4),
    **dict.fromkeys(("mai", "may"), 5), **dict.fromkeys(("juin", "jun", "june"), 6),
    **dict.fromkeys(("juillet", "juil", "jul", "july"), 7), **dict.fromkeys(("aout", "aug", "august"), 8),
    **dict.fromkeys(("septembre", "sept", "sep", "september"), 9), **dict.fromkeys(("octobre", "oct", "october"), 10),
    **dict.fromkeys(("novembre", "nov", "november"), 11), **dict.fromkeys(("decembre", "dec", "december"), 12),
}


class CellTextError(ValueError):
    """A cell the import cannot read (its message names the cell's text)."""


class DateTextError(CellTextError):
    pass


def _month_number(word: str) -> int | None:
    import unicodedata

    return MONTHS.get(unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower())


def date_text(text: str) -> str:
    """A date cell as an ISO date: ISO (a date cell of the workbook) or day/month/year, the
    French order, with /, - or . and a two- or four-digit year; a month alone ("03/2027",
    "mars 2027") is its first day. Raises DateTextError for
    anything else, an impossible date included: never a guess, never a blank."""
    text = text.strip()
    if not text:
        return ""
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _FRENCH.match(text):
        day, month, year = (int(part) for part in match.groups())
        year += 2000 if year < 100 else 0
    elif match := _MONTH.match(text):  # a month (hours worked): its first day
        day, month, year = 1, int(match.group(1)), int(match.group(2))
    elif (match := _NAMED_MONTH.match(text)) and _month_number(match.group(1)):
        day, month, year = 1, _month_number(match.group(1)), int(match.group(2))
    else:
        raise DateTextError(_("“{value}” is not a date (day/month/year expected).").format(value=text))
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError as exc:
        raise DateTextError(_("“{value}” is not a valid date.").format(value=text)) from exc
