"""Reads for pages, exports, the API and (later) management reviews. Already scoped."""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, IntegerField, Q, Value, When

from improvement.choices import ActionStatus, EffectivenessResult
from improvement.models import Action, ActionPlan
from improvement.workflow import pdca_stage

OPEN = Q(status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS])
# The dashboard's figures and the list filters its tiles open share these conditions, so a
# tile's number is the number of rows of the list it links to.
DONE_EFFECTIVE = Q(status=ActionStatus.DONE, effectiveness_result=EffectivenessResult.EFFECTIVE)
AWAITING_CHECK = Q(status=ActionStatus.DONE) & ~Q(effectiveness_result=EffectivenessResult.EFFECTIVE)


def late_on(today: datetime.date) -> Q:
    """Open and past its due date."""
    return OPEN & Q(due_on__lt=today)


def action_queryset():
    """Actions with what every list and detail shows, in one query."""
    return Action.objects.select_related("owner", "process", "site", "plan")


def actions_from(*, user, origin):
    """The actions whose origin is this record (a risk, an aspect, an NC...), as the user may see them."""
    from django.contrib.contenttypes.models import ContentType

    return action_queryset().restrict(user, "view").filter(
        origin_type=ContentType.objects.get_for_model(origin), origin_id=origin.pk, archived_at__isnull=True
    )


def action_plan_queryset():
    return ActionPlan.objects.select_related("owner", "process", "site").annotate(
        action_count=Count("actions", filter=Q(actions__archived_at__isnull=True)),
        done_count=Count("actions", filter=Q(actions__status=ActionStatus.DONE, actions__archived_at__isnull=True)),
    )


def status_counts(*, today: datetime.date) -> dict:
    """The dashboard's four figures as SQL aggregates (filter clauses)."""
    return {
        "done": Count("pk", filter=DONE_EFFECTIVE),
        "in_progress": Count("pk", filter=OPEN & ~late_on(today)),
        "late": Count("pk", filter=late_on(today)),
        "awaiting_check": Count("pk", filter=AWAITING_CHECK),
    }


def action_dashboard(*, user, today: datetime.date) -> dict:
    """Totals and breakdowns by plan, process and owner: one GROUP BY query each."""
    actions = Action.objects.restrict(user, "view").filter(archived_at__isnull=True).exclude(status=ActionStatus.CANCELLED)
    aggregates = status_counts(today=today)
    return {
        "totals": actions.aggregate(**aggregates),
        "by_plan": list(actions.values("plan__title").annotate(**aggregates).order_by("plan__title")),
        "by_process": list(actions.values("process__code", "process__name").annotate(**aggregates).order_by("process__code")),
        "by_owner": list(actions.values("owner__first_name", "owner__last_name", "owner__username").annotate(**aggregates).order_by("owner__last_name")),
    }


def actions_of_user(*, user, today: datetime.date):
    """"My actions": open ones I own or that belong to a process I own, late first."""
    return (
        action_queryset()
        .restrict(user, "view")
        .filter(Q(owner=user) | Q(process__owner=user), archived_at__isnull=True)
        .filter(OPEN | Q(status=ActionStatus.DONE, effectiveness_result=""))
        .annotate(is_late=Case(When(OPEN & Q(due_on__lt=today), then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("-is_late", "due_on", "pk")
    )


def pdca_board(*, user, plan_id: int | None = None, limit_per_column: int = 100) -> dict[str, list[Action]]:
    """Actions grouped by PDCA column (cancelled ones are not on the board)."""
    queryset = action_queryset().restrict(user, "view").filter(archived_at__isnull=True).exclude(status=ActionStatus.CANCELLED)
    if plan_id:
        queryset = queryset.filter(plan_id=plan_id)
    columns: dict[str, list[Action]] = {"plan": [], "do": [], "check": [], "act": []}
    for action in queryset.order_by("due_on", "pk")[: limit_per_column * 4]:
        columns[pdca_stage(action.status, action.effectiveness_result)].append(action)
    return columns


def actions_due_between(*, start: datetime.date, end: datetime.date):
    """Open actions due in a window, for reminders (task context: organization already active)."""
    return Action.objects.in_current_organization().filter(
        OPEN, archived_at__isnull=True, due_on__gte=start, due_on__lte=end
    ).select_related("owner")


def actions_for_calendar(*, user):
    return action_queryset().restrict(user, "view").filter(owner=user, archived_at__isnull=True).filter(OPEN)
