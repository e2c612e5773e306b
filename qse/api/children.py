"""Generic API of child records (a declaration with ``parent``), nested under their parent:
``/api/v1/<app>/<parents>/{<parent>_pk}/<children>/``.

The parent is found through ``restrict()`` before anything else is said (another
organization's parent is a 404, whatever the role), the list and the objects are those of
that parent only, and a creation asks the add right of a new child that knows its parent.
Writes go through the declaration, so the API and the pages call the same services.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from qse.api.viewsets import ArchiveSerializer, ScopedViewSet, _data
from qse.services import ensure_can


class ChildViewSetMixin:
    """Resolves the parent, narrows the queryset to it and gives it to every write."""

    declaration = None

    def get_parent(self):
        if not hasattr(self, "_parent"):
            declaration = self.declaration
            queryset = declaration.parent_queryset(self.request)
            self._parent = get_object_or_404(queryset, pk=str(self.kwargs[declaration.parent_kwarg()]))
        return self._parent

    def check_permissions(self, request):
        # 404 for a parent out of reach comes before any 403: no existence oracle.
        if request.user.is_authenticated and getattr(request, "membership", None) is not None:
            self.get_parent()
        super().check_permissions(request)

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset
        return queryset.filter(**{self.declaration.parent[2]: self.get_parent()})

    def perform_create(self, serializer):
        parent = self.get_parent()
        data = {**_data(serializer), self.declaration.parent[2]: parent}
        serializer.instance = self._call(self._create_child, parent, data)

    def _create_child(self, parent, data):
        ensure_can(self.request.user, "add", self.declaration.new_child(parent))
        return self.declaration.create(self.request, data)

    @extend_schema(request=ArchiveSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def archive(self, request, *args, **kwargs):
        obj = self.get_object()
        payload = ArchiveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        self._call(self.declaration.archive, request, obj, reason=payload.validated_data.get("reason", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)


def child_viewset_for(declaration):
    """Build the nested API viewset of a declared child model."""
    attrs = {
        "declaration": declaration,
        "serializer_class": declaration.serializer,
        "queryset": declaration.model.objects.none(),
        "__doc__": f"{declaration.model._meta.verbose_name_plural}".capitalize(),
    }
    if declaration.filterset:
        attrs["filterset_class"] = declaration.filterset
    bases = (*declaration.api_mixins, ChildViewSetMixin, ScopedViewSet)
    viewset = type(f"{declaration.model.__name__}ViewSet", bases, attrs)
    parent_id = OpenApiParameter(declaration.parent_kwarg(), OpenApiTypes.INT, OpenApiParameter.PATH)
    return extend_schema(parameters=[parent_id])(viewset)


def api_prefix(declaration) -> str:
    """The router prefix: ``nonconformities/events/(?P<event_pk>[0-9]+)/whys``."""
    from qse.registry import declaration_for

    meta = declaration.model._meta
    own = declaration.url_prefix or meta.model_name + "s"
    if not declaration.parent:
        return f"{meta.app_label}/{own}"
    parent = declaration_for(declaration.parent[1])
    return f"{api_prefix(parent)}/(?P<{declaration.parent_kwarg()}>[0-9]+)/{own}"
