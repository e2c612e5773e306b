"""API steps of suggestions and improvement projects: the same services as the pages' buttons."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from improvement import selectors_ideas, services_projects, services_suggestions
from improvement.serializers import ActionSerializer
from improvement.serializers_ideas import (
    AssessSerializer,
    ImprovementProjectSerializer,
    SuggestionActionSerializer,
    SuggestionProjectSerializer,
    SuggestionSerializer,
    VersionSerializer,
)
from qse.forms import members_queryset


def _member(pk: int, field: str):
    """A member of the current organization, or a 400 naming the field."""
    member = members_queryset().filter(pk=pk).first()
    if member is None:
        raise serializers.ValidationError({field: [_("Choose a member of your organization.")]})
    return member


class _Steps:
    # Whoever sees the record reaches the step; the service decides who may take it.
    step_actions = frozenset()

    def verb_for(self, request) -> str:
        if getattr(self, "action", None) in self.step_actions:
            return "view"
        return super().verb_for(request)

    def _payload(self, serializer_class, request):
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    def _fresh(self, obj):
        return type(self).get_queryset(self).get(pk=obj.pk)


class SuggestionApiMixin(_Steps):
    step_actions = frozenset({"support", "start_review", "assess", "implement", "to_action", "to_project"})

    def _answer(self, suggestion):
        return Response(SuggestionSerializer(self._fresh(suggestion), context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def support(self, request, pk=None):
        """Support a colleague's suggestion (once)."""
        suggestion = self.get_object()
        self._call(services_suggestions.suggestion_support, suggestion=suggestion, acting_user=request.user)
        return self._answer(suggestion)

    @extend_schema(request=VersionSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        suggestion = self.get_object()
        data = self._payload(VersionSerializer, request)
        self._call(services_suggestions.suggestion_start_review, suggestion=suggestion, acting_user=request.user,
                   expected_version=data.get("version"))
        return self._answer(suggestion)

    @extend_schema(request=AssessSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        """Score (impact, effort 1-5) and decide: accepted, rejected (with a reason), duplicate."""
        suggestion = self.get_object()
        data = self._payload(AssessSerializer, request)
        duplicate_of = None
        if data.get("duplicate_of"):
            duplicate_of = selectors_ideas.suggestion_queryset().restrict(request.user, "view").filter(
                pk=data["duplicate_of"]).first()
            if duplicate_of is None:
                raise serializers.ValidationError({"duplicate_of": [_("Name another suggestion of your organization.")]})
        self._call(services_suggestions.suggestion_assess, suggestion=suggestion, acting_user=request.user,
                   decision=data["decision"], impact=data.get("impact"), effort=data.get("effort"),
                   reason=data.get("decision_reason", ""), duplicate_of=duplicate_of, today=timezone.localdate(),
                   expected_version=data.get("version"))
        return self._answer(suggestion)

    @extend_schema(request=VersionSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def implement(self, request, pk=None):
        suggestion = self.get_object()
        data = self._payload(VersionSerializer, request)
        self._call(services_suggestions.suggestion_mark_implemented, suggestion=suggestion, acting_user=request.user,
                   today=timezone.localdate(), expected_version=data.get("version"))
        return self._answer(suggestion)

    @extend_schema(request=SuggestionActionSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"], url_path="action")
    def to_action(self, request, pk=None):
        """Turn the accepted suggestion into an action (its origin is the suggestion)."""
        suggestion = self.get_object()
        data = dict(self._payload(SuggestionActionSerializer, request))
        data["owner"] = _member(data["owner"], "owner")
        created = self._call(services_suggestions.suggestion_to_action, suggestion=suggestion,
                             acting_user=request.user, data=data)
        return Response(ActionSerializer(created, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=SuggestionProjectSerializer, responses={201: ImprovementProjectSerializer})
    @action(detail=True, methods=["post"], url_path="project")
    def to_project(self, request, pk=None):
        """Turn the accepted suggestion into an improvement project."""
        suggestion = self.get_object()
        data = dict(self._payload(SuggestionProjectSerializer, request))
        data["leader"] = _member(data["leader"], "leader")
        created = self._call(services_suggestions.suggestion_to_project, suggestion=suggestion,
                             acting_user=request.user, data=data)
        return Response(ImprovementProjectSerializer(created, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class ProjectActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    deliverable = serializers.CharField(max_length=255, required=False, allow_blank=True)
    owner = serializers.IntegerField()
    due_on = serializers.DateField()


class ImprovementProjectApiMixin(_Steps):
    step_actions = frozenset({"close", "add_action"})

    @extend_schema(request=VersionSerializer, responses=ImprovementProjectSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the project (its baseline and measured result must be given)."""
        project = self.get_object()
        data = self._payload(VersionSerializer, request)
        self._call(services_projects.project_close, project=project, acting_user=request.user,
                   today=timezone.localdate(), expected_version=data.get("version"))
        return Response(ImprovementProjectSerializer(self._fresh(project), context=self.get_serializer_context()).data)

    @extend_schema(request=ProjectActionSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"], url_path="actions")
    def add_action(self, request, pk=None):
        """An action decided in the project (its origin is the project)."""
        project = self.get_object()
        data = dict(self._payload(ProjectActionSerializer, request))
        data["owner"] = _member(data["owner"], "owner")
        created = self._call(services_projects.project_add_action, project=project, acting_user=request.user,
                             data=data)
        return Response(ActionSerializer(created, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
