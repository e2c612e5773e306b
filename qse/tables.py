"""Table base (django-tables2): sorting, pagination and CSV/XLSX export from one declaration."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


class ObjectTable(tables.Table):
    class Meta:
        attrs = {"class": "table"}
        empty_text = _("Nothing to show.")
        template_name = "qse/_table.html"


def linkify_detail(**kwargs):
    return tables.Column(linkify=True, **kwargs)
