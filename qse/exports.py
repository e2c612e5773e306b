"""The one way the product writes spreadsheets (CSV, XLSX): every cell a user typed is
neutralised so that no spreadsheet runs it as a formula (OWASP, "CSV injection")."""

from __future__ import annotations

from django.http import HttpResponse
from django_tables2.export import TableExport

# What Excel, LibreOffice and Google Sheets read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would run goes out behind a single quote; numbers, dates and
    everything else stay as they are (a negative amount typed as a number is a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    """django-tables2's export with every cell neutralised. In XLSX a neutralised cell starts
    with a quote, so it is written as a string cell, never as a formula."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        headers = [neutralise(header) for header in dataset.headers or []]
        rows = [[neutralise(value) for value in row] for row in dataset]
        dataset.wipe()
        dataset.headers = headers
        dataset.extend(rows)
        return dataset


def table_response(table, export_format: str, filename: str, exclude_columns=()) -> HttpResponse:
    """A table as a downloadable spreadsheet (CSV or XLSX)."""
    return SafeTableExport(export_format, table, exclude_columns=exclude_columns).response(filename)
