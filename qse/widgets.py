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
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


class SearchSelect(forms.Select):
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
            rows = list(field.queryset[: limit + 1])
            self.searching = len(rows) > limit
            if self.searching:
                ids = [v for v in value if str(v).isdigit()]
                rows = list(field.queryset.filter(pk__in=ids)) if ids else []
            # This widget is the field's own copy: its choices may be replaced for this drawing.
            self.choices = self._fixed_choices(field) + [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in rows]
        return super().optgroups(name, value, attrs)

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
