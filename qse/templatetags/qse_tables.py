"""A table row written out in Python: django-tables2's ``table.tbody.row`` block, character for
character (qse/_table.html uses it). The library's template evaluated six template nodes and a
context lookup chain per cell; on a page of 25 rows by 10 columns that was most of the table's
time. The values, their escaping and localization are the template's own."""

from django import template
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.utils.safestring import mark_safe

register = template.Library()

_ROW_START = "\n                    <tr {}>\n                        "
_CELL = "\n                            <td {}>{}</td>\n                        "
_ROW_END = "\n                    </tr>\n                    "


@register.simple_tag(takes_context=True)
def table_row(context, row) -> str:
    """The ``<tr>`` of ``row`` as django_tables2/table.html draws it."""
    cells = []
    for column, cell in row.items():  # items() first: a column's td attrs may read its current value
        if column.localize is None:
            value = cell
        else:
            value = localize(cell) if column.localize else unlocalize(cell)
        cells.append(_CELL.format(column.attrs["td"].as_html(), render_value_in_context(value, context)))
    return mark_safe(_ROW_START.format(row.attrs.as_html()) + "".join(cells) + _ROW_END)
