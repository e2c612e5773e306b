from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from improvement.models import ManagementReview, ReviewDecision, ReviewInput
from qse.api.viewsets import ScopedSerializer
from qse.standards import Standard


class ManagementReviewSerializer(ScopedSerializer):
    standards = serializers.ListField(child=serializers.ChoiceField(choices=Standard.choices), required=False)

    class Meta:
        model = ManagementReview
        fields = [
            "id", "url", "title", "kind", "process", "period_start", "period_end", "sites", "standards", "status",
            "collected_at", "held_on", "attendees", "minutes", "version", "archived_at",
        ]
        read_only_fields = ["status", "collected_at", "archived_at"]

    def validate(self, attrs):
        start = attrs.get("period_start", getattr(self.instance, "period_start", None))
        end = attrs.get("period_end", getattr(self.instance, "period_end", None))
        if start and end and start > end:
            raise serializers.ValidationError({"period_end": [_("The period must start before it ends.")]})
        return attrs


class ReviewDecisionSerializer(ScopedSerializer):
    class Meta:
        model = ReviewDecision
        fields = ["id", "url", "category", "text", "owner", "due_on", "communicated_to_workers", "action", "version",
                  "archived_at"]
        read_only_fields = ["action", "archived_at"]


class ReviewInputSerializer(serializers.ModelSerializer):
    """An input as frozen at collection: its figures in the reader's language."""

    figures = serializers.SerializerMethodField()

    class Meta:
        model = ReviewInput
        fields = ["id", "section_key", "clause_refs", "position", "figures", "comment", "version"]
        read_only_fields = fields

    def get_figures(self, obj) -> dict | None:
        language = self.context.get("language", "fr")
        return (obj.payload or {}).get(language) if obj.payload else None


class ReviewStepSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["collected", "held", "closed"])
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class ReviewCommentSerializer(serializers.Serializer):
    input = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text=_("The review input's id."))
    comment = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
