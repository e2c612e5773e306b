"""API operations beyond the declared models' CRUD: an indicator's analysis (status, series,
control chart flags, forecast), the preventive action from a forecast, the Gantt of a plan,
moving a task (preview, then apply with the version read) and the workload."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from improvement.models import Action, ActionPlan
from improvement.selectors import action_queryset
from improvement.serializers import ActionSerializer
from objectives import charts, planning, selectors, spc
from objectives.filtersets import WorkloadFilterSet
from objectives.models import Objective
from objectives.serializers import GanttMoveSerializer
from objectives.services_actions import preventive_action_create
from qse.api.operations import MemberApiView, plain
from qse.api.viewsets import Conflict, ScopedPagination
from qse.registry import register_api_path
from qse.services import ConflictError


class IndicatorApiMixin:
    def verb_for(self, request) -> str:
        if getattr(self, "action", None) in {"analysis", "preventive_action"}:
            return "view"  # the service asks for the right to add an action
        return super().verb_for(request)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def analysis(self, request, pk=None):
        """Status, the last 36 values, control limits and flagged points, and the forecast."""
        indicator = self.get_object()
        series = selectors.series_of(indicator)[-36:]
        prediction, future = charts.forecast_of(indicator, series)
        limits = spc.xmr_limits([v for _p, v in series[:12]]) if len(series) >= 4 else None
        flags = spc.western_electric([v for _p, v in series], limits) if limits else {}
        return Response(plain({
            "status": selectors.status_of(indicator, today=timezone.localdate()),
            "series": [{"period": p, "value": v} for p, v in series],
            "control": {"center": limits.center, "upper": limits.upper, "lower": limits.lower,
                        "flags": [{"period": series[i][0], "rules": rules} for i, rules in flags.items()]} if limits else None,
            "forecast": {"method": prediction.method, "window": prediction.window, "horizon": prediction.horizon,
                         "interval": 0.95, "periods": future, "predicted": prediction.predicted,
                         "lower": prediction.lower, "upper": prediction.upper,
                         "breach_period": future[prediction.breach_step - 1] if prediction.breach_step else None}
            if prediction else None,
        }))

    @extend_schema(request=None, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"], url_path="preventive-action")
    def preventive_action(self, request, pk=None):
        indicator = self.get_object()
        created = self._call(preventive_action_create, indicator=indicator, acting_user=request.user,
                             today=timezone.localdate())
        return Response(ActionSerializer(created, context=self.get_serializer_context()).data, status=201)


class PlanGanttView(MemberApiView):
    """The Gantt of an action plan: tasks, links, critical path."""

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="objectives_plan_gantt_retrieve")
    def get(self, request, pk):
        plan = get_object_or_404(ActionPlan.objects.restrict(request.user, "view"), pk=pk)
        return _gantt_response(request, [plan.pk])


class ObjectiveGanttView(MemberApiView):
    """The Gantt of an objective: the actions of the plans that serve it."""

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="objectives_objective_gantt_retrieve")
    def get(self, request, pk):
        objective = get_object_or_404(Objective.objects.restrict(request.user, "view"), pk=pk)
        return _gantt_response(request, objective.action_plans.restrict(request.user, "view").values_list("pk", flat=True))


def _gantt_response(request, plan_ids) -> Response:
    actions = planning.actions_for_plan(user=request.user, plan_ids=plan_ids)
    data = planning.gantt(actions=actions, links=planning.links_between(actions), today=timezone.localdate())
    return Response(plain({"tasks": data.tasks, "critical": sorted(data.critical_ids), "cycle": data.cycle,
                           "finish": data.finish}))


class MoveView(MemberApiView):
    """Move a task: without ``apply`` the answer lists what would move and which due dates
    would be pushed; with ``apply`` the moves are saved (409 when the task changed since
    ``version``; 403 when a task that must move is not the user's to change)."""

    @extend_schema(request=GanttMoveSerializer, responses=OpenApiTypes.OBJECT, operation_id="objectives_gantt_move_create")
    def post(self, request, pk):
        moved = get_object_or_404(action_queryset().restrict(request.user, "view"), pk=pk)
        payload = GanttMoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        actions = planning.actions_for_plan(user=request.user, plan_ids=[moved.plan_id]) if moved.plan_id else [moved]
        moves = planning.move_preview(action=moved, start_on=data["start_on"], due_on=data["due_on"], actions=actions,
                                      links=planning.links_between(actions))
        answer = {
            "moves": [{"id": m.action.pk, "title": m.action.title, "start_on": m.start_on, "due_on": m.due_on,
                       "old_due_on": m.action.due_on, "pushes_due_date": m.pushes_due_date} for m in moves],
            "may_apply": planning.may_move(request.user, moves), "applied": False,
        }
        if data["apply"]:
            try:
                self.call(planning.move_apply, moves=moves, acting_user=request.user, expected_version=data["version"])
            except ConflictError as conflict:
                raise Conflict() from conflict
            answer["applied"] = True
        return Response(plain(answer))


class WorkloadView(MemberApiView):
    """Open actions per owner per ISO week and the hours they weigh (``start``: a date in the
    first week; 12 weeks); actions without an estimate count ``default_hours``. The busiest
    owners first, ``limit`` of them (100 by default) from ``offset``, ``count`` in all; the
    page's filters: ``site``, ``process``, ``owner``, ``overloaded=1``."""

    @extend_schema(parameters=[OpenApiParameter("start", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False),
                               OpenApiParameter("weeks", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False),
                               *[OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.QUERY, required=False)
                                 for name in ("site", "process", "owner", "limit", "offset")],
                               OpenApiParameter("overloaded", OpenApiTypes.BOOL, OpenApiParameter.QUERY, required=False)],
                   responses=OpenApiTypes.OBJECT, operation_id="objectives_workload_retrieve")
    def get(self, request):
        try:
            start = datetime.date.fromisoformat(request.query_params.get("start", "")) if request.query_params.get("start") else timezone.localdate()
            weeks = min(max(int(request.query_params.get("weeks", 12)), 1), 52)
            limit = min(max(int(request.query_params.get("limit", WORKLOAD_LIMIT)), 1), ScopedPagination.max_limit)
            offset = max(int(request.query_params.get("offset", 0)), 0)
        except ValueError:
            return Response({"start": ["YYYY-MM-DD"], "weeks": ["1..52"], "limit": ["1..1000"], "offset": [">= 0"]},
                            status=400)
        filterset = WorkloadFilterSet(request.query_params, queryset=Action.objects.restrict(request.user, "view"),
                                      request=request)
        if not filterset.is_valid():
            return Response(filterset.errors, status=400)
        monday = start - datetime.timedelta(days=start.weekday())
        data = planning.workload(user=request.user, first_monday=monday, weeks=weeks, actions=filterset.qs,
                                 overloaded_only=request.query_params.get("overloaded") in ("1", "true"),
                                 limit=limit, offset=offset)
        return Response(plain({
            "weeks": data["weeks"],
            "default_hours": planning.DEFAULT_EFFORT_HOURS,
            "count": data["count"],
            "owners": [_owner_load(owner, cells, data["weeks"]) for owner, cells in data["cells"].items()],
        }))


# Owners per answer unless ``limit`` says otherwise (at most the API's usual 1,000).
WORKLOAD_LIMIT = 100


def _owner_load(owner: int, cells: dict, weeks: list) -> dict:
    """An owner's weeks: open actions (``weeks``), their hours, and how many had no estimate."""
    loads = [cells.get(week, planning.WeekLoad()) for week in weeks]
    return {"owner": owner, "weeks": [load.actions for load in loads], "hours": [load.hours for load in loads],
            "unestimated": [load.unestimated for load in loads]}


register_api_path("objectives/plans/<int:pk>/gantt/", PlanGanttView.as_view(), "improvement-actionplan-gantt")
register_api_path("objectives/objectives/<int:pk>/gantt/", ObjectiveGanttView.as_view(), "objectives-objective-gantt")
register_api_path("objectives/gantt/actions/<int:pk>/move/", MoveView.as_view(), "improvement-action-gantt-move")
register_api_path("objectives/workload/", WorkloadView.as_view(), "objectives-workload")
