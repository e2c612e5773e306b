import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from improvement.models import ImprovementProject, ProjectPhase, Suggestion
from qse.tables import ObjectTable


class SuggestionTable(ObjectTable):
    key_columns = ("title", "status")
    default_columns = ("title", "author", "team", "site", "status", "support_count", "created_at")
    title = tables.Column(linkify=True)
    author = tables.Column(verbose_name=_("author"), accessor="author_label", orderable=False)
    support_count = tables.Column(verbose_name=_("supports"), orderable=True)
    status = tables.TemplateColumn(
        '<span class="tag status-{{ record.status }}">{{ record.get_status_display }}</span>', verbose_name=_("status")
    )
    created_at = tables.DateColumn(verbose_name=_("proposed on"), short=True)

    class Meta(ObjectTable.Meta):
        model = Suggestion
        fields = ["title", "author", "team", "process", "site", "status", "impact", "effort", "support_count",
                  "created_at"]
        sequence = fields

    def value_status(self, record):
        return record.get_status_display()


class ImprovementProjectTable(ObjectTable):
    key_columns = ("title", "method", "status")
    title = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = ImprovementProject
        fields = ["title", "method", "leader", "team", "site", "status", "start_on", "due_on", "baseline", "result"]
        sequence = fields


class ProjectPhaseTable(ObjectTable):
    # The method's name in the reader's language, or the one typed (not sortable: not a column).
    name = tables.Column(linkify=True, accessor="label", orderable=False, verbose_name=_("phase"))

    class Meta(ObjectTable.Meta):
        model = ProjectPhase
        fields = ["position", "name", "status", "start_on", "due_on", "done_on"]
        sequence = fields
