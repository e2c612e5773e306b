"""Table base (django-tables2): sorting, pagination and CSV/XLSX export from one declaration.

Columns generated from model fields render people by their full name and multi-valued
choice fields by their translated labels (registered in django-tables2's column library,
so every table declaring ``fields = [...]`` gets them, on screen and in exports)."""

import django_tables2 as tables
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.fields import ArrayField
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_tables2.columns import library

from qse.labels import choice_labels, person_label


@library.register
class PersonColumn(tables.Column):
    """A user: "Claire Martin", not "cmartin"."""

    @classmethod
    def from_field(cls, field, **kwargs):
        if getattr(field, "many_to_one", False) and field.related_model is get_user_model():
            return cls(**kwargs)
        return None

    def render(self, value):
        return person_label(value)


@library.register
class ChoicesListColumn(tables.Column):
    """A multi-valued choice field: its translated labels joined, not ``['Q', 'S']``."""

    def __init__(self, *args, field=None, **kwargs):
        self.field = field
        super().__init__(*args, **kwargs)

    @classmethod
    def from_field(cls, field, **kwargs):
        if isinstance(field, ArrayField) and field.base_field.choices:
            return cls(field=field, **kwargs)
        return None

    def render(self, value):
        return choice_labels(self.field, value)


class CappedCountPaginator(Paginator):
    """Counts at most a few pages beyond the one asked for, not every row of the register:
    ``SELECT COUNT(*) FROM (... LIMIT n)``. Past the cap the page says "more than n rows";
    the next page stays reachable because the cap follows the page asked for."""

    def __init__(self, object_list, per_page, *args, requested_page=1, **kwargs):
        try:
            self.requested_page = max(1, int(requested_page))
        except (TypeError, ValueError):
            self.requested_page = 1
        super().__init__(object_list, per_page, *args, **kwargs)

    @cached_property
    def limit(self) -> int:
        return max(settings.QSE_LIST_COUNT_CAP, (self.requested_page + 1) * self.per_page)

    @cached_property
    def count(self) -> int:
        queryset = self.object_list  # a queryset, or a table's rows over one
        if not isinstance(queryset, QuerySet):
            queryset = getattr(getattr(queryset, "data", None), "data", None)
        if not isinstance(queryset, QuerySet):
            return len(self.object_list)
        return min(queryset[: self.limit + 1].count(), self.limit + 1)

    @property
    def is_capped(self) -> bool:
        return self.count > self.limit

    @property
    def shown_count(self) -> int:
        """The count a page prints: exact, or the cap when there are more."""
        return min(self.count, self.limit)


def stable_order(queryset: QuerySet) -> QuerySet:
    """The queryset's order with the primary key last: rows that tie on the sort key (one
    owner, one due date) keep their place from one page to the next, none repeats or vanishes."""
    if queryset.query.is_sliced:
        return queryset  # a bounded extract (a process page's first rows) is read as it is
    order = list(queryset.query.order_by or queryset.model._meta.ordering or ())
    if not any(str(key).lstrip("-") in ("pk", "id") for key in order):
        queryset = queryset.order_by(*order, "pk")
    return queryset


class ObjectTable(tables.Table):
    # Columns a list is read for: always shown, whatever the user's choice of columns.
    key_columns: tuple[str, ...] = ()
    # The columns shown until the user chooses (None: all); a wide table lists what fits 1024 px.
    default_columns: tuple[str, ...] | None = None

    def paginate(self, paginator_class=CappedCountPaginator, per_page=None, page=1, *args, **kwargs):
        """Paginate in a stable order, counting rows up to a cap (see ``CappedCountPaginator``)."""
        if isinstance(getattr(self.data, "data", None), QuerySet):
            self.data.data = stable_order(self.data.data)
        if paginator_class is CappedCountPaginator:
            kwargs["requested_page"] = page
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)

    class Meta:
        # Sorting swaps the table in place (the wrapper in qse/_object_table.html is the target).
        attrs = {"class": "table", "thead": {"hx-boost": "true"}}
        empty_text = _("Nothing to show.")
        template_name = "qse/_table.html"


def linkify_detail(**kwargs):
    return tables.Column(linkify=True, **kwargs)


# --- Rendering speed -----------------------------------------------------------------------
# django-tables2 asks ``inspect.signature`` of every cell's render function (1,750 calls for a
# page of 25 rows: ~3 ms) and compiles a TemplateColumn's code anew for every cell (~2.5 ms a
# page). Both answers depend only on the function or the code: they are computed once per
# process here. The rendered HTML is the library's own, unchanged.


def _install_render_caches() -> None:
    from functools import lru_cache

    from django.template import Context, Template
    from django.template.loader import get_template
    from django_tables2 import utils
    from django_tables2.columns import templatecolumn

    if getattr(utils, "_qse_cached", False):
        return
    uncached_signature = utils.signature
    signatures: dict = {}

    def signature(fn):
        # A bound method is a new object at each access: key on its function and whether it is bound.
        key = (getattr(fn, "__func__", fn), hasattr(fn, "__self__"))
        try:
            return signatures[key]
        except KeyError:
            if len(signatures) > 4096:  # callables made per call (closures) must not pile up
                signatures.clear()
            signatures[key] = found = uncached_signature(fn)
            return found
        except TypeError:  # an unhashable callable
            return uncached_signature(fn)

    compiled = lru_cache(maxsize=512)(Template)

    def render(self, record, table, value, bound_column, **kwargs):
        """``TemplateColumn.render`` of django-tables2 2.x with its template compiled once."""
        parent_context = getattr(table, "context", Context())
        context = self.get_context_data(record=record, table=table, value=value, bound_column=bound_column, **kwargs)
        with parent_context.update(context):
            request = getattr(table, "request", None)
            if self.template_code:
                parent_context["request"] = request
                return compiled(self.template_code).render(parent_context)
            return get_template(self.template_name).render(parent_context.flatten(), request=request)

    utils.signature = signature
    templatecolumn.TemplateColumn.render = render
    utils._qse_cached = True


_install_render_caches()
