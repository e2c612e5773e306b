"""API operations of the context module beyond CRUD: a statement's next version."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from context import services
from context.serializers import PolicyStatementSerializer


class PolicyNewVersionSerializer(PolicyStatementSerializer):
    """The next version's fields; its kind is the previous version's."""

    class Meta(PolicyStatementSerializer.Meta):
        fields = [name for name in PolicyStatementSerializer.Meta.fields if name != "kind"]


class PolicyStatementApiMixin:
    def verb_for(self, request) -> str:
        if getattr(self, "action", None) == "new_version":
            return "add"
        return super().verb_for(request)

    @extend_schema(request=PolicyNewVersionSerializer, responses={201: PolicyStatementSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """Publish the statement's next version; the one it replaces stays as it was."""
        previous = self.get_object()
        payload = PolicyNewVersionSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = {k: v for k, v in payload.validated_data.items() if k != "version"}
        created = self._call(services.policy_publish_new_version, previous=previous, acting_user=request.user, data=data)
        return Response(PolicyStatementSerializer(created, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
