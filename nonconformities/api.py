"""API operations of the events module beyond the declared models' CRUD: the dashboard's
figures (open events, overdue declarations, TF/TG per month, site and rolling year, Pareto,
monthly trend), read through the selector the dashboard page reads."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from nonconformities import selectors_dashboard
from nonconformities.views_dashboard import DashboardFilterForm
from qse.api.operations import MemberApiView, month_parameter, plain
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
