from rest_framework import serializers

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
from qse.api.viewsets import ScopedSerializer

READ_ONLY = ["archived_at"]


class TextSerializer(ScopedSerializer):
    class Meta:
        model = Text
        fields = [
            "id", "url", "kind", "reference", "title", "nor", "celex", "eli", "edition", "signed_on", "published_on",
            "effective_on", "status", "repealed_on", "domains", "themes", "official_url", "readable_url", "summary",
            "version", "archived_at",
        ]
        read_only_fields = READ_ONLY


class TextVersionSerializer(ScopedSerializer):
    class Meta:
        model = TextVersion
        fields = ["id", "url", "text", "number", "effective_on", "modified_by_reference", "summary", "articles",
                  "change_note", "version", "archived_at"]
        read_only_fields = ["number", *READ_ONLY]


class RequirementSerializer(ScopedSerializer):
    class Meta:
        model = Requirement
        fields = [
            "id", "url", "text", "article", "title", "description", "concerned", "evidence_expected",
            "evaluation_interval_months", "domains", "themes", "conditions", "is_normative", "needs_reevaluation",
            "version", "archived_at",
        ]
        read_only_fields = ["needs_reevaluation", *READ_ONLY]

    def validate_conditions(self, value):
        problems = conditions.errors(value)
        if problems:
            raise serializers.ValidationError(problems)
        return value


class SiteProfileSerializer(ScopedSerializer):
    class Meta:
        model = SiteProfile
        fields = ["id", "url", "site", "activities", "is_seveso", "notes", "version", "archived_at"]
        read_only_fields = READ_ONLY


class IcpeClassificationSerializer(ScopedSerializer):
    class Meta:
        model = IcpeClassification
        fields = ["id", "url", "site", "rubrique", "regime", "dated_on", "activity_level", "act_reference", "version",
                  "archived_at"]
        read_only_fields = READ_ONLY


class ApplicabilitySerializer(ScopedSerializer):
    class Meta:
        model = Applicability
        fields = ["id", "url", "requirement", "site", "process", "status", "justification", "decided_on", "version",
                  "archived_at"]
        read_only_fields = READ_ONLY


class EvaluationSerializer(ScopedSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "url", "requirement", "site", "status", "evaluated_on", "evaluator", "findings",
                  "next_due_on", "is_current", "needs_reevaluation", "version", "archived_at"]
        read_only_fields = ["is_current", "needs_reevaluation", *READ_ONLY]


class InterlocutorSerializer(ScopedSerializer):
    class Meta:
        model = Interlocutor
        fields = ["id", "url", "kind", "name", "body", "site", "email", "phone", "requires", "last_contact_on",
                  "next_visit_on", "version", "archived_at"]
        read_only_fields = READ_ONLY


class SourceSerializer(ScopedSerializer):
    class Meta:
        model = Source
        fields = ["id", "url", "name", "kind", "address", "domains", "themes", "query", "interval_minutes", "is_active",
                  "client_id", "client_secret", "token_url", "last_polled_at", "last_status", "last_items",
                  "last_error", "error_count", "next_poll_at", "version", "archived_at"]
        read_only_fields = ["last_polled_at", "last_status", "last_items", "last_error", "error_count",
                            "next_poll_at", *READ_ONLY]
        # The secret is written, never read back.
        extra_kwargs = {"client_secret": {"write_only": True, "required": False}}


class WatchItemSerializer(ScopedSerializer):
    class Meta:
        model = WatchItem
        fields = ["id", "url", "source", "guid", "title", "link", "summary", "published_at", "identifiers", "status",
                  "reason", "qualified_by", "qualified_at", "text", "text_version", "version", "archived_at"]
        read_only_fields = ["guid", "identifiers", "status", "reason", "qualified_by", "qualified_at", "text",
                            "text_version", *READ_ONLY]
