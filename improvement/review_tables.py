"""List tables of management reviews and their decisions (also drive CSV/XLSX exports)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from improvement.models import ManagementReview, ReviewDecision
from qse.tables import ObjectTable, PersonColumn


class ManagementReviewTable(ObjectTable):
    key_columns = ("title", "period_end", "status")
    title = tables.Column(linkify=True)
    status = tables.TemplateColumn(
        '<span class="tag status-{{ record.status }}">{{ record.get_status_display }}</span>', verbose_name=_("status")
    )

    class Meta(ObjectTable.Meta):
        model = ManagementReview
        fields = ["title", "kind", "process", "period_start", "period_end", "held_on", "status"]
        sequence = fields

    def value_status(self, record):
        return record.get_status_display()


class ReviewDecisionTable(ObjectTable):
    key_columns = ("text", "owner", "due_on")
    text = tables.Column(linkify=True)
    owner = PersonColumn(accessor="owner", verbose_name=_("owner"), order_by=("owner__last_name", "owner__first_name"))
    action = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = ReviewDecision
        fields = ["category", "text", "owner", "due_on", "communicated_to_workers", "action"]
        sequence = fields
