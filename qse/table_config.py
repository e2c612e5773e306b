"""Per-user visible columns of a list (as NetBox's table configuration).

A table declares ``key_columns`` (always shown: what a list is read for) and, when its full
width does not fit a 1024 px tablet, ``default_columns`` (shown until the user chooses).
The chooser on the list page stores the user's choice in ``TableConfig``; exports ignore it
and keep every column."""

from __future__ import annotations

from django.db import transaction

from qse.models import TableConfig

HIDDEN_ALWAYS = ("actions",)


def table_config_of(*, user, table_name: str) -> list[str] | None:
    """The columns this user chose for this list, or None (never another user's row)."""
    row = TableConfig.objects.filter(user=user, table_name=table_name).values_list("columns", flat=True).first()
    return list(row) if row is not None else None


@transaction.atomic
def table_config_save(*, user, table_name: str, columns: list[str] | None) -> None:
    """Store (or, with ``columns=None``, forget) the user's choice of columns for a list."""
    if columns is None:
        TableConfig.objects.filter(user=user, table_name=table_name).delete()
        return
    TableConfig.objects.update_or_create(user=user, table_name=table_name, defaults={"columns": columns})


def choosable(table) -> list[tuple[str, str, bool]]:
    """(name, header, is_key) of every column a person may show or hide, in table order."""
    keys = set(getattr(table, "key_columns", ()))
    return [
        (column.name, str(column.header), column.name in keys)
        for column in table.columns.iterall()
        if column.name not in HIDDEN_ALWAYS
    ]


def apply_table_config(table, *, user, table_name: str) -> list[str]:
    """Hide the columns the user did not choose (or the table does not show by default);
    key columns always stay. Returns the visible column names."""
    names = [name for name, _header, _key in choosable(table)]
    chosen = table_config_of(user=user, table_name=table_name)
    if chosen is None:
        chosen = list(getattr(table, "default_columns", None) or names)
    visible = set(chosen) | set(getattr(table, "key_columns", ()))
    for name in names:
        if name not in visible:
            table.columns.hide(name)
    return [name for name in names if name in visible]
