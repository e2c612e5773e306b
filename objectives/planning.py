"""Planning reads and writes: the Gantt of an action plan or an objective (critical path from
``objectives.cpm``), moving a task (what moves with it, which due dates are pushed), and the
workload per owner per ISO week (SQL ``generate_series``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from improvement.choices import ActionStatus
from improvement.models import Action
from improvement.selectors import action_queryset
from objectives import cpm
from objectives.models import ActionDependency
from qse import services as generic
from qse.labels import person_label
from qse.permissions import can

OPEN = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


def _span(action: Action) -> tuple[datetime.date, datetime.date]:
    """An action without a start date is a milestone on its due date."""
    return (action.start_on or action.due_on), action.due_on


def actions_for_plan(*, user, plan_ids) -> list[Action]:
    return list(
        action_queryset().restrict(user, "view").filter(plan_id__in=list(plan_ids), archived_at__isnull=True)
        .exclude(status=ActionStatus.CANCELLED).order_by("start_on", "due_on", "pk")
    )


def links_between(actions: list[Action]) -> list[ActionDependency]:
    ids = [a.pk for a in actions]
    return list(ActionDependency.objects.in_current_organization().filter(
        archived_at__isnull=True, predecessor_id__in=ids, successor_id__in=ids))


def _cpm_input(actions, links, origin: datetime.date):
    tasks = []
    for action in actions:
        start, due = _span(action)
        tasks.append(cpm.Task(action.pk, (start - origin).days, (due - start).days + 1))
    # A lag counts days between the predecessor's due date and the successor's start.
    return tasks, [cpm.Link(link.predecessor_id, link.successor_id, link.lag_days) for link in links]


@dataclass
class Gantt:
    tasks: list[dict]
    critical_ids: set
    cycle: list
    finish: datetime.date | None


def gantt(*, actions: list[Action], links: list[ActionDependency], today: datetime.date) -> Gantt:
    """The tasks as frappe-gantt reads them, critical ones marked; a cycle is reported, not drawn."""
    if not actions:
        return Gantt([], set(), [], None)
    origin = min(_span(a)[0] for a in actions)
    tasks, cpm_links = _cpm_input(actions, links, origin)
    cycle, schedule = [], {}
    try:
        schedule = cpm.critical_path(tasks, cpm_links)
    except cpm.CycleError as error:
        cycle = error.nodes
    critical = {pk for pk, entry in schedule.items() if entry.critical}
    predecessors: dict[int, list[str]] = {}
    for link in links:
        predecessors.setdefault(link.successor_id, []).append(str(link.predecessor_id))
    rows = []
    for action in actions:
        start, due = _span(action)
        classes = ["critical" if action.pk in critical else "",
                   "milestone" if action.start_on is None or action.start_on == action.due_on else "",
                   "late" if action.status in OPEN and due < today else "",
                   "done" if action.status == ActionStatus.DONE else ""]
        # frappe-gantt adds custom_class as one class token: the states are joined into one.
        rows.append({
            "id": str(action.pk), "name": action.title, "start": start.isoformat(), "end": due.isoformat(),
            "progress": action.progress, "dependencies": ", ".join(predecessors.get(action.pk, [])),
            "custom_class": "-".join(c for c in classes if c) or "normal", "version": action.version,
            "owner": person_label(action.owner), "url": action.get_absolute_url(),
            "slack": schedule[action.pk].slack if action.pk in schedule else None,
        })
    finish = origin + datetime.timedelta(days=max(e.ef for e in schedule.values()) - 1) if schedule else None
    return Gantt(rows, critical, cycle, finish)


@dataclass(frozen=True)
class Move:
    action: Action
    start_on: datetime.date
    due_on: datetime.date

    @property
    def pushes_due_date(self) -> bool:
        return self.due_on > self.action.due_on


def move_preview(*, action: Action, start_on: datetime.date, due_on: datetime.date, actions: list[Action],
                 links: list[ActionDependency]) -> list[Move]:
    """The moves a new span for ``action`` causes through the finish-to-start links."""
    by_id = {a.pk: a for a in actions}
    by_id.setdefault(action.pk, action)
    origin = min([start_on] + [_span(a)[0] for a in by_id.values()])
    tasks, cpm_links = _cpm_input(list(by_id.values()), links, origin)
    moved = cpm.propagate(tasks, cpm_links, moved=action.pk, new_start=(start_on - origin).days,
                          new_duration=(due_on - start_on).days + 1)
    result = []
    for pk, new_start in moved.items():
        current = by_id[pk]
        if pk == action.pk:
            result.append(Move(current, start_on, due_on))
            continue
        start, due = _span(current)
        shift = datetime.timedelta(days=new_start - (start - origin).days)
        result.append(Move(current, start + shift, due + shift))
    return result


def move_apply(*, moves: list[Move], acting_user, expected_version: int) -> list[Action]:
    """Write the moves in one transaction; the moved task's version is checked (409 when stale)
    and every task moved must be the user's to change."""
    saved = []
    with generic.recorded(acting_user, reason=_("Moved on the Gantt")):
        for index, move in enumerate(moves):
            generic.ensure_can(acting_user, "change", move.action)
            version = expected_version if index == 0 else None
            start_on = move.start_on if move.action.start_on is not None else None
            saved.append(generic.object_bump(
                obj=move.action, acting_user=acting_user, expected_version=version, start_on=start_on, due_on=move.due_on,
            ))
    return saved


