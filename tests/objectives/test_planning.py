"""The Gantt through the API: critical path, moving a task (what moves, due dates pushed,
version check, rights), the workload per owner per ISO week, and the pages."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from improvement.factories import ActionFactory, ActionPlanFactory
from improvement.models import Action
from objectives.factories import ActionDependencyFactory, ObjectiveFactory, PolicyAxisFactory
from objectives.planning import workload
from qse.models import Membership
from qse.roles import Role
from qse.tenancy import activate, scope_restored
from qse.testing import count_queries

D = datetime.date


@pytest.fixture
def plan(world):
    """A(1-3 Dec) -> B(4-8 Dec) -> D(9-10 Dec); A -> C(4-5 Dec) -> D; all owned by the process owner."""
    side = world.a
    owner = side.users[Role.PROCESS_OWNER]
    plan = ActionPlanFactory(organization=side.organization, owner=owner, process=side.process, title="Plan bruit")

    def action(title, start, due):
        return ActionFactory(organization=side.organization, plan=plan, owner=owner, process=side.process, title=title,
                             start_on=start, due_on=due)

    a = action("Mesurer", D(2027, 12, 1), D(2027, 12, 3))
    b = action("Capoter", D(2027, 12, 4), D(2027, 12, 8))
    c = action("Former", D(2027, 12, 4), D(2027, 12, 5))
    d = action("Vérifier", D(2027, 12, 9), D(2027, 12, 10))
    for first, second in ((a, b), (a, c), (b, d), (c, d)):
        ActionDependencyFactory(predecessor=first, successor=second)
    plan.tasks = {"a": a, "b": b, "c": c, "d": d}
    return plan


def test_the_gantt_marks_the_critical_path_and_the_slack(client, world, plan):
    client.force_login(world.user())
    data = client.get(f"/api/v1/objectives/plans/{plan.pk}/gantt/").json()
    t = plan.tasks
    assert set(data["critical"]) == {t["a"].pk, t["b"].pk, t["d"].pk}
    by_id = {task["id"]: task for task in data["tasks"]}
    assert by_id[str(t["c"].pk)]["slack"] == 3 and "critical" not in by_id[str(t["c"].pk)]["custom_class"]
    assert " " not in by_id[str(t["a"].pk)]["custom_class"]  # one class token (frappe-gantt refuses spaces)
    assert by_id[str(t["d"].pk)]["dependencies"] in (f"{t['b'].pk}, {t['c'].pk}", f"{t['c'].pk}, {t['b'].pk}")
    assert data["finish"] == "2027-12-10"


def test_a_loop_of_links_is_reported_on_the_page_instead_of_a_critical_path(client, world, plan):
    ActionDependencyFactory(predecessor=plan.tasks["d"], successor=plan.tasks["a"])
    client.force_login(world.user())
    page = client.get(f"/objectives/plans/{plan.pk}/gantt/")
    assert page.status_code == 200 and 'data-testid="cycle"' in page.content.decode()


def _move(client, action, start, due, version=None, apply=False):
    return client.post(f"/api/v1/objectives/gantt/actions/{action.pk}/move/",
                       {"start_on": start, "due_on": due, "version": version or action.version, "apply": apply},
                       content_type="application/json")


def test_moving_a_task_previews_what_moves_with_it_and_the_due_dates_pushed(client, world, plan):
    t = plan.tasks
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    answer = _move(client, t["a"], "2027-12-03", "2027-12-05").json()  # A two days later
    moves = {m["id"]: (m["start_on"], m["due_on"], m["pushes_due_date"]) for m in answer["moves"]}
    assert moves == {
        t["a"].pk: ("2027-12-03", "2027-12-05", True),
        t["b"].pk: ("2027-12-06", "2027-12-10", True),
        t["c"].pk: ("2027-12-06", "2027-12-07", True),
        t["d"].pk: ("2027-12-11", "2027-12-12", True),
    }
    assert answer["applied"] is False and answer["may_apply"] is True
    assert Action.objects.get(pk=t["d"].pk).due_on == D(2027, 12, 10)  # a preview writes nothing


def test_applying_a_move_saves_every_task_and_a_stale_version_is_a_conflict(client, world, plan):
    t = plan.tasks
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    stale = t["c"].version
    assert _move(client, t["c"], "2027-12-06", "2027-12-07", apply=True).json()["applied"] is True  # inside its slack
    assert Action.objects.get(pk=t["c"].pk).due_on == D(2027, 12, 7)
    assert Action.objects.get(pk=t["d"].pk).due_on == D(2027, 12, 10)  # C had 3 days of slack: D stays
    conflict = _move(client, t["c"], "2027-12-07", "2027-12-08", version=stale, apply=True)
    assert conflict.status_code == 409
    assert Action.objects.get(pk=t["c"].pk).due_on == D(2027, 12, 7)


def test_a_move_that_drags_a_task_the_user_may_not_change_is_refused_whole(client, world, plan):
    t = plan.tasks
    Action.objects.filter(pk=t["d"].pk).update(owner=world.a.users[Role.COORDINATOR], process=None)
    contributor = world.a.users[Role.CONTRIBUTOR]
    Action.objects.filter(pk__in=[t["a"].pk, t["b"].pk]).update(owner=contributor)
    client.force_login(contributor)
    preview = _move(client, t["b"], "2027-12-06", "2027-12-10").json()
    assert preview["may_apply"] is False
    refused = _move(client, t["b"], "2027-12-06", "2027-12-10", apply=True)
    assert refused.status_code == 403
    assert Action.objects.get(pk=t["b"].pk).due_on == D(2027, 12, 8)


def test_another_organizations_task_and_plan_answer_404(client, world, plan):
    client.force_login(world.b.users[Role.COORDINATOR])
    assert client.get(f"/api/v1/objectives/plans/{plan.pk}/gantt/").status_code == 404
    assert _move(client, plan.tasks["a"], "2027-12-03", "2027-12-05").status_code == 404
    assert client.get(f"/objectives/plans/{plan.pk}/gantt/").status_code == 404


def test_the_workload_counts_open_actions_per_owner_per_iso_week_in_one_query(client, world, plan):
    client.force_login(world.user())
    owner = world.a.users[Role.PROCESS_OWNER]
    data = client.get("/api/v1/objectives/workload/", {"start": "2027-11-29", "weeks": 3}).json()
    assert data["weeks"] == ["2027-11-29", "2027-12-06", "2027-12-13"]
    row = next(o for o in data["owners"] if o["owner"] == owner.pk)
    # week of 29 Nov: A, B, C (B and C start on the 4th); week of 6 Dec: B, D; week of 13 Dec: none
    assert row["weeks"] == [3, 2, 0]

    with scope_restored():
        activate(Membership.objects.get(user=world.user(), organization=world.a.organization))
        workload(user=world.user(), first_monday=D(2027, 11, 29), weeks=1)  # the membership's sites, read once
        assert count_queries(lambda: workload(user=world.user(), first_monday=D(2027, 11, 29), weeks=12)) == 1


def test_the_workload_weighs_each_week_by_the_estimated_hours_spread_over_the_actions_span(client, world, plan):
    t = plan.tasks
    for key, hours in (("a", "6"), ("b", "10"), ("d", "3")):  # C has no estimate: it counts 4 h
        Action.objects.filter(pk=t[key].pk).update(estimated_hours=hours)
    client.force_login(world.user())
    data = client.get("/api/v1/objectives/workload/", {"start": "2027-11-29", "weeks": 3}).json()
    row = next(o for o in data["owners"] if o["owner"] == world.a.users[Role.PROCESS_OWNER].pk)
    # week of 29 Nov: A 6 h + B 2 of its 5 days (4 h) + C 4 h (default); week of 6 Dec: B 3/5 (6 h) + D 3 h
    assert row["hours"] == [14.0, 9.0, 0.0]
    assert row["unestimated"] == [1, 0, 0]
    assert data["default_hours"] == 4


def test_the_workload_page_marks_the_weeks_counted_with_the_default_effort(client, world):
    today = timezone.localdate()
    owner = world.a.users[Role.PROCESS_OWNER]
    ActionFactory(organization=world.a.organization, owner=owner, process=world.a.process, title="Sans estimation",
                  start_on=today, due_on=today)
    ActionFactory(organization=world.a.organization, owner=owner, process=world.a.process, title="Estimée",
                  start_on=today, due_on=today, estimated_hours="20")
    client.force_login(world.user())
    html = client.get("/objectives/workload/").content.decode()
    # 20 h estimated + 4 h counted for the other, flagged (from 18 h) and marked as partly a default
    assert re.search(r'class="overload" title="2 actions en cours, 1 sans estimation \(comptée 4 h\)">24<span class="unestimated"', html)


def test_a_negative_estimated_effort_is_refused_with_a_message(client, world):
    client.force_login(world.user())
    answer = client.post("/api/v1/improvement/actions/", {
        "title": "Former les caristes", "owner": world.user().pk, "due_on": "2027-12-10", "estimated_hours": "-2",
    }, content_type="application/json")
    assert answer.status_code == 400 and "estimated_hours" in answer.json()
    created = client.post("/api/v1/improvement/actions/", {
        "title": "Former les caristes", "owner": world.user().pk, "due_on": "2027-12-10", "estimated_hours": "7.5",
    }, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert Action.objects.get(pk=created.json()["id"]).estimated_hours == Decimal("7.5")


def test_the_objective_gantt_gathers_the_plans_that_serve_it_and_the_pages_render(client, world, plan):
    objective = ObjectiveFactory(organization=world.a.organization, axis=PolicyAxisFactory(organization=world.a.organization),
                                 owner=world.user())
    objective.action_plans.add(plan)
    client.force_login(world.user())
    data = client.get(f"/api/v1/objectives/objectives/{objective.pk}/gantt/").json()
    assert {int(task["id"]) for task in data["tasks"]} == {a.pk for a in plan.tasks.values()}
    page = client.get(f"/objectives/objectives/{objective.pk}/gantt/").content.decode()
    assert 'id="gantt-tasks"' in page and "Capoter" in page
    assert client.get("/objectives/workload/").status_code == 200
    assert client.get(objective.get_absolute_url()).status_code == 200


def test_an_action_spreadsheets_effort_column_is_read_as_the_estimated_hours():
    from improvement.forms import ActionForm
    from improvement.views import ActionViews
    from qse.import_columns import propose_columns

    columns = ["Action à mener", "Pilote", "Charge (h)", "Échéance"]
    proposed = propose_columns(columns, ActionForm, ActionViews.import_fields)
    assert proposed["Charge (h)"] == "estimated_hours" and proposed["Pilote"] == "owner"
    assert propose_columns(["Estimated effort"], ActionForm, ActionViews.import_fields) == {"Estimated effort": "estimated_hours"}
