"""Mutation check of the role table: flipping any one cell of qse/roles.py makes the comparison
of tests/test_role_table.py fail.

Each (role, model, verb) cell of the production table is set, in memory and in turn, to each
right it does not have (``all``, ``own``, none), and the comparison against the hand-written
key must report at least one mismatch. 6 roles x 32 models x 4 verbs = 768 cells, 1,536
mutations, in process (no HTTP); on an attachment, whose rows are judged by their parent record,
turning "all" into "own" (or back) changes nothing and is not counted.
"""

from __future__ import annotations

import inspect

import pytest

from qse import roles
from qse.tenancy import activate, scope_restored
from tests import role_expectations as key
from tests.test_role_table import _cell_mismatches, _membership, build_rows

RIGHTS_TO_TRY = (roles.ALL, roles.OWN, None)


@pytest.fixture
def flip(monkeypatch):
    """Set one cell of the production table for the duration of a block (restored after)."""

    class Flip:
        def __call__(self, role, label, verb, right):
            table = roles.RIGHTS[role]
            rights = dict(table.get(label, table.get("*", {})))
            if right is None:
                rights.pop(verb, None)
            else:
                rights[verb] = right
            monkeypatch.setitem(table, label, rights)

        def undo(self):
            monkeypatch.undo()

    return Flip()


def test_flipping_any_one_cell_of_the_role_table_is_detected(world, flip):
    rows = build_rows(world)
    undetected, mutations, equivalent = [], 0, 0
    with scope_restored():
        for role in key.ROLES:
            membership = _membership(world, role)
            activate(membership)
            for label in key.LABELS:
                probes = rows.by_label[label]
                for verb in key.VERBS:
                    current = roles.right_for(role, label, verb)
                    for right in RIGHTS_TO_TRY:
                        if right == current:
                            continue
                        if label in key.RIGHTS_FROM_PARENT and {current, right} == {roles.ALL, roles.OWN}:
                            # The record a file belongs to decides for each row: "all" and "own"
                            # are the same right on an attachment (an equivalent mutant).
                            equivalent += 1
                            continue
                        flip(role, label, verb, right)
                        mutations += 1
                        if not _cell_mismatches(role, membership.user, label, probes, verbs=(verb,)):
                            undetected.append(f"{role} {label} {verb}: {current} -> {right}")
                        flip.undo()
    cells = len(key.ROLES) * len(key.LABELS) * len(key.VERBS)
    assert mutations + equivalent == 2 * cells, (mutations, equivalent, cells)
    assert equivalent <= len(key.ROLES) * len(key.VERBS)
    assert not undetected, "\n".join(undetected)


def test_the_answer_key_and_the_generic_tests_never_read_the_production_table():
    from qse import testing

    source = inspect.getsource(key)
    assert "from qse" not in source and "import qse" not in source and "right_for" not in source
    assert "right_for" not in inspect.getsource(testing.ObjectViewsTestCase)
