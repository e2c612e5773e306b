"""The benchmark finds its probes in the registries: a module is measured once declared."""

from __future__ import annotations

import pytest

from improvement.models import Action
from improvement.tables import ActionTable
from qse.bench.discovery import discovered_probes, list_floor, report_kinds, table_columns
from qse.bench.probes import PROBES, time_floor
from qse.registry import declarations


def test_a_list_floor_is_the_sql_a_person_would_write_for_the_page():
    floor = list_floor(Action, table_columns(ActionTable), 25)

    assert floor.sql == (
        'SELECT t."id", t."title", j0."title", j1."first_name", j1."last_name", t."priority", t."status", '
        't."due_on", t."progress" FROM "improvement_action" t '
        'LEFT JOIN "improvement_actionplan" j0 ON j0."id" = t."plan_id" '
        'LEFT JOIN "auth_user" j1 ON j1."id" = t."owner_id" '
        'WHERE t."organization_id" = %(org)s AND t."archived_at" IS NULL ORDER BY t."due_on", t."id" LIMIT 25'
    )


def test_every_declared_list_and_its_api_are_probed_once_beside_the_hand_written_probes():
    probes = discovered_probes(PROBES)
    names = [probe.name for probe in probes]

    assert len(names) == len(set(names))
    for declaration in declarations():
        if declaration.parent:
            continue
        label = declaration.model._meta.label_lower
        if label in ("improvement.action", "risks.risk", "nonconformities.event"):
            continue  # their list is a hand-written probe already
        assert f"{label} list" in names
    # The modules added after the first benchmark, and a page of the navigation.
    assert {"compliance.evaluation list", "API objectives.indicator", "risks.wasteremoval list",
            "API risks.meterreading", "page compliance:dashboard"} <= set(names)
    assert not {"improvement.action list", "API improvement.action"} & set(names)  # hand-written already
    assert {entry.kind for entry in report_kinds(skip=set())} >= {"risks.register", "compliance.site_compliance",
                                                                 "risks.waste_register"}


@pytest.mark.django_db
def test_every_discovered_floor_runs_as_the_application_role(world):
    for probe in discovered_probes(PROBES):
        if probe.floor is not None:
            assert time_floor(probe.floor, world.a.organization.pk, repeat=1)["n"] == 1, probe.name
