"""API operations of periodic checks beyond CRUD, each through the page's service: loading
the starter library of check types, archiving a report (its check's dates follow) and the
action that lifts an observation."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from improvement.serializers import ActionSerializer
from qse.api.viewsets import ArchiveSerializer
from qse.forms import members_queryset


class CheckTypeApiMixin:
    """``POST .../check-types/load-library/``: the starter library's check types the
    organization does not have yet (in the request's language)."""

    def verb_for(self, request) -> str:
        if getattr(self, "action", None) == "load_library":
            return "add"
        return super().verb_for(request)

    @extend_schema(request=None, responses={200: inline_serializer("CheckTypesLoaded", {"added": serializers.IntegerField()})})
    @action(detail=False, methods=["post"], url_path="load-library")
    def load_library(self, request):
        from compliance import library_checks, services_checks

        added = self._call(services_checks.check_types_load, acting_user=request.user,
                           entries=library_checks.check_type_entries(), language=get_language() or "fr")
        return Response({"added": added})


class CheckReportApiMixin:
    """Archiving a report goes through its service: the check's due date no longer counts it."""

    @extend_schema(request=ArchiveSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        from compliance import services_checks

        report = self.get_object()
        self._call(services_checks.check_report_archive, report=report, acting_user=request.user,
                   reason=request.data.get("reason", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ObservationActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    deliverable = serializers.CharField(max_length=255, required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.none())
    due_on = serializers.DateField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_queryset()


class CheckObservationApiMixin:
    """``POST .../check-observations/{id}/actions/``: the action that lifts the observation."""

    def verb_for(self, request) -> str:
        if getattr(self, "action", None) == "actions":
            return "view"  # the action's own add right is the service's to check
        return super().verb_for(request)

    @extend_schema(request=ObservationActionSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        from compliance import services_checks

        observation = self.get_object()
        payload = ObservationActionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        created = self._call(services_checks.observation_action_create, observation=observation,
                             acting_user=request.user, data=payload.validated_data)
        return Response(ActionSerializer(created, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
