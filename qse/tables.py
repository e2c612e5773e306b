"""Table base (django-tables2): sorting, pagination and CSV/XLSX export from one declaration.

Columns generated from model fields render people by their full name and multi-valued
choice fields by their translated labels (registered in django-tables2's column library,
so every table declaring ``fields = [...]`` gets them, on screen and in exports)."""

import django_tables2 as tables
from django.contrib.auth import get_user_model
from django.contrib.postgres.fields import ArrayField
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


class ObjectTable(tables.Table):
    # Columns a list is read for: always shown, whatever the user's choice of columns.
    key_columns: tuple[str, ...] = ()
    # The columns shown until the user chooses (None: all); a wide table lists what fits 1024 px.
    default_columns: tuple[str, ...] | None = None

    class Meta:
        attrs = {"class": "table"}
        empty_text = _("Nothing to show.")
        template_name = "qse/_table.html"


def linkify_detail(**kwargs):
    return tables.Column(linkify=True, **kwargs)
