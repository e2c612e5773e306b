import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from context.models import (
    ClimateDecision,
    ContextIssue,
    InterestedParty,
    PartyExpectation,
    PolicyStatement,
    SwotItem,
)
from qse.tables import ObjectTable


class PolicyStatementTable(ObjectTable):
    kind = tables.Column(linkify=True)
    standards = tables.Column(accessor="standards", verbose_name=_("standards"), orderable=False)

    class Meta(ObjectTable.Meta):
        model = PolicyStatement
        fields = ["kind", "version_number", "approved_on", "approved_by", "standards"]
        sequence = fields

    def render_standards(self, value):
        return ", ".join(value)

    def value_standards(self, value):
        return ", ".join(value)


class ContextIssueTable(ObjectTable):
    title = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = ContextIssue
        fields = ["title", "origin", "pestel", "effect", "importance", "last_reviewed_on"]
        sequence = fields


class SwotItemTable(ObjectTable):
    text = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = SwotItem
        fields = ["quadrant", "text", "issue", "action"]
        sequence = fields


class InterestedPartyTable(ObjectTable):
    name = tables.Column(linkify=True)
    priority = tables.Column(accessor="priority", verbose_name=_("priority"), orderable=False)

    class Meta(ObjectTable.Meta):
        model = InterestedParty
        fields = ["name", "category", "influence", "interest", "priority", "last_reviewed_on"]
        sequence = fields

    def render_priority(self, value):
        return value.label

    def value_priority(self, value):
        return value.label


class PartyExpectationTable(ObjectTable):
    text = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = PartyExpectation
        fields = ["text", "party", "is_compliance_obligation"]
        sequence = fields


class ClimateDecisionTable(ObjectTable):
    decided_on = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = ClimateDecision
        fields = ["decided_on", "is_relevant", "decided_by", "next_review_on"]
        sequence = fields
