"""The action pages' reads that must not grow with the organization's actions: the actions
dashboard in one grouped query, "My actions" through the owner and process indexes, the
to-do tiles without the dashboard's breakdowns. Same figures as before (written by hand)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from improvement import selectors
from improvement.choices import ActionStatus, EffectivenessResult
from improvement.factories import ActionFactory, ActionPlanFactory
from improvement.models import Action
from qse.factories import UserFactory
from qse.models import Process
from qse.roles import Role

TODAY = datetime.date(2027, 3, 10)
LATE = TODAY - datetime.timedelta(days=5)
SOON = TODAY + datetime.timedelta(days=5)


def _archive_the_worlds_actions(world):
    Action.objects.filter(organization=world.a.organization).update(archived_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))


def _action_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if '"improvement_action"' in q["sql"]]


def test_the_actions_dashboard_counts_every_breakdown_in_one_query(world, as_member):
    user = as_member(Role.COORDINATOR)
    _archive_the_worlds_actions(world)
    zoe = UserFactory(first_name="Zoé", last_name="Arnaud", username="zarnaud")
    bob = UserFactory(first_name="Bob", last_name="Martin", username="bmartin")
    first = ActionPlanFactory(organization=world.a.organization, title="Plan B")
    twin = ActionPlanFactory(organization=world.a.organization, title="Plan B")  # same title: one row, as before
    other = ActionPlanFactory(organization=world.a.organization, title="Plan A")
    process = world.a.process
    ActionFactory(plan=first, owner=zoe, process=process, due_on=LATE)  # late
    ActionFactory(plan=twin, owner=zoe, due_on=SOON, status=ActionStatus.IN_PROGRESS)  # in progress
    ActionFactory(plan=other, owner=bob, process=process, due_on=LATE, status=ActionStatus.DONE)  # awaiting check
    ActionFactory(plan=other, owner=bob, due_on=LATE, status=ActionStatus.DONE,
                  effectiveness_result=EffectivenessResult.EFFECTIVE)  # done (effective)
    ActionFactory(organization=world.a.organization, owner=bob, due_on=SOON)  # no plan, in progress
    ActionFactory(plan=other, owner=bob, due_on=LATE, status=ActionStatus.CANCELLED)  # not counted

    with CaptureQueriesContext(connection) as queries:
        data = selectors.action_dashboard(user=user, today=TODAY)

    assert len(_action_queries(queries)) == 1
    figures = ("done", "in_progress", "late", "awaiting_check")
    assert data["totals"] == dict(zip(figures, (1, 2, 1, 1), strict=True))
    assert [(row["plan__title"], *(row[f] for f in figures)) for row in data["by_plan"]] == [
        ("Plan A", 1, 0, 0, 1), ("Plan B", 0, 1, 1, 0), (None, 0, 1, 0, 0),
    ]
    assert [(row["process__code"], *(row[f] for f in figures)) for row in data["by_process"]] == [
        (process.code, 0, 0, 1, 1), (None, 1, 2, 0, 0),
    ]
    assert [(row["owner__last_name"], row["owner__first_name"], row["owner__username"], *(row[f] for f in figures))
            for row in data["by_owner"]] == [
        ("Arnaud", "Zoé", "zarnaud", 0, 1, 1, 0), ("Martin", "Bob", "bmartin", 1, 1, 0, 1),
    ]


def test_the_to_do_tiles_count_late_and_unchecked_actions_without_the_dashboard_breakdowns(client, world):
    _archive_the_worlds_actions(world)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    for due_on, status, result in [
        (yesterday, ActionStatus.PLANNED, ""), (yesterday, ActionStatus.IN_PROGRESS, ""),
        (tomorrow, ActionStatus.PLANNED, ""), (yesterday, ActionStatus.DONE, ""),
        (yesterday, ActionStatus.DONE, EffectivenessResult.NOT_EFFECTIVE),
        (yesterday, ActionStatus.DONE, EffectivenessResult.EFFECTIVE), (yesterday, ActionStatus.CANCELLED, ""),
    ]:
        ActionFactory(plan=world.a.plan, due_on=due_on, status=status, effectiveness_result=result)
    client.force_login(world.a.users[Role.COORDINATOR])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/org/todo/")
    late, awaiting = response.context["tiles"][:2]
    assert late.count == 2
    assert awaiting.count == 2  # not checked, and found not effective
    # One aggregate of the two figures (the getting-started checklist asks other things).
    figures = [sql for sql in _action_queries(queries) if 'COUNT("improvement_action"."id") FILTER' in sql]
    assert len(figures) == 1
    assert not any("GROUP BY" in sql for sql in _action_queries(queries))


def test_my_actions_are_found_through_the_owner_and_process_indexes_not_a_join(client, world):
    owner = world.a.users[Role.PROCESS_OWNER]
    mine = Process.objects.create(organization=world.a.organization, code="MINE", name="Mon processus", owner=owner)
    _archive_the_worlds_actions(world)
    owned = ActionFactory(plan=world.a.plan, owner=owner, title="owned", due_on=SOON)
    of_my_process = ActionFactory(plan=world.a.plan, process=mine, title="of my process", due_on=LATE)
    ActionFactory(plan=world.a.plan, title="someone else's", due_on=LATE)
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/improvement/mine/")
    assert [action.pk for action in response.context["actions"]] == [of_my_process.pk, owned.pk]  # late first
    for sql in _action_queries(queries):  # the page and its count
        assert '"qse_process"."owner_id" =' not in sql and "= ANY(ARRAY(" in sql


def test_the_plan_list_counts_each_shown_plans_actions_and_the_api_does_not_count_them(client, world):
    _archive_the_worlds_actions(world)
    plan = ActionPlanFactory(organization=world.a.organization, title="Plan de progrès 2027")
    ActionFactory(plan=plan, due_on=SOON)
    ActionFactory(plan=plan, due_on=LATE, status=ActionStatus.DONE)
    ActionFactory(plan=plan, due_on=LATE, status=ActionStatus.DONE, archived_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))
    empty = ActionPlanFactory(organization=world.a.organization, title="Plan vide")
    client.force_login(world.a.users[Role.COORDINATOR])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/improvement/actionplans/")
    rows = {row.record.pk: row.record for row in response.context["table"].paginated_rows}
    assert (rows[plan.pk].action_count, rows[plan.pk].done_count) == (2, 1)
    assert (rows[empty.pk].action_count, rows[empty.pk].done_count) == (0, 0)
    # Counted per plan shown (a subquery), never a join of every action grouped by plan.
    plan_sql = [q["sql"] for q in queries.captured_queries if 'FROM "improvement_actionplan"' in q["sql"]]
    assert plan_sql and not any('JOIN "improvement_action" ' in sql or "GROUP BY" in sql.split("(SELECT")[0]
                                for sql in plan_sql)
    with CaptureQueriesContext(connection) as queries:
        api = client.get("/api/v1/improvement/actionplans/", {"limit": 1000})
    assert api.status_code == 200 and {row["id"] for row in api.json()["results"]} >= {plan.pk, empty.pk}
    assert not any('"improvement_action"' in q["sql"] for q in queries.captured_queries)


def test_the_suggestion_list_counts_live_supports_without_grouping_the_list(client, world, as_member):
    from improvement.factories import SuggestionFactory
    from improvement.models import SuggestionSupport

    as_member(Role.COORDINATOR)
    supported = SuggestionFactory(organization=world.a.organization, title="Tapis anti-fatigue")
    SuggestionFactory(organization=world.a.organization, title="Sans soutien")
    for role in (Role.AUDITOR, Role.MANAGEMENT):
        SuggestionSupport.objects.create(organization=world.a.organization, suggestion=supported,
                                         supporter=world.a.users[role])
    SuggestionSupport.objects.create(organization=world.a.organization, suggestion=supported,
                                     supporter=world.a.users[Role.PROCESS_OWNER],
                                     archived_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))
    client.force_login(world.a.users[Role.COORDINATOR])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/improvement/suggestions/")
    counts = {row.record.title: row.record.support_count for row in response.context["table"].paginated_rows}
    assert (counts["Tapis anti-fatigue"], counts["Sans soutien"]) == (2, 0)
    listed = [q["sql"] for q in queries.captured_queries if 'FROM "improvement_suggestion"' in q["sql"]]
    assert listed and not any('JOIN "improvement_suggestionsupport"' in sql for sql in listed)
