from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from improvement.choices import PdcaStage
from improvement.models import Action, ActionPlan
from qse.api.viewsets import ScopedSerializer


class ActionPlanSerializer(ScopedSerializer):
    class Meta:
        model = ActionPlan
        fields = ["id", "url", "title", "description", "owner", "process", "site", "status", "due_on", "version", "archived_at"]
        read_only_fields = ["archived_at"]


class ActionSerializer(ScopedSerializer):
    is_closed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Action
        fields = [
            "id", "url", "title", "plan", "description", "deliverable", "owner", "process", "site",
            "origin_kind", "priority", "start_on", "due_on", "estimated_hours", "status", "progress", "done_on",
            "effectiveness_criterion", "effectiveness_checked_on", "effectiveness_result",
            "effectiveness_checked_by", "effectiveness_comment", "verifier", "is_closed", "version", "archived_at",
        ]
        read_only_fields = [
            "status", "done_on", "effectiveness_checked_on", "effectiveness_result",
            "effectiveness_checked_by", "effectiveness_comment", "archived_at",
        ]

    def validate(self, attrs):
        start, due = attrs.get("start_on"), attrs.get("due_on")
        if self.instance is not None:
            start = start if "start_on" in attrs else self.instance.start_on
            due = due if "due_on" in attrs else self.instance.due_on
        if start and due and start > due:
            raise serializers.ValidationError({"start_on": [_("The start date must not be after the due date.")]})
        return attrs


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Action._meta.get_field("status").choices)
    version = serializers.IntegerField(required=False)


class EffectivenessSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Action._meta.get_field("effectiveness_result").choices)
    checked_on = serializers.DateField()
    comment = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class ProgressSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)
    version = serializers.IntegerField(required=False)


class MoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=PdcaStage.choices)
