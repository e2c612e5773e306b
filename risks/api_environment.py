"""API operations of environmental performance beyond the declared models' CRUD, each
calling the service or selector its page calls: load the starter emission factors,
calculate an inventory, its summary and BEGES table, a reduction action from it, and the
figures (waste per site and month, a meter's monthly series, the GHG trend)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from improvement.serializers import ActionSerializer
from qse.api.operations import MemberApiView, plain
from qse.forms import members_queryset
from qse.registry import register_api_path
from risks import selectors_environment as selectors
from risks import services_environment as services
from risks.api import ModelRight, RiskActionSerializer
from risks.models import GhgInventory, Meter, WasteRemoval


class EmissionFactorApiMixin:
    """``POST .../emission-factors/load-library/``: copy the starter factors not held yet."""

    @extend_schema(request=None, responses=inline_serializer("FactorsLoaded", {"added": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="load-library")
    def load_library(self, request):
        added = self._call(services.emission_factors_load_library, acting_user=request.user)
        return Response({"added": added}, status=status.HTTP_201_CREATED)


class ReductionActionSerializer(RiskActionSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=members_queryset().none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_queryset()


class CalculateSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


SUMMARY = inline_serializer("GhgSummary", {
    "total": serializers.DecimalField(max_digits=18, decimal_places=3),
    "by_scope": serializers.ListField(child=serializers.DictField()),
    "by_item": serializers.ListField(child=serializers.DictField()),
    "by_site": serializers.ListField(child=serializers.DictField()),
})


class GhgInventoryApiMixin:
    """Calculate (``POST .../calculate/``), read the current results (``GET .../summary/``,
    ``GET .../beges/``) and create a reduction action (``POST .../actions/``)."""

    def verb_for(self, request) -> str:
        verbs = {"calculate": "change", "actions": "view", "summary": "view", "beges": "view"}
        return verbs.get(getattr(self, "action", None)) or super().verb_for(request)

    @extend_schema(request=CalculateSerializer, responses={200: SUMMARY})
    @action(detail=True, methods=["post"])
    def calculate(self, request, pk=None):
        """Calculate again with the newest factors; earlier calculations are kept."""
        inventory = self.get_object()
        payload = CalculateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        inventory = self._call(services.ghg_inventory_calculate, inventory=inventory, acting_user=request.user,
                               expected_version=payload.validated_data.get("version"))
        return Response(plain(selectors.ghg_summary(user=request.user, inventory=inventory)))

    @extend_schema(responses={200: SUMMARY})
    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        return Response(plain(selectors.ghg_summary(user=request.user, inventory=self.get_object())))

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def beges(self, request, pk=None):
        """The current calculation in the BEGES categories (tCO2e per item)."""
        return Response(plain(selectors.beges_table(user=request.user, inventory=self.get_object())))

    @extend_schema(request=ReductionActionSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        inventory = self.get_object()
        payload = ReductionActionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        created = self._call(services.ghg_reduction_action_create, inventory=inventory, acting_user=request.user,
                             data=payload.validated_data)
        return Response(ActionSerializer(created, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


def _date(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError as error:
        raise serializers.ValidationError({"date": [_("Enter a valid date.")]}) from error


PERIOD = [OpenApiParameter("start", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False),
          OpenApiParameter("end", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False)]


def _period(request) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    start = _date(request.query_params.get("start"), datetime.date(today.year, 1, 1))
    end = _date(request.query_params.get("end"), datetime.date(today.year, 12, 31))
    if end < start:
        raise serializers.ValidationError({"end": [_("The period must end on or after its start.")]})
    return start, end


class WasteFiguresView(MemberApiView):
    """Waste per site and month (tonnes, hazardous share, recovery rates), the period's totals
    and the tonnes per waste code: the figures of the environmental performance page."""

    permission_classes = [*MemberApiView.permission_classes, ModelRight]
    right_model = WasteRemoval
    action_verbs: dict = {}

    @extend_schema(parameters=PERIOD, operation_id="risks_waste_figures_retrieve",
                   responses=inline_serializer("WasteFigures", {
                       "totals": serializers.DictField(), "monthly": serializers.ListField(child=serializers.DictField()),
                       "by_code": serializers.ListField(child=serializers.DictField())}))
    def get(self, request):
        start, end = _period(request)
        return Response(plain({
            "totals": selectors.waste_totals(user=request.user, start=start, end=end),
            "monthly": selectors.waste_monthly_figures(user=request.user, start=start, end=end),
            "by_code": selectors.waste_tonnes_by_code(user=request.user, start=start, end=end),
        }))


class MeterSeriesView(MemberApiView):
    """A meter's consumption per month, its target, its site's production and the intensity."""

    permission_classes = [*MemberApiView.permission_classes, ModelRight]
    right_model = Meter
    action_verbs: dict = {}

    @extend_schema(parameters=PERIOD, operation_id="risks_meter_series_retrieve",
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk):
        from django.shortcuts import get_object_or_404

        meter = get_object_or_404(selectors.meter_queryset().restrict(request.user, "view"), pk=pk)
        start, end = _period(request)
        return Response(plain(selectors.meter_series(user=request.user, meter=meter, start=start, end=end)))


class GhgTrendView(MemberApiView):
    """tCO2e per year and scope of the organization-wide inventories (current calculations)."""

    permission_classes = [*MemberApiView.permission_classes, ModelRight]
    right_model = GhgInventory
    action_verbs: dict = {}

    @extend_schema(operation_id="risks_ghg_trend_retrieve", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(plain(selectors.ghg_totals_by_year(user=request.user)))


register_api_path("risks/environment/waste-figures/", WasteFiguresView.as_view(), "risks-waste-figures")
register_api_path("risks/environment/meters/<int:pk>/series/", MeterSeriesView.as_view(), "risks-meter-series")
register_api_path("risks/environment/ghg-trend/", GhgTrendView.as_view(), "risks-ghg-trend")
