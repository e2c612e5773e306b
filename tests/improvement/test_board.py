"""The PDCA board at scale: each column read with its own LIMIT and counted up to a cap, so the
board's work does not grow with the organization's actions; same cards, order and rights."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from improvement import selectors
from improvement.choices import ActionStatus, EffectivenessResult
from improvement.factories import ActionFactory, ActionPlanFactory
from qse.models import Membership, Site
from qse.roles import Role
from qse.tenancy import activate

DAY = datetime.date(2027, 3, 1)


def _on(days: int) -> datetime.date:
    return DAY + datetime.timedelta(days=days)


def _titles(column) -> list[str]:
    return [action.title for action in column["actions"]]


def test_each_column_shows_its_first_cards_by_due_date_and_counts_up_to_its_cap(world, as_member):
    user = as_member(Role.COORDINATOR)
    plan = ActionPlanFactory(organization=world.a.organization)
    # Seven planned actions, created out of due order; two share a due date (the older first).
    for title, days in [("P5", 5), ("P1", 1), ("P7", 7), ("P3a", 3), ("P3b", 3), ("P6", 6), ("P2", 2)]:
        ActionFactory(plan=plan, title=title, due_on=_on(days))
    ActionFactory(plan=plan, title="D1", status=ActionStatus.IN_PROGRESS, due_on=_on(40))
    ActionFactory(plan=plan, title="C-unchecked", status=ActionStatus.DONE, due_on=_on(9))
    ActionFactory(plan=plan, title="C-ineffective", status=ActionStatus.DONE, due_on=_on(8),
                  effectiveness_result=EffectivenessResult.NOT_EFFECTIVE)
    ActionFactory(plan=plan, title="A1", status=ActionStatus.DONE, due_on=_on(1),
                  effectiveness_result=EffectivenessResult.EFFECTIVE)
    ActionFactory(plan=plan, title="cancelled", status=ActionStatus.CANCELLED, due_on=_on(0))
    ActionFactory(plan=plan, title="archived", due_on=_on(0), archived_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))

    columns = selectors.pdca_board(user=user, plan_id=plan.pk, limit_per_column=3, count_cap=5)

    assert _titles(columns["plan"]) == ["P1", "P2", "P3a"]
    assert (columns["plan"]["total"], columns["plan"]["capped"]) == (5, True)  # seven: "more than 5"
    assert (_titles(columns["do"]), columns["do"]["total"], columns["do"]["capped"]) == (["D1"], 1, False)
    assert _titles(columns["check"]) == ["C-ineffective", "C-unchecked"]
    assert (columns["check"]["total"], columns["check"]["capped"]) == (2, False)
    assert (_titles(columns["act"]), columns["act"]["total"]) == (["A1"], 1)
    # Exactly at the cap is an exact count, not "more than".
    five = selectors.pdca_board(user=user, plan_id=plan.pk, limit_per_column=3, count_cap=7)
    assert (five["plan"]["total"], five["plan"]["capped"]) == (7, False)


def test_a_member_limited_to_a_site_sees_on_the_board_only_its_cards_and_counts(world, as_member):
    user = as_member(Role.COORDINATOR)
    plan = ActionPlanFactory(organization=world.a.organization)
    elsewhere = Site.objects.create(organization=world.a.organization, code="ALP2", name="Site 2")
    ActionFactory(plan=plan, title="here", site=world.a.site, due_on=_on(2))
    ActionFactory(plan=plan, title="everywhere", site=None, due_on=_on(3))
    ActionFactory(plan=plan, title="there", site=elsewhere, due_on=_on(1))
    ActionFactory(plan=plan, title="there too", site=elsewhere, status=ActionStatus.IN_PROGRESS, due_on=_on(1))
    limited = Membership.objects.select_related("organization").get(user=user, organization=world.a.organization)
    limited.sites.add(world.a.site)
    activate(limited)

    columns = selectors.pdca_board(user=user, plan_id=plan.pk)

    assert (_titles(columns["plan"]), columns["plan"]["total"]) == (["here", "everywhere"], 2)
    assert (_titles(columns["do"]), columns["do"]["total"]) == ([], 0)


def test_the_board_reads_each_column_with_a_limit_and_says_more_than_past_the_cap(client, world, monkeypatch):
    """No window over every action, no COUNT of every row: the page's work is bounded."""
    board = selectors.pdca_board
    monkeypatch.setattr(selectors, "pdca_board", lambda **kwargs: board(**kwargs, limit_per_column=3, count_cap=5))
    for days in range(7):
        ActionFactory(organization=world.a.organization, plan=world.a.plan, due_on=_on(days))
    client.force_login(world.user())
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/improvement/board/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "3 sur plus de 5 affichées : les voir toutes dans la liste" in page
    assert "5+</small>" in page
    board_sql = [q["sql"] for q in queries.captured_queries if '"improvement_action"' in q["sql"]]
    assert len(board_sql) == 2, board_sql  # the cards, the counts
    assert not any(" OVER (" in sql.upper() for sql in board_sql)
    cards, counts = board_sql
    assert cards.count("LIMIT 3") == 4 and counts.count("LIMIT 6") == 4
