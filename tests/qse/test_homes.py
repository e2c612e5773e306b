"""A home per role, and home figures that can be trusted: every tile's number is the number
of rows of the list it opens, for every role that sees it."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement.choices import ActionStatus, EffectivenessResult
from improvement.factories import ActionFactory
from nonconformities.choices import EventStatus
from nonconformities.factories import EventFactory
from qse.roles import Role
from risks.factories import RiskFactory, RiskMatrixFactory

TILE = re.compile(r'<a class="kpi[^"]*" href="([^"]+)"[^>]*>\s*<span[^>]*>([^<]+)</span>')
ROWS = re.compile(r'<span data-testid="row-count">(\d+)</span>')


@pytest.fixture
def busy_world(world):
    """Organization A with something in every tile: late, done and checked actions, events
    to triage, to verify and of this month, risks at several levels; B has the same, to
    prove no figure counts another organization."""
    today = timezone.localdate()
    for side in (world.a, world.b):
        owner = side.users[Role.PROCESS_OWNER]
        org = side.organization
        ActionFactory(organization=org, plan=side.plan, owner=owner, process=side.process,
                      due_on=today - datetime.timedelta(days=5), status=ActionStatus.IN_PROGRESS)
        ActionFactory(organization=org, plan=side.plan, owner=owner, status=ActionStatus.DONE,
                      effectiveness_result=EffectivenessResult.EFFECTIVE)
        ActionFactory(organization=org, plan=side.plan, owner=owner, status=ActionStatus.DONE,
                      effectiveness_result=EffectivenessResult.NOT_EFFECTIVE)
        for status in (EventStatus.REPORTED, EventStatus.VERIFICATION, EventStatus.OPEN, EventStatus.REJECTED):
            EventFactory(organization=org, status=status, occurred_at=timezone.now())
        EventFactory(organization=org, occurred_at=timezone.now() - datetime.timedelta(days=70))
        matrix = RiskMatrixFactory(organization=org, is_default=True)
        for gravity, probability in ((1, 1), (3, 3), (5, 5), (5, 5)):
            RiskFactory(organization=org, matrix=matrix, owner=owner, inherent_gravity=gravity,
                        inherent_probability=probability)
    return world


def _tiles(page: str) -> list[tuple[str, str]]:
    return [(html.unescape(url), count.strip()) for url, count in TILE.findall(page)]


def _rows_of(client, url: str) -> int:
    page = client.get(url).content.decode()
    if url.startswith(reverse("nonconformities:event_triage")):
        return page.count('<section class="card triage"')
    found = ROWS.search(page)
    assert found, f"{url} shows no row count"
    return int(found.group(1))


@pytest.mark.parametrize("role, landing", [
    (Role.PROCESS_OWNER, "improvement:my_actions"),
    (Role.CONTRIBUTOR, "improvement:my_actions"),
    (Role.MANAGEMENT, "objectives:management_home"),  # tests/objectives/test_dashboards.py follows it
    (Role.COORDINATOR, "qse:todo"),
    (Role.ADMIN, "qse:todo"),
    (Role.AUDITOR, "improvement:dashboard"),
])
def test_each_role_lands_on_its_own_home(client, world, role, landing):
    client.force_login(world.a.users[role])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MANAGEMENT, Role.PROCESS_OWNER, Role.AUDITOR])
@pytest.mark.parametrize("home", ["qse:todo", "qse:management_dashboard", "improvement:dashboard"])
def test_every_tile_number_equals_the_rows_of_the_list_it_opens(client, busy_world, role, home):
    client.force_login(busy_world.a.users[role])
    tiles = _tiles(client.get(reverse(home)).content.decode())
    counted = [(url, count) for url, count in tiles if count.isdigit()]
    assert counted or role not in (Role.COORDINATOR, Role.MANAGEMENT), "no tile to check"
    for url, count in counted:
        assert _rows_of(client, url) == int(count), f"{home}: tile {count} opens {url}"


def test_the_management_tiles_count_what_was_made_by_hand(client, busy_world):
    client.force_login(busy_world.a.users[Role.MANAGEMENT])
    counts = [count for _url, count in _tiles(client.get(reverse("qse:management_dashboard")).content.decode())]
    # late, done (effective), events of this month (the 3 not rejected of today)
    assert counts[4:7] == ["1", "1", "3"], counts


@pytest.mark.parametrize("home", ["qse:management_dashboard", "qse:todo"])
def test_the_homes_read_the_action_totals_in_one_query_without_breakdowns(client, busy_world, home):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(busy_world.a.users[Role.COORDINATOR])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(home)).status_code == 200
    sqls = [q["sql"] for q in queries.captured_queries]
    # The four totals in one aggregate; no GROUP BY plan, process or owner the page does not show.
    assert len([sql for sql in sqls if sql.startswith('SELECT COUNT("improvement_action"."id") FILTER')]) == 1
    assert [sql for sql in sqls if 'FROM "improvement_action"' in sql and "GROUP BY" in sql] == []
