"""Reads for pages, exports, the API and (later) management reviews. Already scoped."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, CharField, Count, IntegerField, Q, Value, When

from improvement.choices import ActionStatus, EffectivenessResult, PdcaStage
from improvement.models import Action, ActionPlan

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


# --- actions and their origin ---------------------------------------------------------------
# The one place that knows how an action points at the record it comes from (a risk, an
# event, an aspect...). Other apps ask these selectors; they never filter the origin columns.


def _scoped_actions(user):
    """Actions the user may see; ``user=None`` is a system read (guards, published
    registers, tasks) over the current organization's actions."""
    actions = action_queryset()
    actions = actions.in_current_organization() if user is None else actions.restrict(user, "view")
    return actions.filter(archived_at__isnull=True)


def actions_of(record, *, user):
    """The (not archived) actions whose origin is this record, as ``user`` may see them."""
    return _scoped_actions(user).filter(
        origin_type=ContentType.objects.get_for_model(record), origin_id=record.pk
    )


def actions_of_records(model, *, user, ids=None):
    """The actions whose origin is a record of ``model`` (one of ``ids`` when given): for the
    registers and reviews that count actions per record in one query (``origin_id`` is the record)."""
    actions = _scoped_actions(user).filter(origin_type=ContentType.objects.get_for_model(model))
    return actions if ids is None else actions.filter(origin_id__in=list(ids))


def actions_by_record(model, *, user, ids) -> dict[int, list[Action]]:
    """The actions of each record of ``model`` in ``ids`` (by due date), as {record pk: [actions]}."""
    grouped: dict[int, list[Action]] = {}
    for action in actions_of_records(model, user=user, ids=ids).order_by("due_on", "pk"):
        grouped.setdefault(action.origin_id, []).append(action)
    return grouped


def action_counts_by_record(model, *, user, ids) -> dict[int, dict]:
    """Open and total actions of each record of ``model`` in ``ids``: one GROUP BY query."""
    rows = (
        actions_of_records(model, user=user, ids=ids)
        .values("origin_id").annotate(total=Count("pk"), open=Count("pk", filter=OPEN)).order_by()
    )
    return {row["origin_id"]: {"open": row["open"], "total": row["total"]} for row in rows}


def origin_of(action: Action):
    """The record this action comes from, or None (no origin, or another organization's row
    hidden by row-level security). A system read: the caller already holds the action."""
    if action.origin_type_id is None:
        return None
    model = ContentType.objects.get_for_id(action.origin_type_id).model_class()
    if model is None:
        return None
    manager = model._default_manager
    queryset = manager.in_current_organization() if hasattr(manager, "in_current_organization") else manager.all()
    return queryset.filter(pk=action.origin_id).first()


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


# The condition of each PDCA column (improvement.workflow.pdca_stage says the same in Python).
# Each one fixes ``status``, so a column reads the (organization, status, due_on) index in due
# order and stops at its last card.
PDCA_COLUMNS = {
    PdcaStage.PLAN: Q(status=ActionStatus.PLANNED),
    PdcaStage.DO: Q(status=ActionStatus.IN_PROGRESS),
    PdcaStage.CHECK: AWAITING_CHECK,
    PdcaStage.ACT: DONE_EFFECTIVE,
}
# The list filters that show a whole column (the board shows its first cards only).
PDCA_LIST_FILTERS = {
    PdcaStage.PLAN: {"status": ActionStatus.PLANNED},
    PdcaStage.DO: {"status": ActionStatus.IN_PROGRESS},
    PdcaStage.CHECK: {"effectiveness": "awaiting"},
    PdcaStage.ACT: {"effectiveness": "effective"},
}
# A column counts its cards up to this many and then says "more than": a count of every row
# would read the whole column, and the board would grow with the data.
PDCA_COUNT_CAP = 500


def pdca_board(*, user, plan_id: int | None = None, limit_per_column: int = 50,
               count_cap: int = PDCA_COUNT_CAP) -> dict[str, dict]:
    """The first cards of each PDCA column by due date and each column's count (exact up to
    ``count_cap``, else ``capped``), in two queries whose cost does not grow with the data:
    one UNION ALL of a LIMIT query per column, one row of capped counts. Cancelled actions are
    not on the board. Every column is cut on its own: thousands of planned actions do not push
    the "Check" cards off the board."""
    # A card shows its owner and asks the rights (the owner of its process): two joins, not
    # five, in each of the four parts (planning them cost more than running them).
    actions = Action.objects.select_related("owner", "process").restrict(user, "view").filter(archived_at__isnull=True)
    if plan_id:
        actions = actions.filter(plan_id=plan_id)
    parts = [
        actions.filter(condition).annotate(stage=Value(stage.value, output_field=CharField()))
        .order_by("due_on", "pk")[:limit_per_column]
        for stage, condition in PDCA_COLUMNS.items()
    ]
    columns = {stage.value: {"actions": [], "total": 0, "capped": False, "filters": PDCA_LIST_FILTERS[stage]}
               for stage in PdcaStage}
    for action in parts[0].union(*parts[1:], all=True):
        columns[action.stage]["actions"].append(action)
    counts = _capped_counts([actions.filter(condition) for condition in PDCA_COLUMNS.values()], cap=count_cap)
    for stage, count in zip(PdcaStage, counts, strict=True):
        columns[stage.value].update(total=min(count, count_cap), capped=count > count_cap)
    return columns


def _capped_counts(querysets, *, cap: int) -> list[int]:
    """How many rows each queryset has, counted up to ``cap + 1`` (more means "more than
    cap"): one statement of ``(SELECT count(*) FROM (... LIMIT cap + 1))`` subqueries, each
    reading at most ``cap + 1`` index entries."""
    parts, params = [], []
    for queryset in querysets:
        sql, part_params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({sql}) AS capped)")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return list(cursor.fetchone())


def actions_due_between(*, start: datetime.date, end: datetime.date):
    """Open actions due in a window, for reminders (task context: organization already active)."""
    return Action.objects.in_current_organization().filter(
        OPEN, archived_at__isnull=True, due_on__gte=start, due_on__lte=end
    ).select_related("owner")


def actions_for_calendar(*, user):
    return action_queryset().restrict(user, "view").filter(owner=user, archived_at__isnull=True).filter(OPEN)
