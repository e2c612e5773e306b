"""The one way the product writes spreadsheets (CSV, XLSX).

Every cell a user typed is neutralised so that no spreadsheet runs it as a formula (OWASP,
"CSV injection"). A list's export is written from the database in chunks into a temporary
file that spills to disk, then streamed to the browser: 50,000 rows cost a few megabytes of
memory, not the whole table built as Python objects (django-tables2's own export renders
every cell through the page's templates: 264x the time of ``COPY ... TO`` at 25,000 actions).
"""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice, repeat
from typing import Any

import openpyxl
from django.contrib.auth import get_user_model
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_tables2.rows import BoundRow

from qse.labels import choice_labels, person_label
from qse.xlsx import write_xlsx

# What Excel, LibreOffice and Google Sheets read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows read per round trip (a server-side cursor): memory stays flat whatever the list's size.
CHUNK_ROWS = 2000
# In memory up to this size, then on disk.
SPOOL_BYTES = 1024 * 1024
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(value):
    """Text that a spreadsheet would run goes out behind a single quote; numbers, dates and
    everything else stay as they are (a negative amount typed as a number is a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# ----------------------------------------------------------------------------- columns


def _same(value):
    return value



@dataclass
class ExportColumn:
    """One column of an export: read from the database by ``path`` (a field or an annotation),
    or from the record by ``from_record`` when the table computes it."""

    header: str
    path: str | None = None
    format: Callable[[Any], Any] = None  # None: the value as it is
    related: type[models.Model] | None = None  # a foreign key: ids become labels, per chunk
    from_record: Callable[[Any], Any] | None = None
    field: models.Field | None = None  # the model field at ``path``, when it is one

    def __post_init__(self):
        self.format = self.format or _same


def _field_at(model, path: str):
    """The model field at the end of ``path`` when every step is a field, else None."""
    field = None
    for bit in path.split("__"):
        try:
            field = model._meta.get_field(bit)
        except FieldDoesNotExist:
            return None
        if field.is_relation and bit != path.split("__")[-1]:
            model = field.related_model
    if field is None or not field.concrete or field.many_to_many:
        return None  # a property, a reverse or many-to-many relation: read from the record
    return field


def _boolean(value):
    return "" if value is None else (_("yes") if value else _("no"))


def _moment(value):
    """Spreadsheets know no time zones: the local time the page shows."""
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def _format_for(field) -> Callable[[Any], Any]:
    """How a field's raw value reads in a spreadsheet: labels for choices, names for people."""
    if isinstance(field, ArrayField):
        return lambda values: choice_labels(field, values) if field.base_field.choices else ", ".join(map(str, values or ()))
    if field.choices:
        labels = {value: str(label) for value, label in field.flatchoices}
        return lambda value: labels.get(value, value)
    if isinstance(field, models.BooleanField):
        return _boolean
    if isinstance(field, models.DateTimeField):
        return _moment
    return _same


def _record_reader(table, name: str) -> Callable[[Any], Any]:
    """A computed column read exactly as django-tables2's export reads it (``value_<name>``,
    then the column's ``value``): only for columns that are neither fields nor annotations."""

    def read(record):
        return BoundRow(record, table=table).get_cell_value(name)

    return read


def export_columns(table, exclude_columns: Iterable[str] = ()) -> list[ExportColumn]:
    """The columns a list's export writes: every column of its table but the excluded ones
    (and those already left out for the user), each read the cheapest correct way."""
    model = table._meta.model
    annotations = set(table.data.data.query.annotations)
    columns = []
    for bound in table.columns.iterall():
        if bound.column.exclude_from_export or bound.name in exclude_columns:
            continue
        header = capfirst(force_str(bound.header, strings_only=True))  # "responsable" reads "Responsable"
        path = str(bound.accessor).replace(".", "__")
        field = _field_at(model, path)
        if field is not None and field.is_relation:
            label = person_label if field.related_model is get_user_model() else str
            columns.append(ExportColumn(header, path=path, related=field.related_model, format=label))
        elif field is not None:
            columns.append(ExportColumn(header, path=path, format=_format_for(field), field=field))
        elif path in annotations and not hasattr(table, f"value_{bound.name}"):
            columns.append(ExportColumn(header, path=path))
        else:
            columns.append(ExportColumn(header, from_record=_record_reader(table, bound.name)))
    return columns


# ----------------------------------------------------------------------------- rows


def _fill_labels(column: ExportColumn, known: dict, ids: set) -> None:
    """Add to ``known`` (id -> label, kept for the whole export: the same people and plans
    come back chunk after chunk) the labels of the records a chunk names for the first time."""
    missing = ids - known.keys() - {None}
    if missing:
        # Stored as finished cells: a label is formatted and neutralised once, not once a row.
        known.update((obj.pk, neutralise(_as_cell(column.format(obj))))
                     for obj in column.related._base_manager.filter(pk__in=missing))


