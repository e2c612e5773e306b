"""API actions beyond CRUD: workflow steps of an action."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from improvement import services
from improvement.serializers import ActionSerializer, EffectivenessSerializer, TransitionSerializer


class ActionApiMixin:
    def verb_for(self, request) -> str:
        # Whoever may see the action reaches the check; the service decides who may record it
        # (a named verifier may have no right to change the action).
        if getattr(self, "action", None) == "effectiveness":
            return "view"
        if getattr(self, "action", None) == "transition":
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
