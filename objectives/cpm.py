"""Critical path method over actions: finish-to-start links with a lag, forward and backward
pass, slack, and what moves when one task is moved. Pure: integers (days) in, integers out.

A task is (id, earliest start it may have, duration in days). Day numbers are offsets from
the plan's first day; a task spanning days 0..4 has duration 5, finishes at 5 (exclusive end).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass


class CycleError(ValueError):
    """The links loop; ``nodes`` are the tasks left in (or behind) the loop."""

    def __init__(self, nodes):
        super().__init__(f"dependency cycle among {sorted(nodes)}")
        self.nodes = sorted(nodes)


@dataclass(frozen=True)
class Task:
    id: int
    start: int  # the planned start: no earlier than this (a date constraint)
    duration: int


@dataclass(frozen=True)
class Link:
    predecessor: int
    successor: int
    lag: int = 0


@dataclass(frozen=True)
class Schedule:
    es: int
    ef: int
    ls: int
    lf: int

    @property
    def slack(self) -> int:
        return self.ls - self.es

    @property
    def critical(self) -> bool:
        return self.slack == 0


def topological_order(ids, links) -> list[int]:
    """Kahn's algorithm; a cycle raises ``CycleError``."""
    successors, indegree = defaultdict(list), {task_id: 0 for task_id in ids}
    for link in links:
        successors[link.predecessor].append(link)
        indegree[link.successor] += 1
    queue = deque(sorted(i for i, d in indegree.items() if d == 0))
    order = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for link in successors[node]:
            indegree[link.successor] -= 1
            if indegree[link.successor] == 0:
                queue.append(link.successor)
    if len(order) != len(indegree):
        raise CycleError(set(indegree) - set(order))
    return order


def critical_path(tasks: list[Task], links: list[Link]) -> dict[int, Schedule]:
    """ES/EF by the forward pass (no earlier than each task's own start), LS/LF by the backward
    pass from the project's finish; slack 0 is critical."""
    by_id = {task.id: task for task in tasks}
    order = topological_order(by_id, links)
    incoming, outgoing = defaultdict(list), defaultdict(list)
    for link in links:
        incoming[link.successor].append(link)
        outgoing[link.predecessor].append(link)
    es, ef = {}, {}
    for node in order:
        es[node] = max([by_id[node].start] + [ef[link.predecessor] + link.lag for link in incoming[node]])
        ef[node] = es[node] + by_id[node].duration
    finish = max(ef.values(), default=0)
    ls, lf = {}, {}
    for node in reversed(order):
        lf[node] = min([finish] + [ls[link.successor] - link.lag for link in outgoing[node]])
        ls[node] = lf[node] - by_id[node].duration
    return {node: Schedule(es[node], ef[node], ls[node], lf[node]) for node in order}


def propagate(tasks: list[Task], links: list[Link], *, moved: int, new_start: int, new_duration: int) -> dict[int, int]:
    """New starts after ``moved`` is set to start at ``new_start``: each successor keeps its own
    start unless a link now forbids it, then it moves just enough (its duration kept).
    Returns {task id: new start} for the tasks that move, ``moved`` included."""
    by_id = {task.id: task for task in tasks}
    by_id[moved] = Task(moved, new_start, new_duration)
    order = topological_order(by_id, links)
    incoming = defaultdict(list)
    for link in links:
        incoming[link.successor].append(link)
    start = {}
    for node in order:
        required = [start[link.predecessor] + by_id[link.predecessor].duration + link.lag for link in incoming[node]]
        start[node] = by_id[node].start if node == moved else max([by_id[node].start] + required)
    original = {task.id: task.start for task in tasks}
    return {node: value for node, value in start.items() if value != original[node] or node == moved}
