from rest_framework import serializers

from improvement.models import (
    ImprovementTeam,
    TeamMember,
    TrainingRecord,
    TrainingTopic,
    WorkSession,
)
from improvement.models.sessions import AttendanceStatus
from improvement.models.teams import TeamRole
from qse.api.viewsets import ScopedSerializer


class ImprovementTeamSerializer(ScopedSerializer):
    class Meta:
        model = ImprovementTeam
        fields = ["id", "url", "name", "purpose", "leader", "sector", "product", "process", "site", "version",
                  "archived_at"]
        read_only_fields = ["archived_at"]


class TeamMemberSerializer(ScopedSerializer):
    class Meta:
        model = TeamMember
        fields = ["id", "url", "team", "user", "role", "competences", "objective", "version", "archived_at"]
        read_only_fields = ["team", "archived_at"]


class WorkSessionSerializer(ScopedSerializer):
    class Meta:
        model = WorkSession
        fields = ["id", "url", "team", "kind", "title", "topic", "starts_at", "duration_minutes", "place", "agenda",
                  "minutes", "difficulties", "invitation_sent_at", "version", "archived_at"]
        read_only_fields = ["team", "invitation_sent_at", "archived_at"]


class TrainingTopicSerializer(ScopedSerializer):
    required_team_roles = serializers.ListField(child=serializers.ChoiceField(choices=TeamRole.choices),
                                                required=False)

    class Meta:
        model = TrainingTopic
        fields = ["id", "url", "name", "domain", "description", "validity_months", "required_for_everyone",
                  "required_team_roles", "processes", "risks", "occupational_risks", "version", "archived_at"]
        read_only_fields = ["archived_at"]


class TrainingRecordSerializer(ScopedSerializer):
    class Meta:
        model = TrainingRecord
        fields = ["id", "url", "person", "topic", "trained_on", "trainer", "training_body", "valid_until", "session",
                  "comment", "version", "archived_at"]
        read_only_fields = ["valid_until", "session", "archived_at"]


# A person is named by their user id (an id beyond PostgreSQL's integer is a 400, not a 500).
PERSON_ID = {"min_value": 1, "max_value": 2**31 - 1}


class AttendanceEntrySerializer(serializers.Serializer):
    person = serializers.IntegerField(**PERSON_ID)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class AttendanceSerializer(serializers.Serializer):
    """Who was present, excused or absent (a person not yet invited is added)."""

    attendance = AttendanceEntrySerializer(many=True)
    version = serializers.IntegerField(required=False)


class CountermeasureSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    deliverable = serializers.CharField(max_length=255, required=False, allow_blank=True)
    owner = serializers.IntegerField(**PERSON_ID)
    due_on = serializers.DateField()