def _as_cell(value):
    """A list (themes, activities) reads "a, b"; a mapping "key: value"; nothing is empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return value


# Values a spreadsheet cell takes as they are: neither ``_as_cell`` nor ``neutralise`` changes them.
_AS_IS = frozenset({int, float, Decimal, bool, datetime.date, datetime.datetime, datetime.time})


def _finish(value):
    """``neutralise(_as_cell(value))``, with the common types decided without a call."""
    cls = value.__class__
    if cls is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if cls in _AS_IS:
        return value
    return neutralise(_as_cell(value))


# Fields whose values a cell takes as they are: numbers and dates, no text to neutralise
# (a date and time has its own format, ``_moment``, so it never counts as one).
_PLAIN_FIELDS = (models.IntegerField, models.DecimalField, models.FloatField, models.DateField)


class _Memo(dict):
    """Each distinct raw value's cell, computed the first time it is seen: a status or a yes/no
    column holds a handful of values, looked up in C for the 25,000 rows that repeat them."""

    def __init__(self, compute: Callable[[Any], Any]):
        super().__init__()
        self.compute = compute

    def __missing__(self, value):
        cell = self[value] = self.compute(value)
        return cell


def _blank_if_none(value):
    return "" if value is None else value


def _column_cells(column: ExportColumn) -> Callable[[Any], Any] | None:
    """How one column's raw database value becomes its cell, decided once an export; None
    when the values are the cells already (a number or a date of the listed model itself)."""
    format_, field = column.format, column.field
    if format_ is _same and isinstance(field, _PLAIN_FIELDS) and "__" not in column.path:
        return _blank_if_none if field.null else None
    if field is not None and not isinstance(field, ArrayField) and (
            field.choices or isinstance(field, models.BooleanField)):
        return _Memo(lambda value: "" if value is None else _finish(format_(value))).__getitem__
    if format_ is _same:
        return lambda value: "" if value is None else _finish(value)
    return lambda value: "" if value is None else _finish(format_(value))


def _record_cell(read, records: dict) -> Callable[[int], Any]:
    return lambda pk: neutralise(_as_cell(read(records[pk])))


def _chunk_rows(queryset, columns: list[ExportColumn], chunk: list[tuple], labels: dict, cells: list) -> Iterator[tuple]:
    """A chunk of raw database tuples as rows of spreadsheet cells, converted column by column
    (``map`` over a column: the per-cell cost was most of a 50,000-row export's time)."""
    for i, column in enumerate(columns):
        if column.related is not None:
            _fill_labels(column, labels.setdefault(i, {}), {row[i] for row in chunk})
    records = {}
    if any(column.from_record for column in columns):
        records = queryset.in_bulk([row[-1] for row in chunk])
    by_column = list(zip(*chunk, strict=True))
    converted = []
    for i, column in enumerate(columns):
        if column.related is not None:
            converted.append(map(labels[i].get, by_column[i], repeat("")))
        elif column.from_record is not None:
            converted.append(map(_record_cell(column.from_record, records), by_column[-1]))
        elif cells[i] is None:
            converted.append(by_column[i])
        else:
            converted.append(map(cells[i], by_column[i]))
    return zip(*converted, strict=True)


def export_rows(queryset, columns: list[ExportColumn]) -> Iterator[tuple]:
    """Every row of ``queryset`` as cells, read in chunks through a server-side cursor."""
    paths = [column.path or "pk" for column in columns] + ["pk"]
    labels, cells = {}, [_column_cells(column) for column in columns]
    rows = queryset.values_list(*paths).iterator(chunk_size=CHUNK_ROWS)
    while chunk := list(islice(rows, CHUNK_ROWS)):
        yield from _chunk_rows(queryset, columns, chunk, labels, cells)


# ----------------------------------------------------------------------------- files


def _write_csv(spool, headers: list[str], rows: Iterable[list]) -> None:
    # Into text in memory, a chunk of rows at a time, then encoded into the spool: a write
    # through to the spool per row cost a third of a 50,000-row export.
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    rows = iter(rows)
    while True:
        writer.writerows(islice(rows, CHUNK_ROWS))
        if not text.tell():
            break
        spool.write(text.getvalue().encode())
        text.seek(0)
        text.truncate()


def _write_xlsx(spool, headers: list[str], rows: Iterable[list]) -> None:
    # Written as text into the zip (qse/xlsx.py): openpyxl's cell objects cost 28x the CSV.
    write_xlsx(spool, headers, rows)


def spreadsheet_response(headers: list[str], rows: Iterable[list], export_format: str, filename: str) -> FileResponse:
    """Rows (already neutralised) written to a temporary file and streamed as a download."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    headers = [neutralise(header) for header in headers]
    (_write_xlsx if export_format == "xlsx" else _write_csv)(spool, headers, rows)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[export_format])


def table_response(table, export_format: str, filename: str, exclude_columns=()) -> FileResponse:
    """A list's table as a downloadable spreadsheet (CSV or XLSX), every row of its data."""
    columns = export_columns(table, exclude_columns)
    rows = export_rows(table.data.data, columns)
    return spreadsheet_response([column.header for column in columns], rows, export_format, filename)


# ----------------------------------------------------------------------------- laid-out workbooks


def _neutralised_append(sheet):
    """The sheet's ``append``, every typed text neutralised (a styled WriteOnlyCell's value too)."""
    append = sheet.append

    def safe_append(row):
        cells = []
        for value in row:
            if hasattr(value, "value") and isinstance(value.value, str):
                value.value = neutralise(value.value)
            cells.append(neutralise(value))
        append(cells)

    return safe_append


class SafeWorkbook(openpyxl.Workbook):
    """A workbook for documents laid out by hand (a register an inspector asks for, a BEGES
    report): every sheet's ``append`` neutralises what a spreadsheet would run as a formula."""

    def create_sheet(self, title=None, index=None):
        sheet = super().create_sheet(title, index)
        sheet.append = _neutralised_append(sheet)
        return sheet

    @property
    def active(self):
        sheet = super().active
        if sheet is not None and not getattr(sheet, "_qse_safe", False):
            sheet.append, sheet._qse_safe = _neutralised_append(sheet), True
        return sheet

    @active.setter
    def active(self, value):
        openpyxl.Workbook.active.fset(self, value)


def workbook(*, write_only: bool = False) -> SafeWorkbook:
    return SafeWorkbook(write_only=write_only)
