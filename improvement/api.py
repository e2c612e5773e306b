"""API actions beyond CRUD: workflow steps of an action."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from improvement import services
from improvement.serializers import (
    ActionSerializer,
    EffectivenessSerializer,
    MoveSerializer,
    ProgressSerializer,
    TransitionSerializer,
)


class ActionApiMixin:
    def verb_for(self, request) -> str:
        # Whoever may see the action reaches the check; the service decides who may record it
        # (a named verifier may have no right to change the action).
        if getattr(self, "action", None) == "effectiveness":
            return "view"
        if getattr(self, "action", None) in {"transition", "progress", "move"}:
            return "change"
        return super().verb_for(request)

    @extend_schema(request=TransitionSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        action = self.get_object()  # 404 before anything is said about the payload
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        updated = self._call(
            services.action_transition, action=action, acting_user=request.user,
            to_status=payload.validated_data["status"], today=timezone.localdate(),
            expected_version=payload.validated_data.get("version"),
        )
        return Response(ActionSerializer(updated, context=self.get_serializer_context()).data)

    @extend_schema(request=EffectivenessSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def effectiveness(self, request, pk=None):
        action = self.get_object()
        payload = EffectivenessSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        updated = self._call(
            services.action_record_effectiveness, action=action, acting_user=request.user,
            result=data["result"], checked_on=data["checked_on"], comment=data.get("comment", ""),
            expected_version=data.get("version"),
        )
        return Response(ActionSerializer(updated, context=self.get_serializer_context()).data)

    @extend_schema(request=ProgressSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """The owner's quick update (as on "My actions"): progress, and a comment."""
        action = self.get_object()
        payload = ProgressSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        updated = self._call(
            services.action_report_progress, action=action, acting_user=request.user, progress=data["progress"],
            today=timezone.localdate(), expected_version=data.get("version"), comment=data.get("comment", ""),
        )
        return Response(ActionSerializer(updated, context=self.get_serializer_context()).data)

    @extend_schema(request=MoveSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the action's card to a stage of the PDCA board (a status transition)."""
        action = self.get_object()
        payload = MoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        updated = self._call(services.action_move_on_board, action=action, acting_user=request.user,
                             stage=payload.validated_data["stage"], today=timezone.localdate())
        return Response(ActionSerializer(updated, context=self.get_serializer_context()).data)
