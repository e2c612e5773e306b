"""The records an event holds (immediate actions, 5 whys, Ishikawa causes, root causes),
declared as children of the event on the generic views: nested pages
(``events/<event_pk>/whys/``) and nested API routes
(``/api/v1/nonconformities/events/{event_pk}/whys/``), each write through the same service
as the event page's in-place editing (``views_analysis``, ``views_events``).
"""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from improvement.models import Action
from improvement.serializers import ActionSerializer
from nonconformities import services, services_analysis
from nonconformities.forms_analysis import (
    ImmediateActionModelForm,
    IshikawaCauseModelForm,
    RootCauseModelForm,
    WhyStepModelForm,
)
from nonconformities.models import (
    ActionPurpose,
    Event,
    ImmediateAction,
    IshikawaCause,
    RootCause,
    WhyStep,
)
from nonconformities.views_events import EventViews  # noqa: F401  (the parent is declared first)
from qse.api.viewsets import ScopedSerializer
from qse.registry import register
from qse.tables import ObjectTable
from qse.views.declarations import ObjectViews

EVENT = ("event", Event, "event")


def _child_link(record) -> str:
    meta = record._meta
    return reverse(f"{meta.app_label}:{meta.model_name}_detail", args=[record.event_id, record.pk])


# --- tables ------------------------------------------------------------------------------


class WhyStepTable(ObjectTable):
    question = tables.Column(linkify=_child_link)

    class Meta(ObjectTable.Meta):
        model = WhyStep
        fields = ["question", "answer", "parent", "is_root_cause"]
        sequence = fields


class IshikawaCauseTable(ObjectTable):
    text = tables.Column(linkify=_child_link)

    class Meta(ObjectTable.Meta):
        model = IshikawaCause
        fields = ["category", "text", "parent", "is_root_cause"]
        sequence = fields


class RootCauseTable(ObjectTable):
    description = tables.Column(linkify=_child_link)

    class Meta(ObjectTable.Meta):
        model = RootCause
        fields = ["category", "description", "is_escape_point", "validated_on"]
        sequence = fields


class ImmediateActionTable(ObjectTable):
    description = tables.Column(linkify=_child_link)

    class Meta(ObjectTable.Meta):
        model = ImmediateAction
        fields = ["description", "done_by", "done_by_name", "done_at", "quantity_contained"]
        sequence = fields


# --- serializers (parse only: the services decide) ------------------------------------------


class WhyStepSerializer(ScopedSerializer):
    class Meta:
        model = WhyStep
        fields = ["id", "url", "event", "parent", "question", "answer", "is_root_cause", "position", "version",
                  "archived_at"]
        read_only_fields = ["event", "is_root_cause", "position", "archived_at"]


class IshikawaCauseSerializer(ScopedSerializer):
    class Meta:
        model = IshikawaCause
        fields = ["id", "url", "event", "category", "parent", "text", "is_root_cause", "position", "version",
                  "archived_at"]
        read_only_fields = ["event", "is_root_cause", "position", "archived_at"]
        extra_kwargs = {"category": {"required": False}}


class RootCauseSerializer(ScopedSerializer):
    class Meta:
        model = RootCause
        fields = ["id", "url", "event", "category", "description", "is_escape_point", "why_step", "ishikawa_cause",
                  "validated_on", "validated_by", "validation_evidence", "version", "archived_at"]
        read_only_fields = ["event", "why_step", "ishikawa_cause", "validated_on", "validated_by",
                            "validation_evidence", "archived_at"]


class ImmediateActionSerializer(ScopedSerializer):
    class Meta:
        model = ImmediateAction
        fields = ["id", "url", "event", "description", "done_by", "done_by_name", "done_at", "quantity_contained",
                  "version", "archived_at"]
        read_only_fields = ["event", "archived_at"]


class MarkRootCauseSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=RootCause._meta.get_field("category").choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class RetainSerializer(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ValidateSerializer(serializers.Serializer):
    validation_evidence = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(required=False)


class RootCauseActionSerializer(ScopedSerializer):
    """The action to create for a root cause, and whether it corrects or prevents."""

    purpose = serializers.ChoiceField(choices=ActionPurpose.choices, default=ActionPurpose.CORRECTIVE)

    class Meta:
        model = Action
        fields = ["title", "deliverable", "owner", "start_on", "due_on", "priority", "effectiveness_criterion",
                  "purpose"]


# --- API steps ---------------------------------------------------------------------------


class StepVerbs:
    """Steps change the record they are posted on; ``step_verbs`` says which verb each asks."""

    step_verbs: dict[str, str] = {}

    def verb_for(self, request) -> str:
        return self.step_verbs.get(getattr(self, "action", None)) or super().verb_for(request)

    def _answer(self, instance, serializer_class, code=status.HTTP_200_OK):
        return Response(serializer_class(instance, context=self.get_serializer_context()).data, status=code)


class WhyStepApiMixin(StepVerbs):
    step_verbs = {"root_cause": "change"}

    @extend_schema(request=MarkRootCauseSerializer, responses={201: RootCauseSerializer})
    @action(detail=True, methods=["post"], url_path="root-cause")
    def root_cause(self, request, *args, **kwargs):
        """End the branch: this answer is a root cause (to validate)."""
        step = self.get_object()
        payload = MarkRootCauseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        cause = self._call(services_analysis.why_step_mark_root_cause, step=step, acting_user=request.user,
                           category=payload.validated_data["category"],
                           description=payload.validated_data.get("description", ""))
        return self._answer(cause, RootCauseSerializer, status.HTTP_201_CREATED)


class IshikawaCauseApiMixin(StepVerbs):
    step_verbs = {"retain": "change"}

    @extend_schema(request=RetainSerializer, responses={201: RootCauseSerializer})
    @action(detail=True, methods=["post"])
    def retain(self, request, *args, **kwargs):
        """Retain this cause of the diagram as a root cause (to validate)."""
        cause = self.get_object()
        payload = RetainSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        root = self._call(services_analysis.ishikawa_cause_retain, cause=cause, acting_user=request.user,
                          description=payload.validated_data.get("description", ""))
        return self._answer(root, RootCauseSerializer, status.HTTP_201_CREATED)


class RootCauseApiMixin(StepVerbs):
    # Creating the action is decided by the service (the action and its link's add rights).
    step_verbs = {"validate": "change", "actions": "view"}

    @extend_schema(request=ValidateSerializer, responses=RootCauseSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request, *args, **kwargs):
        """Confirm the root cause with its evidence (who and when are kept)."""
        cause = self.get_object()
        payload = ValidateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        validated = self._call(services_analysis.root_cause_validate, root_cause=cause, acting_user=request.user,
                               evidence=data["validation_evidence"], today=timezone.localdate(),
                               expected_version=data.get("version"))
        return self._answer(validated, RootCauseSerializer)

    @extend_schema(request=RootCauseActionSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request, *args, **kwargs):
        """Create the corrective or preventive action addressing this root cause."""
        cause = self.get_object()
        payload = RootCauseActionSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = {k: v for k, v in payload.validated_data.items() if k != "purpose"}
        link = self._call(services_analysis.corrective_action_create, acting_user=request.user, root_cause=cause,
                          data=data, purpose=payload.validated_data["purpose"])
        return self._answer(link.action, ActionSerializer, status.HTTP_201_CREATED)


# --- declarations ------------------------------------------------------------------------


class EventChildViews(ObjectViews):
    """What every record an event holds shares: its pages and API routes under the event."""

    parent = EVENT
    detail_exclude = (*ObjectViews.detail_exclude, "event", "position")

    @classmethod
    def get_queryset(cls, request):
        return cls.model.objects.select_related("event")


class AnalysisTreeViews(EventChildViews):
    """A step or cause is removed with what hangs below it (one that led to a root cause
    stays, as evidence): the same service as the "remove" button of the event page."""

    @classmethod
    def archive(cls, request, instance, reason: str = ""):
        return services_analysis.analysis_item_remove(item=instance, acting_user=request.user)


@register
class WhyStepViews(AnalysisTreeViews):
    model = WhyStep
    url_prefix = "whys"
    table = WhyStepTable
    form = WhyStepModelForm
    serializer = WhyStepSerializer
    api_mixins = (WhyStepApiMixin,)

    @classmethod
    def create(cls, request, data: dict):
        return services_analysis.why_step_add(acting_user=request.user, event=data["event"], parent=data.get("parent"),
                                              question=data.get("question", ""), answer=data.get("answer", ""))

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services_analysis.why_step_update(
            step=instance, acting_user=request.user, question=data.get("question", instance.question),
            answer=data.get("answer", instance.answer), expected_version=expected_version,
        )


@register
class IshikawaCauseViews(AnalysisTreeViews):
    model = IshikawaCause
    url_prefix = "causes"
    table = IshikawaCauseTable
    form = IshikawaCauseModelForm
    serializer = IshikawaCauseSerializer
    api_mixins = (IshikawaCauseApiMixin,)

    @classmethod
    def create(cls, request, data: dict):
        return services_analysis.ishikawa_cause_add(
            acting_user=request.user, event=data["event"], parent=data.get("parent"),
            category=data.get("category", ""), text=data.get("text", ""),
        )

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services_analysis.ishikawa_cause_update(cause=instance, acting_user=request.user,
                                                       text=data.get("text", instance.text),
                                                       expected_version=expected_version)


@register
class RootCauseViews(EventChildViews):
    model = RootCause
    url_prefix = "root-causes"
    table = RootCauseTable
    form = RootCauseModelForm
    serializer = RootCauseSerializer
    api_mixins = (RootCauseApiMixin,)

    @classmethod
    def create(cls, request, data: dict):
        return services_analysis.root_cause_create(
            acting_user=request.user, event=data["event"], category=data.get("category", ""),
            description=data.get("description", ""), is_escape_point=data.get("is_escape_point", False),
        )

    @classmethod
    def update(cls, request, instance, data: dict, expected_version: int | None):
        return services_analysis.root_cause_update(root_cause=instance, acting_user=request.user, data=data,
                                                   expected_version=expected_version)


@register
class ImmediateActionViews(EventChildViews):
    model = ImmediateAction
    url_prefix = "immediate-actions"
    table = ImmediateActionTable
    form = ImmediateActionModelForm
    serializer = ImmediateActionSerializer

    @classmethod
    def initial_for(cls, request):
        return {"done_at": timezone.localtime().replace(second=0, microsecond=0)}

    @classmethod
    def create(cls, request, data: dict):
        event = data.pop("event")
        return services.immediate_action_create(event=event, acting_user=request.user, data=data)


def urls() -> list:
    return [*ImmediateActionViews.urls(), *WhyStepViews.urls(), *IshikawaCauseViews.urls(), *RootCauseViews.urls()]
