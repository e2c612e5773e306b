"""List tables of the compliance pages (they also drive the CSV/XLSX exports)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from compliance import conditions
from compliance.models import (
    Applicability,
    Evaluation,
    IcpeClassification,
    Interlocutor,
    Requirement,
    SiteProfile,
    Source,
    Text,
    TextVersion,
    WatchItem,
)
from qse.tables import ObjectTable

STATUS_TAG = '<span class="tag compliance-{{ record.status }}">{{ record.get_status_display }}</span>'


class TextTable(ObjectTable):
    key_columns = ("reference", "title", "status")
    reference = tables.Column(linkify=True)
    requirement_count = tables.Column(verbose_name=_("requirements"), orderable=True)

    class Meta(ObjectTable.Meta):
        model = Text
        fields = ["reference", "title", "kind", "domains", "status", "effective_on", "requirement_count"]
        sequence = fields


class TextVersionTable(ObjectTable):
    number = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = TextVersion
        fields = ["number", "text", "effective_on", "modified_by_reference", "created_at"]
        sequence = fields


class RequirementTable(ObjectTable):
    key_columns = ("title", "text")
    title = tables.Column(linkify=True)
    conditions = tables.Column(verbose_name=_("applies to"), orderable=False)

    class Meta(ObjectTable.Meta):
        model = Requirement
        fields = ["text", "article", "title", "concerned", "evaluation_interval_months", "conditions",
                  "needs_reevaluation"]
        sequence = fields

    def render_conditions(self, value):
        return conditions.describe(value)

    def value_conditions(self, value):
        return conditions.describe(value)


class SiteProfileTable(ObjectTable):
    site = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(ObjectTable.Meta):
        model = SiteProfile
        fields = ["site", "activities", "is_seveso"]
        sequence = fields


class IcpeClassificationTable(ObjectTable):
    rubrique = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = IcpeClassification
        fields = ["rubrique", "site", "regime", "dated_on", "activity_level"]
        sequence = fields


class ApplicabilityTable(ObjectTable):
    key_columns = ("requirement", "site", "status")
    requirement = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(ObjectTable.Meta):
        model = Applicability
        fields = ["requirement", "site", "process", "status", "justification", "decided_on"]
        sequence = fields


class EvaluationTable(ObjectTable):
    key_columns = ("requirement", "site", "status", "next_due_on")
    requirement = tables.Column(linkify=lambda record: record.get_absolute_url())
    status = tables.TemplateColumn(STATUS_TAG, verbose_name=_("status"))

    class Meta(ObjectTable.Meta):
        model = Evaluation
        fields = ["requirement", "site", "status", "evaluated_on", "evaluator", "next_due_on", "is_current",
                  "needs_reevaluation"]
        sequence = fields

    def value_status(self, record):
        return record.get_status_display()


class InterlocutorTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Interlocutor
        fields = ["name", "kind", "body", "site", "last_contact_on", "next_visit_on"]
        sequence = fields


class SourceTable(ObjectTable):
    key_columns = ("name", "kind", "last_polled_at")
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Source
        fields = ["name", "kind", "domains", "interval_minutes", "is_active", "last_polled_at", "last_status",
                  "last_items", "error_count"]
        sequence = fields


class WatchItemTable(ObjectTable):
    key_columns = ("title", "status")
    select = tables.TemplateColumn(
        '{% if record.status == "new" %}<input type="checkbox" name="items" value="{{ record.pk }}" '
        'form="bulk-qualify" aria-label="{{ record.title }}">{% endif %}',
        verbose_name="", orderable=False, exclude_from_export=True,
    )
    title = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = WatchItem
        fields = ["select", "title", "source", "published_at", "status", "text"]
        sequence = fields
