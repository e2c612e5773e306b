from django.utils.translation import gettext as _
from rest_framework import serializers

from qse.api.viewsets import ScopedSerializer
from risks import scoring
from risks.models import Risk, RiskMatrix


class MatrixJSONField(serializers.JSONField):
    """Accepts the JSON itself or a JSON text (as a form would post it)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            import json

            try:
                data = json.loads(data)
            except ValueError:
                self.fail("invalid")
        return super().to_internal_value(data)


class RiskMatrixSerializer(ScopedSerializer):
    scales = MatrixJSONField()
    bands = MatrixJSONField()

    class Meta:
        model = RiskMatrix
        fields = [
            "id", "url", "name", "description", "is_default", "acceptability_threshold", "scales", "bands",
            "source_library_id", "source_version", "version", "archived_at",
        ]
        read_only_fields = ["source_library_id", "source_version", "archived_at"]

    def validate(self, attrs):
        merged = {
            name: attrs.get(name, getattr(self.instance, name, None))
            for name in ("scales", "bands", "acceptability_threshold")
        }
        if all(value is not None for value in merged.values()):
            errors = scoring.matrix_errors(merged)
            if errors:
                raise serializers.ValidationError({"scales": errors})
        elif self.instance is None:
            raise serializers.ValidationError({"scales": [_("Scales, bands and threshold are required.")]})
        return attrs


class RiskSerializer(ScopedSerializer):
    class Meta:
        model = Risk
        fields = [
            "id", "url", "reference", "title", "kind", "domains", "process", "site", "source", "source_detail",
            "cause", "consequence", "existing_controls", "matrix",
            "inherent_gravity", "inherent_probability", "inherent_detectability", "inherent_score", "inherent_level",
            "treatment", "treatment_justification", "accepted_by",
            "residual_gravity", "residual_probability", "residual_detectability", "residual_score", "residual_level",
            "owner", "next_review_on", "status", "version", "archived_at",
        ]
        read_only_fields = ["inherent_score", "inherent_level", "residual_score", "residual_level", "archived_at"]
