"""API serializers of the objectives app."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from objectives.choices import ObjectiveLevel, StandardClause
from objectives.models import (
    ActionDependency,
    Dashboard,
    DashboardTile,
    Indicator,
    Measurement,
    Objective,
    PolicyAxis,
)
from objectives.smart import SMART_FIELDS
from objectives.sources import source_choices, source_for
from qse.api.viewsets import ScopedSerializer


class PolicyAxisSerializer(ScopedSerializer):
    class Meta:
        model = PolicyAxis
        fields = ["id", "url", "title", "description", "order", "version", "archived_at"]
        read_only_fields = ["archived_at"]


class ObjectiveSerializer(ScopedSerializer):
    standards = serializers.ListField(child=serializers.ChoiceField(choices=StandardClause.choices), required=False)

    class Meta:
        model = Objective
        fields = [
            "id", "url", "level", "axis", "parent", "title", "description", "owner", "process", "site", "service",
            "target", "due_on", "status", "standards", "indicators", "action_plans", *SMART_FIELDS, "version",
            "archived_at",
        ]
        read_only_fields = ["archived_at"]

    def validate(self, attrs):
        parent = attrs.get("parent", getattr(self.instance, "parent", None))
        if parent is not None and parent.level != ObjectiveLevel.STRATEGIC:
            raise serializers.ValidationError({"parent": [_("An operational objective serves a strategic objective.")]})
        return attrs


class IndicatorSerializer(ScopedSerializer):
    source = serializers.ChoiceField(choices=(), required=False)

    class Meta:
        model = Indicator
        fields = [
            "id", "url", "code", "name", "definition", "purpose", "formula", "unit", "frequency", "direction", "target",
            "green_threshold", "red_threshold", "owner", "process", "site", "source", "source_parameter", "chart_kind",
            "baseline_from", "baseline_to", "version", "archived_at",
        ]
        read_only_fields = ["archived_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = source_choices()

    def validate(self, attrs):
        kind = attrs.get("source", getattr(self.instance, "source", "manual"))
        parameter = attrs.get("source_parameter", getattr(self.instance, "source_parameter", ""))
        source = source_for(kind)
        if source is not None and source.check_parameter and not source.check_parameter(parameter):
            raise serializers.ValidationError({"source_parameter": [str(source.parameter_help)]})
        return attrs


class MeasurementSerializer(ScopedSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "url", "indicator", "period_on", "value", "comment", "origin", "version", "archived_at"]
        read_only_fields = ["origin", "archived_at"]


class DashboardSerializer(ScopedSerializer):
    class Meta:
        model = Dashboard
        fields = ["id", "url", "title", "scope", "site", "process", "period_months", "version", "archived_at"]
        read_only_fields = ["archived_at"]


class DashboardTileSerializer(ScopedSerializer):
    class Meta:
        model = DashboardTile
        fields = ["id", "url", "dashboard", "indicator", "order", "size", "period_months", "version", "archived_at"]
        read_only_fields = ["dashboard", "archived_at"]


class ActionDependencySerializer(ScopedSerializer):
    class Meta:
        model = ActionDependency
        fields = ["id", "url", "predecessor", "successor", "lag_days", "version", "archived_at"]
        read_only_fields = ["archived_at"]


class GanttMoveSerializer(serializers.Serializer):
    start_on = serializers.DateField()
    due_on = serializers.DateField()
    version = serializers.IntegerField()
    apply = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if attrs["start_on"] > attrs["due_on"]:
            raise serializers.ValidationError({"start_on": [_("The start date must not be after the due date.")]})
        return attrs
