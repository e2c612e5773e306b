"""Probes found in the registries, so a module joins the benchmark when it lands.

Every declared list page (``qse.registry.declarations``), its API list at ``limit=1000``,
every extra navigation page (dashboards, boards) and every registered PDF kind
(``qse.reports``) is measured. A list's floor is SQL of the shape a person would write for
the same rows: the page's columns (a foreign key joined for its label), the organization's
live rows, the model's order with the id last, one page's worth of rows.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, get_resolver, reverse

from qse.bench.probes import Floor, Probe

API_LIMIT = 1000
# A foreign key's label in a floor: the first of these columns its table has.
LABEL_COLUMNS = ("reference", "code", "name", "title")


def discovered_probes(existing: list[Probe]) -> list[Probe]:
    """Pages, API lists and navigation pages of the registries that no hand-written probe
    already measures (same URL and parameters)."""
    from qse.api.children import api_prefix
    from qse.registry import _extra_nav, declarations

    get_resolver().url_patterns  # noqa: B018 (some apps register declarations as their URL conf imports)
    seen = {(probe.url, tuple(sorted(probe.params.items()))) for probe in existing}
    found = []

    def add(probe):
        key = (probe.url, tuple(sorted(probe.params.items())))
        if key not in seen:
            seen.add(key)
            found.append(probe)

    for declaration in declarations():
        if declaration.parent:  # a child list needs a parent record: measured through it, not alone
            continue
        model = declaration.model
        label = model._meta.label_lower
        if declaration.table is not None:
            add(Probe(f"{label} list", reverse(declaration.url_name("list")), "html",
                      list_floor(model, table_columns(declaration.table), declaration.per_page),
                      discovered=True))
        if declaration.serializer is not None:
            add(Probe(f"API {label}", f"/api/v1/{api_prefix(declaration)}/", "api",
                      list_floor(model, serializer_columns(declaration.serializer), API_LIMIT, joins=False),
                      {"limit": API_LIMIT}, discovered=True))
    for entry in _extra_nav:
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        add(Probe(f"page {entry.url_name}", url, "html", discovered=True))
    return found


def table_columns(table) -> list[str]:
    """The columns a list shows before anyone chooses: its default columns and key columns."""
    names = list(table.default_columns or table.base_columns.keys())
    names += [name for name in getattr(table, "key_columns", ()) if name not in names]
    columns = []
    for name in names:
        column = table.base_columns.get(name)
        accessor = str(column.accessor) if column is not None and column.accessor else name
        columns.append(accessor.replace(".", "__"))
    return columns


def serializer_columns(serializer) -> list[str]:
    fields = getattr(serializer.Meta, "fields", "__all__")
    if fields == "__all__":
        return [field.name for field in serializer.Meta.model._meta.concrete_fields]
    return list(fields)


def export_probes(url_name: str, model, table, label: str) -> list[Probe]:
    """A whole list's CSV and XLSX (every column of its table) against ``COPY ... TO`` of the
    same columns and rows."""
    names = [str(column.accessor or name).replace(".", "__") for name, column in table.base_columns.items()]
    floor = Floor(f"COPY ({list_floor(model, names, None).sql}) TO STDOUT WITH CSV HEADER", kind="copy")
    url = reverse(url_name)
    return [Probe(f"{label} export {fmt.upper()}", url, "export", floor, {"_export": fmt})
            for fmt in ("csv", "xlsx")]


def list_floor(model, names: list[str], limit: int | None, *, joins: bool = True) -> Floor:
    """``SELECT <columns> FROM <table> WHERE organization_id = ... ORDER BY ... LIMIT n``;
    a foreign key column is joined for its label (``joins``) or read as its id."""
    meta = model._meta
    select, join_clauses = [f't."{meta.pk.column}"'], []
    for name in names:
        try:
            field = meta.get_field(name.split("__")[0])
        except FieldDoesNotExist:
            continue  # a computed column: no SQL of its own
        if not getattr(field, "concrete", False) or field.many_to_many or field.primary_key:
            continue
        if field.many_to_one and joins:
            alias = f"j{len(join_clauses)}"
            related = field.related_model._meta
            join_clauses.append(f'LEFT JOIN "{related.db_table}" {alias} ON {alias}."{related.pk.column}" = t."{field.column}"')
            select += [f'{alias}."{column}"' for column in _label_columns(field.related_model)]
        else:
            select.append(f't."{field.column}"')
    where = ['t."organization_id" = %(org)s']
    if _has_field(model, "archived_at"):
        where.append('t."archived_at" IS NULL')
    sql = (f'SELECT {", ".join(dict.fromkeys(select))} FROM "{meta.db_table}" t {" ".join(join_clauses)} '
           f'WHERE {" AND ".join(where)} ORDER BY {", ".join(_order(model))}'
           + (f" LIMIT {int(limit)}" if limit is not None else ""))
    return Floor(sql)


def _label_columns(model) -> list[str]:
    if model is get_user_model():
        return ["first_name", "last_name"]
    for name in LABEL_COLUMNS:
        if _has_field(model, name):
            return [model._meta.get_field(name).column]
    return [model._meta.pk.column]


def _order(model) -> list[str]:
    """The model's default order on its own columns, the id last (the lists' stable order)."""
    keys = []
    for key in model._meta.ordering or ():
        name = str(key).lstrip("-")
        if "__" in name or not _has_field(model, name):
            continue
        column = model._meta.get_field(name).column
        keys.append(f't."{column}"{" DESC" if str(key).startswith("-") else ""}')
    return [*keys, f't."{model._meta.pk.column}"']


def _has_field(model, name: str) -> bool:
    try:
        return getattr(model._meta.get_field(name), "concrete", False)
    except FieldDoesNotExist:
        return False


def report_kinds(skip: set[str]) -> list:
    """The registered PDF kinds, but those a hand-written probe measures."""
    from qse.reports import _discover, _kinds

    _discover()
    return [entry for kind, entry in sorted(_kinds.items()) if kind not in skip]
