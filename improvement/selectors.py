"""Reads for pages, exports, the API and (later) management reviews. Already scoped."""

from __future__ import annotations

import datetime
import functools
import operator

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

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


def action_plan_queryset(*, with_progress: bool = True):
    """Plans with what their pages show; ``with_progress``: how many actions each has and how
    many are done, as a subquery per plan (read through the plan's index) so a page of plans
    counts only its own plans' actions, and the list's COUNT leaves them out (a join grouped
    by plan counted every action of the organization, twice)."""
    plans = ActionPlan.objects.select_related("owner", "process", "site")
    if not with_progress:
        return plans
    return plans.annotate(
        action_count=_plan_actions_count(),
        done_count=_plan_actions_count(status=ActionStatus.DONE),
    )


def _plan_actions_count(**conditions):
    """The plan's (not archived) actions meeting ``conditions``, counted in a subquery."""
    actions = (
        Action.objects.filter(plan=OuterRef("pk"), archived_at__isnull=True, **conditions)
        .order_by().values("plan").annotate(count=Count("pk")).values("count")
    )
    return Coalesce(Subquery(actions, output_field=IntegerField()), 0)


def status_conditions(*, today: datetime.date) -> dict[str, Q]:
    """The dashboard's four figures, each the condition a list filter of its tile shows."""
    return {
        "done": DONE_EFFECTIVE,
        "in_progress": OPEN & ~late_on(today),
        "late": late_on(today),
        "awaiting_check": AWAITING_CHECK,
    }


def status_counts(*, today: datetime.date) -> dict:
    """The dashboard's four figures as SQL aggregates (filter clauses)."""
    return {name: Count("pk", filter=condition) for name, condition in status_conditions(today=today).items()}


def action_totals(*, user, today: datetime.date, figures: tuple[str, ...] | None = None) -> dict:
    """Some of the dashboard's figures (all four by default) for a home page's tiles: one
    aggregate over the rows that meet one of their conditions only (the indexes on status and
    due date find them), no breakdown."""
    conditions = status_conditions(today=today)
    if figures is not None:
        conditions = {name: conditions[name] for name in figures}
    rows = _dashboard_actions(user).filter(functools.reduce(operator.or_, conditions.values()))
    return rows.aggregate(**{name: Count("pk", filter=condition) for name, condition in conditions.items()})


def _dashboard_actions(user):
    """The actions a dashboard counts: the user's, not archived, not cancelled."""
    return Action.objects.restrict(user, "view").filter(archived_at__isnull=True).exclude(status=ActionStatus.CANCELLED)


# The breakdowns of the actions dashboard and the columns that name their rows (as the charts
# and the table read them).
DASHBOARD_GROUPS = {
    "by_plan": ("plan__title",),
    "by_process": ("process__code", "process__name"),
    "by_owner": ("owner__first_name", "owner__last_name", "owner__username"),
}
_DASHBOARD_SQL = """
    WITH counts AS (
        SELECT GROUPING(a.plan_id, a.process_id, a.owner_id) AS grouping, a.plan_id, a.process_id, a.owner_id,
               {counts}
        FROM ({actions}) AS a
        GROUP BY GROUPING SETS ((), (a.plan_id), (a.process_id), (a.owner_id)))
    SELECT counts.*, pl.title, p.code, p.name, u.first_name, u.last_name, u.username
    FROM counts
    LEFT JOIN {plan} pl ON pl.id = counts.plan_id
    LEFT JOIN {process} p ON p.id = counts.process_id
    LEFT JOIN {user} u ON u.id = counts.owner_id
    ORDER BY counts.grouping, pl.title, p.code, p.name, u.last_name, u.first_name, u.username"""
# GROUPING(plan, process, owner) is a bit mask of the columns a row is NOT grouped by.
_GROUPING_OF = {7: "totals", 3: "by_plan", 5: "by_process", 6: "by_owner"}


def action_dashboard(*, user, today: datetime.date) -> dict:
    """Totals and breakdowns by plan, process and owner in one query: one read of the actions
    the user may see, grouped by GROUPING SETS with a FILTER clause per figure, then the
    names of the few grouped plans, processes and owners joined, in their order."""
    from django.contrib.auth import get_user_model

    from qse.models import Process

    conditions = status_conditions(today=today)
    flags = (
        _dashboard_actions(user)
        .annotate(**{f"is_{name}": ExpressionWrapper(condition, output_field=BooleanField())
                     for name, condition in conditions.items()})
        .values("plan_id", "process_id", "owner_id", *(f"is_{name}" for name in conditions)).order_by()
    )
    actions_sql, params = flags.query.sql_with_params()
    sql = _DASHBOARD_SQL.format(
        counts=", ".join(f'count(*) FILTER (WHERE a."is_{name}") AS "{name}"' for name in conditions),
        actions=actions_sql, plan=ActionPlan._meta.db_table, process=Process._meta.db_table,
        user=get_user_model()._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return _dashboard_data(rows, list(conditions))


def _dashboard_data(rows: list[dict], figures: list[str]) -> dict:
    """The grouped rows as the page reads them: totals, and each breakdown's rows under the
    names it shows (rows naming the same plan title, process or owner are added up, as a
    GROUP BY on the names did)."""
    names = {"plan__title": "title", "process__code": "code", "process__name": "name",
             "owner__first_name": "first_name", "owner__last_name": "last_name", "owner__username": "username"}
    data = {"totals": dict.fromkeys(figures, 0), **{group: {} for group in DASHBOARD_GROUPS}}
    for row in rows:
        group = _GROUPING_OF[row["grouping"]]
        if group == "totals":
            data["totals"] = {figure: row[figure] for figure in figures}
            continue
        label = tuple(row[names[key]] for key in DASHBOARD_GROUPS[group])
        merged = data[group].setdefault(label, dict.fromkeys(figures, 0))
        for figure in figures:
            merged[figure] += row[figure]
    for group, keys in DASHBOARD_GROUPS.items():  # in the query's order (the database's collation)
        data[group] = [{**dict(zip(keys, label, strict=True)), **counts} for label, counts in data[group].items()]
    return data


class _AnyOf(Func):
    """``column = ANY(array)``: with an ``ArraySubquery`` the array is computed once and the
    column's index can be read (``column IN (subquery)`` under an OR is checked row by row)."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def actions_of_user(*, user, today: datetime.date):
    """"My actions": open ones I own or that belong to a process I own, late first. The
    processes I own are an array computed once, not a join: the two conditions then each read
    an index (owner, process) instead of every action of the organization."""
    from qse.models import Process

    my_processes = ArraySubquery(Process.objects.filter(owner=user).order_by().values("pk"))
    return (
        action_queryset()
        .restrict(user, "view")
        .filter(Q(owner=user) | _AnyOf(F("process_id"), my_processes), archived_at__isnull=True)
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
