"""API operations of the risk module beyond the declared models' CRUD: the published DUERP
versions (list, publish, PDF, archive), the matrix library (list, copy) and the heatmap.
Each calls the service or selector its page calls."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from improvement import services as action_services
from improvement.choices import ActionOriginKind
from improvement.serializers import ActionSerializer
from qse import reports
from qse.api.operations import MemberApiView, MemberViewSet, ReportSerializer, plain
from qse.api.viewsets import ArchiveSerializer
from qse.forms import members_queryset
from qse.permissions import can
from qse.registry import register_api, register_api_path
from qse.services import object_archive
from risks import selectors, selectors_duerp, services, services_duerp
from risks.filtersets import RiskFilterSet
from risks.library import library_matrices, localized
from risks.models import DuerpVersion, Risk, RiskMatrix
from risks.serializers import RiskMatrixSerializer


class ModelRight(permissions.BasePermission):
    """The role's right on the view's model for the verb of the action (``action_verbs``)."""

    def has_permission(self, request, view):
        verb = view.action_verbs.get(getattr(view, "action", None), "view")
        return can(request.user, verb, view.right_model)


# --- an action from a risk -------------------------------------------------------------------


class RiskActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    deliverable = serializers.CharField(max_length=255, required=False, allow_blank=True)
    due_on = serializers.DateField()


class RiskApiMixin:
    """``POST .../risks/{id}/actions/``: an action whose origin is the risk (owner, process
    and site come from the risk), through the page's service."""

    def verb_for(self, request) -> str:
        if getattr(self, "action", None) == "actions":
            return "view"  # the action's own add right is the service's to check
        return super().verb_for(request)

    @extend_schema(request=RiskActionSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        risk = self.get_object()
        payload = RiskActionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = {**payload.validated_data, "owner": risk.owner, "process": risk.process, "site": risk.site}
        created = self._call(action_services.action_create, acting_user=request.user, data=data, origin=risk,
                             origin_kind=ActionOriginKind.RISK)
        return Response(ActionSerializer(created, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class PreventionActionSerializer(RiskActionSerializer):
    # An occupational risk has no owner of its own: the action's owner is named, among the members.
    owner = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_queryset()


class OccupationalRiskApiMixin:
    """``POST .../occupational-risks/{id}/actions/``: a prevention action against the risk (the
    Document unique's prevention plan), through the page's service."""

    def verb_for(self, request) -> str:
        if getattr(self, "action", None) == "actions":
            return "view"  # the action's own add right is the service's to check
        return super().verb_for(request)

    @extend_schema(request=PreventionActionSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        risk = self.get_object()
        payload = PreventionActionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        created = self._call(services_duerp.prevention_action_create, risk=risk, acting_user=request.user,
                             data=payload.validated_data)
        return Response(ActionSerializer(created, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


# --- DUERP versions -----------------------------------------------------------------------


class DuerpVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DuerpVersion
        fields = ["id", "number", "published_on", "published_by", "pdf", "archived_at"]
        read_only_fields = fields


class DuerpVersionDetailSerializer(DuerpVersionSerializer):
    class Meta(DuerpVersionSerializer.Meta):
        fields = [*DuerpVersionSerializer.Meta.fields, "snapshot"]
        read_only_fields = fields


class DuerpVersionViewSet(MemberViewSet):
    """Published versions of the Document unique (kept, archived ones included: 40 years)."""

    permission_classes = [*MemberViewSet.permission_classes, ModelRight]
    right_model = DuerpVersion
    action_verbs = {"publish": "add", "archive": "archive"}
    serializer_class = DuerpVersionSerializer
    queryset = DuerpVersion.objects.none()

    def get_queryset(self):
        return selectors_duerp.duerp_versions(user=self.request.user).order_by("-number")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DuerpVersionSerializer(page, many=True).data)

    @extend_schema(responses=DuerpVersionDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(DuerpVersionDetailSerializer(self.get_object()).data)

    @extend_schema(request=None, responses={201: DuerpVersionSerializer})
    @action(detail=False, methods=["post"])
    def publish(self, request):
        """Freeze the current assessment as the next version (its PDF is requested with it)."""
        version = self.call(services_duerp.duerp_publish, acting_user=request.user, today=timezone.localdate())
        return Response(DuerpVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: ReportSerializer})
    @action(detail=True, methods=["post"])
    def pdf(self, request, pk=None):
        """Ask for the version's PDF (the one already made, when its content has not changed)."""
        version = self.get_object()
        report = self.call(reports.report_request, kind=services_duerp.REPORT_KIND, target=version,
                           acting_user=request.user)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ArchiveSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        version = self.get_object()
        payload = ArchiveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        self.call(object_archive, obj=version, acting_user=request.user, reason=payload.validated_data.get("reason", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the matrix library -------------------------------------------------------------------


class LibraryMatrixSerializer(serializers.Serializer):
    id = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()


class MatrixLibraryViewSet(MemberViewSet):
    """The library's risk matrices; one is copied into the organization on request."""

    permission_classes = [*MemberViewSet.permission_classes, ModelRight]
    right_model = RiskMatrix
    action_verbs = {"copy": "add"}
    serializer_class = LibraryMatrixSerializer
    queryset = RiskMatrix.objects.none()
    lookup_value_regex = r"[\w.-]+"
    pagination_class = None

    def list(self, request):
        items = [{"id": data["id"], "version": data["version"], "name": localized(data["name"]),
                  "description": localized(data.get("description")) or ""} for data in library_matrices().values()]
        return Response(LibraryMatrixSerializer(items, many=True).data)

    @extend_schema(request=None, responses={201: RiskMatrixSerializer},
                   parameters=[OpenApiParameter("id", OpenApiTypes.STR, OpenApiParameter.PATH)])
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """Copy this library matrix into the current organization."""
        if pk not in library_matrices():
            raise NotFound()
        matrix = self.call(services.matrix_copy_from_library, library_id=pk, acting_user=request.user)
        return Response(RiskMatrixSerializer(matrix, context={"request": request}).data, status=status.HTTP_201_CREATED)


# --- the heatmap --------------------------------------------------------------------------


class HeatmapView(MemberApiView):
    """Open risks per (gravity, probability) cell of one matrix, inherent and residual; the
    register's filters apply (``?process=``, ``?site=``...)."""

    permission_classes = [*MemberApiView.permission_classes, ModelRight]
    right_model = Risk
    action_verbs: dict = {}

    @extend_schema(
        parameters=[OpenApiParameter("matrix", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False,
                                     description="Default: the organization's default matrix.")],
        responses=inline_serializer("Heatmap", fields={
            "matrix": serializers.IntegerField(allow_null=True),
            "inherent": serializers.ListField(child=serializers.ListField(child=serializers.DictField())),
            "residual": serializers.ListField(child=serializers.ListField(child=serializers.DictField())),
        }),
        operation_id="risks_heatmap_retrieve",
    )
    def get(self, request):
        matrices = RiskMatrix.objects.restrict(request.user, "view").filter(archived_at__isnull=True)
        matrix_id = request.query_params.get("matrix", "")
        matrix = (get_object_or_404(matrices, pk=int(matrix_id)) if matrix_id.isdigit()
                  else selectors.matrix_default(user=request.user))
        if matrix is None:
            return Response({"matrix": None, "inherent": [], "residual": []})
        filterset = RiskFilterSet(request.query_params, queryset=Risk.objects.all(), request=request)
        if not filterset.is_valid():
            return Response(filterset.errors, status=status.HTTP_400_BAD_REQUEST)
        grids = selectors.risk_heatmaps(user=request.user, matrix=matrix, risks=filterset.qs)
        return Response({"matrix": matrix.pk, "inherent": plain(grids["inherent"]), "residual": plain(grids["residual"])})


register_api("risks/duerp-versions", DuerpVersionViewSet, "risks-duerpversion")
register_api("risks/library", MatrixLibraryViewSet, "risks-library")
register_api_path("risks/heatmap/", HeatmapView.as_view(), "risks-heatmap")
