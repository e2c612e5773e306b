from rest_framework import serializers

from improvement.models import ImprovementProject, ProjectPhase, Suggestion
from improvement.models.suggestions import SuggestionDecision
from improvement.project_methods import ProjectMethod
from qse.api.viewsets import ScopedSerializer


class SuggestionSerializer(ScopedSerializer):
    support_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Suggestion
        fields = [
            "id", "url", "title", "description", "expected_benefit", "site", "process", "team", "author",
            "author_name", "channel", "status", "impact", "effort", "decision", "decision_reason", "duplicate_of",
            "reviewed_by", "decided_on", "implemented_on", "project", "support_count", "created_at", "version",
            "archived_at",
        ]
        read_only_fields = [
            "author", "author_name", "channel", "status", "impact", "effort", "decision", "decision_reason",
            "duplicate_of", "reviewed_by", "decided_on", "implemented_on", "project", "created_at", "archived_at",
        ]


class AssessSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=SuggestionDecision.choices)
    impact = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    effort = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    decision_reason = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    duplicate_of = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class SuggestionActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    deliverable = serializers.CharField(max_length=255, required=False, allow_blank=True)
    owner = serializers.IntegerField()
    due_on = serializers.DateField()


class SuggestionProjectSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    method = serializers.ChoiceField(choices=ProjectMethod.choices)
    leader = serializers.IntegerField()


class ImprovementProjectSerializer(ScopedSerializer):
    gain = serializers.SerializerMethodField()

    class Meta:
        model = ImprovementProject
        fields = [
            "id", "url", "title", "objective", "method", "leader", "team", "members", "site", "process", "status",
            "start_on", "due_on", "closed_on", "indicator", "unit", "direction", "baseline", "target", "result",
            "gain", "resistances", "blockers", "levers", "conclusion", "version", "archived_at",
        ]
        read_only_fields = ["closed_on", "archived_at"]

    def get_gain(self, obj) -> dict | None:
        gain = obj.gain
        if gain is None:
            return None
        return {"change": str(gain.change), "percent": str(gain.percent) if gain.percent is not None else None,
                "improved": gain.improved,
                "target_reached_percent": str(gain.target_reached_percent)
                if gain.target_reached_percent is not None else None}


class ProjectPhaseSerializer(ScopedSerializer):
    # ``name`` and ``deliverables`` are what was typed ("" for a method phase's own texts);
    # ``label`` and ``deliverables_text`` are what to show, in the request's language.
    label = serializers.CharField(read_only=True)
    deliverables_text = serializers.CharField(read_only=True)

    class Meta:
        model = ProjectPhase
        fields = ["id", "url", "project", "position", "key", "name", "label", "deliverables", "deliverables_text",
                  "status", "start_on", "due_on", "done_on", "notes", "version", "archived_at"]
        read_only_fields = ["project", "key", "archived_at"]
