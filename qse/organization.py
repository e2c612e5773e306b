"""Declarations of the organization's own records: sites and the process map."""

import django_filters
import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from qse.api.viewsets import ScopedSerializer
from qse.filtersets import ScopedFilterSet
from qse.forms import ScopedModelForm
from qse.models import Process, ProcessKind, Site
from qse.registry import add_nav, register
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews


class SiteForm(ScopedModelForm):
    class Meta:
        model = Site
        fields = ["name", "code", "address", "city", "headcount"]


class SiteTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Site
        fields = ["code", "name", "city", "headcount"]
        sequence = ["code", "name", "city", "headcount"]


class SiteSerializer(ScopedSerializer):
    class Meta:
        model = Site
        fields = ["id", "url", "name", "code", "address", "city", "headcount", "version", "archived_at"]
        read_only_fields = ["archived_at"]


@register
class SiteViews(ObjectViews):
    model = Site
    table = SiteTable
    form = SiteForm
    serializer = SiteSerializer
    import_fields = ["name", "code", "address", "city", "headcount"]
    nav_block = "settings"
    nav_order = 10


class ProcessForm(ScopedModelForm):
    class Meta:
        model = Process
        fields = ["code", "name", "kind", "owner", "parent", "purpose"]


class ProcessFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=ProcessKind.choices, label=_("kind"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = Process
        fields = ["kind", "owner"]


class ProcessTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Process
        fields = ["code", "name", "kind", "owner", "parent"]
        sequence = ["code", "name", "kind", "owner", "parent"]


class ProcessSerializer(ScopedSerializer):
    class Meta:
        model = Process
        fields = ["id", "url", "code", "name", "kind", "owner", "parent", "purpose", "version", "archived_at"]
        read_only_fields = ["archived_at"]


@register
class ProcessViews(ObjectViews):
    model = Process
    url_prefix = "processes"
    table = ProcessTable
    form = ProcessForm
    filterset = ProcessFilterSet
    serializer = ProcessSerializer
    import_fields = ["code", "name", "kind", "owner", "purpose"]
    nav_block = "analyse"
    nav_order = 10

    @classmethod
    def get_queryset(cls, request):
        return Process.objects.select_related("owner", "parent")

    @classmethod
    def detail_context(cls, request, obj):
        return {"sections": process_page_sections(request, obj)}


SECTION_ROWS = 10  # a process page stays short: the section links to the full, filtered list


def process_page_sections(request, process) -> list[dict]:
    """The records of each app about this process, as the user may see them: a fixed number
    of queries per section (its rows, its count), whatever the number of records."""
    from django.urls import reverse

    from qse.permissions import can
    from qse.registry import process_sections

    sections = []
    for section in process_sections():
        if not can(request.user, "view", section.model):
            continue
        rows = section.rows(request.user, process)
        table = section.table(rows[:SECTION_ROWS], request=request, orderable=False)
        keys = set(table.key_columns)
        for column in table.columns.iterall():
            if column.name not in keys:
                table.columns.hide(column.name)  # key columns only: the section fits the page
        sections.append({
            "label": section.label, "table": table, "count": rows.count(),
            "url": f"{reverse(section.list_url_name)}?process={process.pk}",
        })
    return sections


add_nav("analyse", _("Process map"), "qse:process_map", order=5)