def may_move(user, moves: list[Move]) -> bool:
    return all(can(user, "change", move.action) for move in moves)


# --- workload ---------------------------------------------------------------------------------


# An action nobody estimated counts as this many hours (shown as such on the page and in the
# API), so it is neither free nor invisible in an owner's week.
DEFAULT_EFFORT_HOURS = 4


@dataclass(frozen=True)
class WeekLoad:
    """One owner's week: open actions running in it, the hours they weigh (each action's
    estimate spread evenly over the calendar days of its span, start to due included) and
    how many of them had no estimate (counted at ``DEFAULT_EFFORT_HOURS``)."""

    actions: int = 0
    hours: float = 0.0
    unestimated: int = 0


# Hours of actions in one week from which the cell is flagged: QSE actions come on top of a
# person's usual job, so half a working week of them is already a lot.
OVERLOAD_HOURS = 18


def workload(*, user, first_monday: datetime.date, weeks: int, actions=None, overloaded_only: bool = False,
             limit: int | None = None, offset: int = 0) -> dict:
    """Open actions each owner has running in each ISO week (a week counts an action whose span
    overlaps it) and the hours they weigh that week, in one SQL query over the actions the
    user may see (``actions``: those, already filtered by site, process, owner...). An action
    of 10 hours from Monday to the next Sunday weighs 5 in each week.

    Owners come busiest first (their heaviest week, then their total hours), ``limit`` of them
    from ``offset`` (``overloaded_only``: those with a week from ``OVERLOAD_HOURS``), with
    ``count`` the number of owners in all; the weekly cells are aggregated in SQL for those
    owners only, so the answer does not grow with the organization's people."""
    last_sunday = first_monday + datetime.timedelta(weeks=weeks, days=-1)
    actions = Action.objects.restrict(user, "view") if actions is None else actions
    # Only the actions whose span overlaps the window can load a week of it (an exact
    # pre-filter, so the index on due dates does the work, not the join with the weeks).
    scoped = (actions.filter(archived_at__isnull=True, status__in=OPEN, due_on__gte=first_monday)
              .filter(Q(start_on__lte=last_sunday) | Q(start_on__isnull=True, due_on__lte=last_sunday))
              .order_by().values("owner_id", "start_on", "due_on", "estimated_hours"))
    inner, params = scoped.query.sql_with_params()
    having = "HAVING max(hours) >= %s" if overloaded_only else ""
    # The weeks are numbered by an integer series: PostgreSQL then knows there are ``weeks`` of
    # them (a date series is planned as 1,000 rows, whose cost made it JIT-compile the query).
    sql = f"""
        WITH a (owner_id, start_on, due_on, estimated_hours) AS ({inner}),
        weeks AS (SELECT %s::date + 7 * n AS week FROM generate_series(0, %s) AS n),
        cells AS (
            SELECT a.owner_id, w.week, count(*) AS actions,
                   sum(coalesce(a.estimated_hours, %s)
                       * (least(a.due_on, w.week + 6) - greatest(coalesce(a.start_on, a.due_on), w.week) + 1)
                       / (a.due_on - coalesce(a.start_on, a.due_on) + 1)) AS hours,
                   count(*) FILTER (WHERE a.estimated_hours IS NULL) AS unestimated
            FROM a JOIN weeks AS w ON w.week <= a.due_on AND w.week + 6 >= coalesce(a.start_on, a.due_on)
            GROUP BY 1, 2),
        owners AS (SELECT owner_id, max(hours) AS peak, sum(hours) AS total FROM cells GROUP BY owner_id {having}),
        page AS (SELECT owner_id, peak, total FROM owners ORDER BY peak DESC, total DESC, owner_id LIMIT %s OFFSET %s)
        SELECT k.n, p.owner_id, c.week, c.actions, c.hours, c.unestimated
        FROM (SELECT count(*) AS n FROM owners) AS k
        LEFT JOIN (page AS p JOIN cells AS c ON c.owner_id = p.owner_id) ON true
        ORDER BY p.peak DESC, p.total DESC, p.owner_id, c.week
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, first_monday, weeks - 1, DEFAULT_EFFORT_HOURS,
                             *([OVERLOAD_HOURS] if overloaded_only else []), limit, offset])
        rows = cursor.fetchall()
    cells: dict[int, dict[datetime.date, WeekLoad]] = {}  # busiest owner first
    for _count, owner_id, week, count, hours, unestimated in rows:
        if week is not None:
            cells.setdefault(owner_id, {})[week] = WeekLoad(count, round(float(hours), 1), unestimated)
    return {"weeks": [first_monday + datetime.timedelta(weeks=n) for n in range(weeks)], "cells": cells,
            "count": rows[0][0] if rows else 0}


def plan_progress(*, user, plan_ids, today: datetime.date) -> list[dict]:
    """Per plan: actions done (and effective), in progress, late, awaiting their check (one query)."""
    from improvement.selectors import status_counts

    rows = (
        Action.objects.restrict(user, "view").filter(archived_at__isnull=True, plan_id__in=list(plan_ids))
        .exclude(status=ActionStatus.CANCELLED).values("plan_id", "plan__title")
        .annotate(**status_counts(today=today)).order_by("plan__title")
    )
    return list(rows)
