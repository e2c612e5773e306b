"""API operations of the events module beyond the declared models' CRUD: the dashboard's
figures (open events, overdue declarations, TF/TG per month, site and rolling year, Pareto,
monthly trend), read through the selector the dashboard page reads; the event page's steps
(accept, declare, action) and a reporting point's new code, through the pages' services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from improvement.serializers import ActionSerializer
from nonconformities import selectors_dashboard, services
from nonconformities.models import ActionPurpose, Event, RootCause
from nonconformities.views_dashboard import DashboardFilterForm
from qse.api.operations import MemberApiView, month_parameter, plain
from qse.api.viewsets import ScopedRelatedField
from qse.models import Process
from qse.registry import register_api_path


class DashboardView(MemberApiView):
    """The events dashboard's figures for a period (12 months by default) and a site."""

    @extend_schema(
        parameters=[
            month_parameter("start", "First month, YYYY-MM."),
            month_parameter("end", "Last month, YYYY-MM."),
            OpenApiParameter("site", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        operation_id="nonconformities_dashboard_retrieve",
    )
    def get(self, request):
        now = timezone.now()
        form = DashboardFilterForm(request.query_params, user=request.user)
        if not form.is_valid():  # the page shows what it can; a client is told what is wrong
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        period = form.period(today=timezone.localdate(now))
        data = selectors_dashboard.events_dashboard(user=request.user, period=period, now=now)
        return Response({"period": plain(period), **plain(data)})


register_api_path("nonconformities/dashboard/", DashboardView.as_view(), "nonconformities-dashboard")


# --- the event page's steps ------------------------------------------------------------------


class AcceptSerializer(serializers.Serializer):
    owner = ScopedRelatedField(queryset=get_user_model().objects.all(), required=False, allow_null=True)
    process = ScopedRelatedField(queryset=Process.objects.all(), required=False, allow_null=True)
    severity = serializers.ChoiceField(choices=Event._meta.get_field("severity").choices, required=False)
    version = serializers.IntegerField(required=False)


class DeclareSerializer(serializers.Serializer):
    declared_on = serializers.DateField()
    version = serializers.IntegerField(required=False)


class EventActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    deliverable = serializers.CharField(max_length=255, required=False, allow_blank=True)
    owner = ScopedRelatedField(queryset=get_user_model().objects.all())
    due_on = serializers.DateField()
    effectiveness_criterion = serializers.CharField(required=False, allow_blank=True)
    purpose = serializers.ChoiceField(choices=ActionPurpose.choices, default=ActionPurpose.CORRECTIVE)
    root_cause = ScopedRelatedField(queryset=RootCause.objects.all(), required=False, allow_null=True)


class EventStepsApiMixin:
    """The event page's steps beyond the transition: triage acceptance, the declaration date
    of an accident, and a corrective or preventive action whose origin is the event."""

    step_verbs = {"accept": "change", "declare": "change", "actions": "view"}

    def verb_for(self, request) -> str:
        return self.step_verbs.get(getattr(self, "action", None)) or super().verb_for(request)

    def _event_answer(self, event):
        from nonconformities.serializers import EventSerializer

        return Response(EventSerializer(event, context=self.get_serializer_context()).data)

    @extend_schema(request=AcceptSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Triage: a reported event becomes open, with its person in charge and process."""
        from nonconformities.views_events import is_triager

        event = self.get_object()
        if not is_triager(request):
            raise ApiPermissionDenied()
        payload = AcceptSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        accepted = self._call(services.event_accept, event=event, acting_user=request.user, owner=data.get("owner"),
                              process=data.get("process"), severity=data.get("severity"),
                              expected_version=data.get("version"))
        return self._event_answer(accepted)

    @extend_schema(request=DeclareSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        """Record the date the accident was declared."""
        event = self.get_object()
        payload = DeclareSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        declared = self._call(services.event_declare, event=event, acting_user=request.user,
                              declared_on=payload.validated_data["declared_on"],
                              expected_version=payload.validated_data.get("version"))
        return self._event_answer(declared)

    @extend_schema(request=EventActionSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        """A corrective or preventive action whose origin is the event."""
        event = self.get_object()
        payload = EventActionSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        purpose, root_cause = data.pop("purpose"), data.pop("root_cause", None)
        created = self._call(services.event_action_create, event=event, acting_user=request.user, data=data,
                             purpose=purpose, root_cause=root_cause)
        return Response(ActionSerializer(created, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class RegenerateSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class ReportingPointApiMixin:
    def verb_for(self, request) -> str:
        if getattr(self, "action", None) == "regenerate":
            return "change"
        return super().verb_for(request)

    @extend_schema(request=RegenerateSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def regenerate(self, request, pk=None):
        """A new QR code for the point: the printed one stops working at once."""
        from nonconformities import services_public

        point = self.get_object()
        payload = RegenerateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        updated = self._call(services_public.reporting_point_regenerate, point=point, acting_user=request.user,
                             expected_version=payload.validated_data.get("version"))
        return Response(self.get_serializer(updated).data)
