"""API serializers of the audits app."""

from rest_framework import serializers

from audits.models import Audit, Auditee, AuditorCompetence, AuditProgramme, Finding, ScheduleItem
from qse.api.viewsets import ScopedSerializer
from qse.standards import Standard


class AuditProgrammeSerializer(ScopedSerializer):
    class Meta:
        model = AuditProgramme
        fields = ["id", "url", "year", "title", "objectives", "owner", "version", "archived_at"]
        read_only_fields = ["archived_at"]


class AuditSerializer(ScopedSerializer):
    standards = serializers.ListField(child=serializers.ChoiceField(choices=Standard.choices), required=False)
    clauses = serializers.ListField(child=serializers.CharField(max_length=20), required=False)

    class Meta:
        model = Audit
        fields = [
            "id", "url", "programme", "reference", "title", "kind", "category", "status", "standards", "clauses",
            "scope", "criteria", "objectives", "process", "site", "supplier", "planned_start", "planned_end",
            "lead_auditor", "auditors", "follow_up_of", "opening_held_at", "opening_attendees", "opening_notes",
            "closing_held_at", "closing_attendees", "closing_notes", "auditee_representative", "strengths",
            "conclusion", "reported_on", "version", "archived_at",
        ]
        # The status moves only through the workflow (POST .../transition/).
        read_only_fields = ["status", "reported_on", "archived_at"]


class AuditeeSerializer(ScopedSerializer):
    class Meta:
        model = Auditee
        fields = ["id", "url", "audit", "person", "reason", "note", "version", "archived_at"]
        read_only_fields = ["audit", "archived_at"]


class ScheduleItemSerializer(ScopedSerializer):
    class Meta:
        model = ScheduleItem
        fields = ["id", "url", "audit", "starts_at", "ends_at", "activity", "subject", "location", "people", "version",
                  "archived_at"]
        read_only_fields = ["audit", "archived_at"]

    def validate(self, attrs):
        starts = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        ends = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if starts and ends and ends <= starts:
            from django.utils.translation import gettext as _

            raise serializers.ValidationError({"ends_at": [_("The item must end after it starts.")]})
        return attrs


class AuditorCompetenceSerializer(ScopedSerializer):
    standards = serializers.ListField(child=serializers.ChoiceField(choices=Standard.choices), required=False)

    class Meta:
        model = AuditorCompetence
        fields = ["id", "url", "auditor", "standards", "sectors", "training", "qualified_on", "version", "archived_at"]
        read_only_fields = ["archived_at"]


class FindingSerializer(serializers.ModelSerializer):
    event_reference = serializers.CharField(source="event.reference", read_only=True)
    event_status = serializers.CharField(source="event.status", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "answer", "event", "event_reference", "event_status", "result", "standard", "clause"]
        read_only_fields = fields


class AuditTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[])
    version = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from audits.choices import AuditStatus

        self.fields["status"].choices = AuditStatus.choices


class FollowUpSerializer(serializers.Serializer):
    planned_start = serializers.DateField()


class FindingLinkSerializer(serializers.Serializer):
    answer = serializers.IntegerField()
    event = serializers.IntegerField()


class AuditSignatureSerializer(serializers.Serializer):
    signer = serializers.ChoiceField(choices=["lead", "auditee"])
    name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    image = serializers.CharField(help_text="A PNG image as a data URL (data:image/png;base64,...).")
