from rest_framework import serializers

from context.models import (
    ClimateDecision,
    ContextIssue,
    InterestedParty,
    PartyExpectation,
    PolicyStatement,
    SwotItem,
)
from qse.api.viewsets import ScopedSerializer

READ_ONLY = ["archived_at"]


class PolicyStatementSerializer(ScopedSerializer):
    class Meta:
        model = PolicyStatement
        fields = [
            "id", "url", "kind", "text", "version_number", "approved_on", "approved_by", "covers_iso_9001",
            "covers_iso_14001", "covers_iso_45001", "sites", "activities", "exclusions", "version", "archived_at",
        ]
        read_only_fields = ["version_number", *READ_ONLY]


class ContextIssueSerializer(ScopedSerializer):
    class Meta:
        model = ContextIssue
        fields = [
            "id", "url", "title", "description", "origin", "pestel", "effect", "importance", "processes",
            "last_reviewed_on", "version", "archived_at",
        ]
        read_only_fields = READ_ONLY


class SwotItemSerializer(ScopedSerializer):
    class Meta:
        model = SwotItem
        fields = ["id", "url", "quadrant", "text", "issue", "risk", "action", "version", "archived_at"]
        read_only_fields = READ_ONLY


class InterestedPartySerializer(ScopedSerializer):
    priority = serializers.CharField(read_only=True)

    class Meta:
        model = InterestedParty
        fields = [
            "id", "url", "name", "category", "description", "influence", "interest", "priority",
            "last_reviewed_on", "version", "archived_at",
        ]
        read_only_fields = READ_ONLY


class PartyExpectationSerializer(ScopedSerializer):
    class Meta:
        model = PartyExpectation
        fields = ["id", "url", "party", "text", "is_compliance_obligation", "processes", "version", "archived_at"]
        read_only_fields = READ_ONLY


class ClimateDecisionSerializer(ScopedSerializer):
    class Meta:
        model = ClimateDecision
        fields = [
            "id", "url", "is_relevant", "justification", "physical_risks_considered", "transition_risks_considered",
            "parties_requirements", "decided_on", "decided_by", "next_review_on", "version", "archived_at",
        ]
        read_only_fields = ["next_review_on", *READ_ONLY]
        # Who decided defaults to the acting user (the service's rule), as on the page.
        extra_kwargs = {"decided_by": {"required": False}, "decided_on": {"required": False}}
