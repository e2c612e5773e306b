"""API steps of a work session beyond CRUD (the page's buttons call the same services)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from improvement import services_teams
from improvement.serializers import ActionSerializer
from improvement.serializers_teams import (
    AttendanceSerializer,
    CountermeasureSerializer,
    WorkSessionSerializer,
)


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class TrainingTopicApiMixin:
    def verb_for(self, request) -> str:
        # Whoever sees the topic reaches the step; adding an action asks the action's add right.
        if getattr(self, "action", None) == "actions":
            return "view"
        return super().verb_for(request)

    @extend_schema(request=CountermeasureSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request, *args, **kwargs):
        """An action linked to the topic (a training gap to close, a renewal to organise)."""
        topic = self.get_object()
        payload = CountermeasureSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data["owner"] = self._call(WorkSessionApiMixin._check_members, [data["owner"]])[0]
        created = self._call(services_teams.topic_add_action, topic=topic, acting_user=request.user, data=data)
        return Response(ActionSerializer(created, context=self.get_serializer_context()).data, status=201)


class WorkSessionApiMixin:
    STEPS = {"attendance", "countermeasures", "invitation", "training"}

    def verb_for(self, request) -> str:
        # Whoever sees the session reaches the step; the service asks the right it needs.
        if getattr(self, "action", None) in self.STEPS:
            return "view"
        return super().verb_for(request)

    @extend_schema(request=AttendanceSerializer, responses=WorkSessionSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, *args, **kwargs):
        """Record who was present, excused or absent; a person not yet invited is added."""
        session = self.get_object()
        payload = AttendanceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        statuses = {row["person"]: row["status"] for row in payload.validated_data["attendance"]}
        updated = self._call(services_teams.session_record_attendance, session=session, acting_user=request.user,
                             statuses=statuses, expected_version=payload.validated_data.get("version"))
        return Response(WorkSessionSerializer(updated, context=self.get_serializer_context()).data)

    @extend_schema(request=CountermeasureSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"])
    def countermeasures(self, request, *args, **kwargs):
        """A counter-measure decided at the session, created as an action whose origin is the session."""
        session = self.get_object()
        payload = CountermeasureSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data["owner"] = self._call(self._check_members, [data["owner"]])[0]
        created = self._call(services_teams.session_add_countermeasure, session=session, acting_user=request.user,
                             data=data)
        return Response(ActionSerializer(created, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=None, responses=CountSerializer)
    @action(detail=True, methods=["post"])
    def invitation(self, request, *args, **kwargs):
        """E-mail the invited people the session's iCalendar invitation."""
        count = self._call(services_teams.session_send_invitation, session=self.get_object(), acting_user=request.user)
        return Response({"count": count})

    @extend_schema(request=None, responses=CountSerializer)
    @action(detail=True, methods=["post"])
    def training(self, request, *args, **kwargs):
        """An awareness session given: a training record for each person present."""
        count = self._call(services_teams.session_record_training, session=self.get_object(), acting_user=request.user)
        return Response({"count": count})

    @staticmethod
    def _check_members(person_ids: list[int]) -> list:
        """The people named, who must be members of the organization (else a 400, not a 500)."""
        from qse.forms import members_queryset

        people = {user.pk: user for user in members_queryset().filter(pk__in=person_ids)}
        missing = [pk for pk in person_ids if pk not in people]
        if missing:
            raise ValidationError(_("Not a member of the organization: {ids}.").format(ids=missing))
        return [people[pk] for pk in person_ids]
