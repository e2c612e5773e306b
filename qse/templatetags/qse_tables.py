"""A table row written out in Python: django-tables2's ``table.tbody.row`` block, character for
character (qse/_table.html uses it). The library's template evaluated six template nodes and a
context lookup chain per cell; on a page of 25 rows by 10 columns that was most of the table's
time. The values, their escaping and localization are the template's own."""

from django import template
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.utils.safestring import mark_safe
from django_tables2 import Table
from django_tables2.rows import BoundRow

register = template.Library()

_ROW_START = "\n                    <tr {}>\n                        "
_CELL = "\n                            <td {}>{}</td>\n                        "
_ROW_END = "\n                    </tr>\n                    "


@register.simple_tag(takes_context=True)
def table_row(context, row) -> str:
    """The ``<tr>`` of ``row`` as django_tables2/table.html draws it."""
    cells = []
    for column, cell in _items(row):  # items first: a column's td attrs may read its current value
        if column.localize is None:
            value = cell
        else:
            value = localize(cell) if column.localize else unlocalize(cell)
        cells.append(_CELL.format(_td_attrs_html(column), render_value_in_context(value, context)))
    return mark_safe(_ROW_START.format(row.attrs.as_html()) + "".join(cells) + _ROW_END)


def _items(row):
    """``row.items()``: (bound column, rendered cell) of each visible column, setting each
    column's current value and record as the library does. The library finds each cell's
    column by name through a scan of every column (a row of n columns scanned n² times);
    the visible columns are listed here once per table and configuration."""
    if type(row).items is not BoundRow.items or type(row).get_cell is not BoundRow.get_cell:
        yield from row.items()  # a row class of its own decides
        return
    table = row.table
    bound = table.columns
    key = (tuple(table.sequence), tuple(table.exclude or ()), tuple(c.column.visible for c in bound.columns.values()))
    known = table.__dict__.get("_qse_row_columns")
    if known is None or known[0] != key:
        known = table.__dict__["_qse_row_columns"] = (key, list(bound))
    for column in known[1]:
        column.current_value = row._get_and_render_with(column, render_func=row._call_render, default=column.default)
        column.current_record = row.record
        yield column, column.current_value


def _td_attrs_html(column) -> str:
    """The attributes of a column's ``<td>``. django-tables2 merges the table's and the
    column's attributes and sorts the classes anew for every cell (a quarter of a row's time);
    unless one of them is computed from the row (a callable) they are the same on every row,
    so they are written once per column and table."""
    table = column._table
    known = table.__dict__.setdefault("_qse_td_attrs", {})
    html = known.get(column.name)
    if html is None:
        html = column.attrs["td"].as_html()
        if _static_td_attrs(column):
            known[column.name] = html
    return html


def _static_td_attrs(column) -> bool:
    """Whether a column's <td> attributes are the same on every row (see BoundColumn.attrs)."""
    table = column._table
    if type(table).get_column_class_names is not Table.get_column_class_names:
        return False  # a table may name a cell's classes from the row
    attrs = {**dict(table.attrs), **dict(column.column.attrs)}
    return not _has_callable(attrs.get("td", attrs.get("cell", {})))


def _has_callable(value) -> bool:
    if callable(value):
        return True
    return isinstance(value, dict) and any(_has_callable(v) for v in value.values())
