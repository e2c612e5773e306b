"""Action services: guards, ownership rules, history, and the pages that call them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from improvement import services
from improvement.choices import ActionStatus, EffectivenessResult
from improvement.factories import ActionFactory
from improvement.models import Action
from qse.roles import Role
from qse.services import ConflictError
from qse.testing import TODAY, count_queries


def test_done_requires_the_deliverable_and_sets_progress(world, as_member):
    user = as_member(Role.COORDINATOR)
    action = world.a.actions[1]
    Action.objects.filter(pk=action.pk).update(deliverable="")
    action.refresh_from_db()
    with pytest.raises(ValidationError):
        services.action_transition(action=action, acting_user=user, to_status=ActionStatus.DONE, today=TODAY)
    Action.objects.filter(pk=action.pk).update(deliverable="Gamme révisée")
    action.refresh_from_db()
    done = services.action_transition(action=action, acting_user=user, to_status=ActionStatus.DONE, today=TODAY)
    assert (done.status, done.progress, done.done_on) == (ActionStatus.DONE, 100, TODAY)


def test_an_ineffective_action_is_reopened_and_an_effective_one_is_closed(world, as_member):
    user = as_member(Role.COORDINATOR)
    action = world.a.actions[2]
    reopened = services.action_record_effectiveness(
        action=action, acting_user=user, result=EffectivenessResult.NOT_EFFECTIVE, checked_on=TODAY, comment="Récurrence"
    )
    assert reopened.status == ActionStatus.IN_PROGRESS and not reopened.is_closed
    done = services.action_transition(action=reopened, acting_user=user, to_status=ActionStatus.DONE, today=TODAY)
    assert done.awaits_effectiveness_check
    closed = services.action_record_effectiveness(action=done, acting_user=user, result=EffectivenessResult.EFFECTIVE, checked_on=TODAY)
    assert closed.is_closed
    assert closed.effectiveness_checked_by == user


def test_effectiveness_is_checked_only_once_done(world, as_member):
    user = as_member(Role.COORDINATOR)
    with pytest.raises(ValidationError):
        services.action_record_effectiveness(action=world.a.actions[0], acting_user=user, result="effective", checked_on=TODAY)


def test_progress_moves_a_planned_action_and_100_percent_means_done(world, as_member):
    user = as_member(Role.PROCESS_OWNER)
    action = services.action_report_progress(action=world.a.actions[0], acting_user=user, progress=30, today=TODAY)
    assert (action.status, action.progress) == (ActionStatus.IN_PROGRESS, 30)
    action = services.action_report_progress(action=action, acting_user=user, progress=100, today=TODAY)
    assert action.status == ActionStatus.DONE


def test_a_stale_progress_update_is_a_conflict(world, as_member):
    user = as_member(Role.PROCESS_OWNER)
    action = world.a.actions[0]
    services.action_report_progress(action=action, acting_user=user, progress=20, today=TODAY, expected_version=action.version)
    with pytest.raises(ConflictError):
        services.action_report_progress(action=action, acting_user=user, progress=40, today=TODAY, expected_version=action.version)


def test_a_contributor_changes_only_the_actions_they_own(world, as_member):
    contributor = as_member(Role.CONTRIBUTOR)
    theirs = ActionFactory(organization=world.a.organization, owner=contributor, deliverable="x")
    services.action_report_progress(action=theirs, acting_user=contributor, progress=50, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.action_report_progress(action=world.a.actions[0], acting_user=contributor, progress=50, today=TODAY)


def test_a_process_owner_changes_the_actions_of_their_process(world, as_member):
    owner = as_member(Role.PROCESS_OWNER)
    other_owner = world.a.users[Role.CONTRIBUTOR]
    in_my_process = ActionFactory(organization=world.a.organization, owner=other_owner, process=world.a.process)
    elsewhere = ActionFactory(organization=world.a.organization, owner=other_owner)
    services.action_report_progress(action=in_my_process, acting_user=owner, progress=10, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.action_report_progress(action=elsewhere, acting_user=owner, progress=10, today=TODAY)


def test_history_names_the_acting_user_and_the_reason(world, as_member, client):
    user = as_member(Role.COORDINATOR)
    action = services.action_report_progress(action=world.a.actions[0], acting_user=user, progress=40, today=TODAY, comment="Devis signé")
    client.force_login(user)
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Devis signé" in page and user.get_full_name() in page


def test_moving_a_card_on_the_board_is_a_transition_with_history(client, world):
    client.force_login(world.user())
    action = world.a.actions[0]
    response = client.post(f"/improvement/actions/{action.pk}/move/", {"stage": "do"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert action.events.count() >= 2
    client.post(f"/improvement/actions/{action.pk}/move/", {"stage": "act"})
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS  # Act needs the effectiveness check


def test_the_board_shows_four_columns_with_a_constant_number_of_queries(client, world):
    client.force_login(world.user())
    few = count_queries(lambda: client.get("/improvement/board/"))
    for _ in range(10):
        ActionFactory(organization=world.a.organization, owner=world.a.users[Role.PROCESS_OWNER], plan=world.a.plan)
    response = client.get("/improvement/board/")
    assert response.status_code == 200
    assert count_queries(lambda: client.get("/improvement/board/")) == few
    assert [len(response.context["columns"][k]["actions"]) for k in ("plan", "do", "check", "act")] == [11, 1, 1, 0]


def test_each_board_column_is_cut_on_its_own_and_says_how_many_it_leaves_out(client, world, monkeypatch):
    """A thousand planned actions due first must not push the "Do" cards off the board."""
    from improvement import selectors

    board = selectors.pdca_board
    monkeypatch.setattr(selectors, "pdca_board", lambda **kwargs: board(**kwargs, limit_per_column=3))
    soon = datetime.date.today() + datetime.timedelta(days=1)
    for _ in range(7):
        ActionFactory(organization=world.a.organization, plan=world.a.plan, due_on=soon)
    doing = ActionFactory(organization=world.a.organization, plan=world.a.plan, status=ActionStatus.IN_PROGRESS,
                          due_on=soon + datetime.timedelta(days=300))
    client.force_login(world.user())
    response = client.get("/improvement/board/", HTTP_ACCEPT_LANGUAGE="fr")
    columns = response.context["columns"]
    assert [len(columns[k]["actions"]) for k in ("plan", "do")] == [3, 2]
    assert columns["plan"]["total"] == 8  # the world's own planned action and these 7
    assert doing in columns["do"]["actions"]
    page = response.content.decode()
    assert "3 sur 8 affichées : les voir toutes dans la liste" in page
    assert "/improvement/actions/?status=planned" in page


def test_my_actions_lists_what_the_owner_must_do_late_first(client, world):
    owner = world.a.users[Role.PROCESS_OWNER]
    late = ActionFactory(organization=world.a.organization, owner=owner, due_on=datetime.date.today() - datetime.timedelta(days=3))
    ActionFactory(organization=world.b.organization, owner=world.b.users[Role.PROCESS_OWNER])
    client.force_login(owner)
    response = client.get("/improvement/mine/")
    actions = list(response.context["actions"])
    assert actions[0] == late
    assert all(a.organization_id == world.a.organization.pk for a in actions)
    assert "calendar" in response.context["feed_url"]


def test_my_actions_come_a_page_at_a_time(client, world):
    owner = world.a.users[Role.PROCESS_OWNER]
    for _ in range(35):
        ActionFactory(organization=world.a.organization, owner=owner)
    client.force_login(owner)
    first = client.get("/improvement/mine/")
    assert len(first.context["actions"]) == 30
    second = client.get("/improvement/mine/", {"page": 2})
    assert 5 <= len(second.context["actions"]) < 30
    assert not set(first.context["actions"]) & set(second.context["actions"])


def test_a_quick_progress_tap_answers_the_card_partial(client, world):
    owner = world.a.users[Role.PROCESS_OWNER]
    action = world.a.actions[0]
    client.force_login(owner)
    response = client.post(
        f"/improvement/actions/{action.pk}/progress/", {"progress": 50, "version": action.version, "card": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and f'id="action-{action.pk}"' in response.content.decode()
    action.refresh_from_db()
    assert action.progress == 50


def test_the_dashboard_counts_in_sql_and_does_not_grow_with_rows(client, world):
    client.force_login(world.user())
    response = client.get("/improvement/")
    totals = response.context["data"]["totals"]
    assert totals == {"done": 0, "in_progress": 2, "late": 0, "awaiting_check": 1}
    assert "plotly-graph-div" in response.content.decode()
    few = count_queries(lambda: client.get("/improvement/"))
    late_day = datetime.date.today() - datetime.timedelta(days=1)
    for _ in range(10):
        ActionFactory(organization=world.a.organization, owner=world.a.users[Role.AUDITOR], due_on=late_day)
    assert count_queries(lambda: client.get("/improvement/")) == few
    assert client.get("/improvement/").context["data"]["totals"]["late"] == 10


def test_the_dashboard_shows_the_five_highest_open_risks_without_a_query_per_row(client, world):
    from risks.choices import RiskStatus
    from risks.factories import RiskFactory, RiskMatrixFactory

    def risk(side, reference, gravity, probability, **extra):
        return RiskFactory(organization=side.organization, matrix=side.matrix, owner=side.users[Role.COORDINATOR],
                           reference=reference, title=f"Risque {reference}", inherent_gravity=gravity,
                           inherent_probability=probability, **extra)

    for side in (world.a, world.b):
        side.matrix = RiskMatrixFactory(organization=side.organization, is_default=True)
    risk(world.b, "B-001", 5, 5)
    risk(world.a, "A-CLOSED", 5, 5, status=RiskStatus.CLOSED)
    risk(world.a, "A-TREATED", 5, 5, residual_gravity=1, residual_probability=2)  # residual 2 counts, not inherent 25
    for index, (gravity, probability) in enumerate(((5, 4), (4, 4), (3, 3))):
        risk(world.a, f"A-{index}", gravity, probability)
    client.force_login(world.user(Role.MANAGEMENT))

    response = client.get("/improvement/")
    rows = response.context["top_risks"]
    assert [row["risk"].reference for row in rows] == ["A-0", "A-1", "A-2", "A-TREATED"]
    assert "#c62828" in str(rows[0]["tag"]) and 'data-testid="top-risks"' in response.content.decode()
    few = count_queries(lambda: client.get("/improvement/"))
    for index in range(27):
        risk(world.a, f"A-MORE-{index}", 2, 2, process=world.a.process)
    assert count_queries(lambda: client.get("/improvement/")) == few
    assert len(client.get("/improvement/").context["top_risks"]) == 5


def test_the_api_runs_workflow_steps_with_guards(client, world):
    client.force_login(world.user())
    action = world.a.actions[1]
    response = client.post(f"/api/v1/improvement/actions/{action.pk}/transition/", {"status": "done"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    response = client.post(f"/api/v1/improvement/actions/{action.pk}/transition/", {"status": "cancelled"}, content_type="application/json")
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/improvement/actions/{action.pk}/effectiveness/",
        {"result": "effective", "checked_on": str(TODAY)}, content_type="application/json",
    )
    assert response.json()["is_closed"] is True
