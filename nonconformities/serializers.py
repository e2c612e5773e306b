from rest_framework import serializers

from nonconformities.models import Event, HoursWorked, Person
from qse.api.viewsets import ScopedSerializer
from qse.fields import RestrictedFieldsSerializerMixin

EVENT_READ_ONLY = [
    "reference", "detected_by", "status", "channel", "cost_total", "closed_on", "rejection_reason", "declaration_due_at",
    "archived_at",
]


class EventSerializer(RestrictedFieldsSerializerMixin, ScopedSerializer):
    class Meta:
        model = Event
        fields = [
            "id", "url", "reference", "event_type", "title", "description", "status", "occurred_at", "detected_on",
            "site", "process", "product", "supplier", "third_party", "third_party_reference", "quantity_affected",
            "detected_by", "detected_by_name", "reporter_contact", "detection_method", "channel", "severity",
            "requirement_kind", "requirement", "owner", "cost_scrap", "cost_rework", "cost_downtime",
            "cost_penalties", "cost_other", "cost_total", "recurrence_of", "closed_on", "rejection_reason",
            "victim", "lost_time", "days_lost", "declaration_due_at", "declared_on", "version", "archived_at",
        ]
        read_only_fields = EVENT_READ_ONLY


class EventTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Event._meta.get_field("status").choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    version = serializers.IntegerField(required=False)


class EventInformationSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class PersonSerializer(ScopedSerializer):
    class Meta:
        model = Person
        fields = ["id", "url", "full_name", "employee_number", "job_title", "site", "is_temporary_worker", "version",
                  "archived_at"]
        read_only_fields = ["archived_at"]


class HoursWorkedSerializer(ScopedSerializer):
    class Meta:
        model = HoursWorked
        fields = ["id", "url", "site", "month", "hours", "version", "archived_at"]
        read_only_fields = ["archived_at"]
        validators = []  # the unique (organization, site, month) is checked by the service
