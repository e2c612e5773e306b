"""A choice of a related record that never lists the whole table.

A large organization has 8,000 people, 2,500 processes and hundreds of plans: a <select>
holding every one of them made half of a list page's time and weighed on every form. Past
``QSE_CHOICES_INLINE`` records, the field renders only its chosen values plus a search box;
static/js/qse.js asks ``qse:choices`` for the records matching what is typed (restricted to
what the user may see, as the field's own queryset is) and fills the <select> with them.
Validation is unchanged: the field still checks the submitted id against its queryset."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Exists, Q, Subquery
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """``{{ value }}`` in a form template: localized and escaped unless already safe."""
    return render_value_in_context(value, _FORM_CONTEXT)


_FORM_CONTEXT = Context()  # only read (autoescape on, default localization): shared


def _attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_text(stringformat(value, "s"))}"')
    return "".join(out)


def select_html(widget: dict) -> str:
    """django/forms/widgets/select.html with select_option.html, character for character."""
    out = [f'<select name="{_text(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            out.append(f'\n  <option value="{_text(stringformat(option["value"], "s"))}"'
                       f'{_attrs_html(option["attrs"])}>{_text(option["label"])}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


# Django's input widgets whose template is only ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TEMPLATES = {f"django/forms/widgets/{name}.html" for name in (
    "checkbox", "color", "date", "datetime", "email", "hidden", "number", "password", "search", "tel", "text",
    "time", "url",
)}


def input_html(widget: dict) -> str:
    """django/forms/widgets/input.html, character for character."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(stringformat(value, "s"))}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs_html(widget["attrs"])}>'


class DrawnInPython:
    """A widget mixin: Django's own select and input templates written out in Python (same
    HTML; a filter form's dozen widgets went through some 60 template includes, ~2 ms a list
    page). Any other template (a project's, a widget's own) is rendered as usual."""

    def _render(self, template_name, context, renderer=None):
        if template_name == SELECT_TEMPLATE and getattr(self, "option_template_name", None) == OPTION_TEMPLATE:
            return mark_safe(select_html(context["widget"]))
        if template_name in INPUT_TEMPLATES:
            return mark_safe(input_html(context["widget"]))
        return super()._render(template_name, context, renderer)


_drawn_classes: dict[type, type] = {}


def draw_in_python(field) -> None:
    """Give a form field's widget (its own copy) the ``DrawnInPython`` rendering."""
    widget = field.widget
    cls = type(widget)
    if isinstance(widget, DrawnInPython) or isinstance(widget, forms.MultiWidget):
        return
    drawn = _drawn_classes.get(cls)
    if drawn is None:
        drawn = _drawn_classes[cls] = type(f"Drawn{cls.__name__}", (DrawnInPython, cls), {"__module__": __name__})
    widget.__class__ = drawn


class SearchSelect(DrawnInPython, forms.Select):
    """A <select> of related records that lists them when they are few, and otherwise only the
    chosen values beside a search box (see module doc). The choice is made when the field is
    drawn, from the one bounded query that lists them: no query when the form is only
    validated (an import validates a form per row), none more when it is drawn."""

    def __init__(self, model, attrs=None):
        super().__init__(attrs)
        self.model_label = model._meta.label_lower
        self.searching = False

    def _fixed_choices(self, field) -> list[tuple]:
        choices = []
        if field.empty_label is not None and not self.allow_multiple_selected:
            choices.append(("", field.empty_label))
        null_label = getattr(field, "null_label", None)
        if null_label is not None:
            choices.append((getattr(field, "null_value", "null"), null_label))
        return choices

    def optgroups(self, name, value, attrs=None):
        field = getattr(self.choices, "field", None)
        if field is not None:
            limit = settings.QSE_CHOICES_INLINE
            rows, self.searching = _rows_unless_more(field.queryset, limit)
            if self.searching:
                ids = [v for v in value if str(v).isdigit()]
                rows = list(field.queryset.filter(pk__in=ids)) if ids else []
            # This widget is the field's own copy: its choices may be replaced for this drawing.
            self.choices = self._fixed_choices(field) + [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in rows]
        return super().optgroups(name, value, attrs)

    # Up to ``QSE_CHOICES_INLINE`` options, each through two template includes, cost ~5 ms a
    # filter form: drawn in Python (``DrawnInPython``).

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        if not self.searching:
            return select
        select_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        search = format_html(
            '<input type="search" class="search-select-input" data-search-for="{}" data-search-url="{}"'
            ' placeholder="{}" aria-label="{}" autocomplete="off">',
            select_id, reverse("qse:choices", args=[self.model_label]), _("Type to search…"), _("Search"),
        )
        return mark_safe(f'<span class="search-select">{search}{select}</span>')


def _rows_unless_more(queryset, limit: int) -> tuple[list, bool]:
    """The queryset's rows if there are at most ``limit``, and whether there are more, in one
    query. Over the limit only one row comes back: loading ``limit + 1`` whole records to learn
    there are too many to list (people, processes, plans) was most of a filter form's time."""
    query = queryset.query
    if query.is_sliced or query.combinator or query.distinct:
        rows = list(queryset[: limit + 1])
        return rows, len(rows) > limit
    unordered = queryset.order_by()
    rows = list(
        queryset.annotate(_qse_more=Exists(unordered[limit: limit + 1]))
        .filter(Q(_qse_more=False) | Q(pk__in=Subquery(unordered.values("pk")[:1])))[: limit + 1]
    )
    more = bool(rows) and rows[0]._qse_more
    return ([] if more else rows), more


class SearchSelectMultiple(SearchSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # a multiple select sends nothing when nothing is chosen


def use_search_select(field) -> None:
    """Draw a related-record field with ``SearchSelect`` (kept: its widget's own attributes)."""
    queryset = getattr(field, "queryset", None)
    if queryset is None or isinstance(field.widget, (SearchSelect, forms.HiddenInput, forms.MultipleHiddenInput)):
        return
    many = isinstance(field, forms.ModelMultipleChoiceField)
    widget = (SearchSelectMultiple if many else SearchSelect)(queryset.model, attrs=field.widget.attrs)
    widget.is_required = field.widget.is_required
    widget.choices = field.choices
    field.widget = widget
