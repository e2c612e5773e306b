"""Critical path: forward/backward pass, slack, cycles, and what a move pushes. Hand-checked."""

import pytest

from objectives import cpm
from objectives.cpm import Link, Task

# A(0..2) -> B(3..7) -> D(8..9); A -> C(3..4) -> D; E alone (0..1)
TASKS = [Task(1, 0, 3), Task(2, 3, 5), Task(3, 3, 2), Task(4, 8, 2), Task(5, 0, 2)]
LINKS = [Link(1, 2), Link(1, 3), Link(2, 4), Link(3, 4)]


def test_the_longest_chain_is_critical_and_the_others_have_slack():
    schedule = cpm.critical_path(TASKS, LINKS)
    assert {k: (s.es, s.ef, s.ls, s.lf) for k, s in schedule.items()} == {
        1: (0, 3, 0, 3), 2: (3, 8, 3, 8), 3: (3, 5, 6, 8), 4: (8, 10, 8, 10), 5: (0, 2, 8, 10),
    }
    assert {k for k, s in schedule.items() if s.critical} == {1, 2, 4}
    assert schedule[3].slack == 3 and schedule[5].slack == 8


def test_a_lag_delays_the_successor_and_can_change_the_critical_path():
    schedule = cpm.critical_path(TASKS, [Link(1, 2), Link(1, 3, lag=5), Link(2, 4), Link(3, 4)])
    assert (schedule[3].es, schedule[3].ef) == (8, 10)
    assert (schedule[4].es, schedule[4].ef) == (10, 12)
    assert {k for k, s in schedule.items() if s.critical} == {1, 3, 4}
    assert schedule[2].slack == 2


def test_a_loop_is_reported_with_its_tasks():
    with pytest.raises(cpm.CycleError) as error:
        cpm.critical_path(TASKS, [*LINKS, Link(4, 1)])
    assert error.value.nodes == [1, 2, 3, 4]


def test_moving_a_task_later_pushes_its_successors_just_enough():
    moved = cpm.propagate(TASKS, LINKS, moved=1, new_start=2, new_duration=3)  # A now 2..4, finishes at 5
    assert moved == {1: 2, 2: 5, 3: 5, 4: 10}  # B and C start at 5, D after B (5+5)


def test_moving_a_task_inside_its_slack_moves_nothing_else():
    assert cpm.propagate(TASKS, LINKS, moved=3, new_start=5, new_duration=2) == {3: 5}  # C ends at 7, D starts at 8


def test_moving_a_task_earlier_leaves_its_successors_where_they_are():
    assert cpm.propagate(TASKS, LINKS, moved=2, new_start=3, new_duration=3) == {2: 3}
