"""The getting-started checklist: ticked from the data, in one query, shown until complete."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from context.models import ContextIssue, PolicyStatement
from qse.checklist import checklist_of
from qse.models import Site
from qse.roles import Role


def _done(organization) -> set[str]:
    return {state.step.key for state in checklist_of(organization) if state.done}


def test_each_step_is_ticked_by_its_data(world):
    org = world.a.organization
    # World A: one site without headcount, one process with its owner, people, a plan with actions.
    assert _done(org) == {"processes", "people", "actions"}
    Site.objects.filter(organization=org).update(headcount=12)
    assert "sites" in _done(org)
    from qse.factories import ProcessFactory

    ProcessFactory(organization=org, code="S8", owner=None)
    assert "processes" not in _done(org)


def test_the_whole_checklist_is_read_in_one_query(world):
    with CaptureQueriesContext(connection) as queries:
        checklist_of(world.a.organization)
    assert len(queries.captured_queries) == 1


def test_context_and_policy_needs_both_an_issue_and_a_statement(world):
    from context.factories import ContextIssueFactory, PolicyStatementFactory

    org = world.a.organization
    ContextIssueFactory(organization=org)
    assert "context" not in _done(org)
    PolicyStatementFactory(organization=org)
    assert "context" in _done(org)
    assert ContextIssue.objects.filter(organization=org).exists() and PolicyStatement.objects.filter(organization=org).exists()


def test_the_checklist_shows_on_the_coordinators_home_and_not_to_management(client, world):
    client.force_login(world.a.users[Role.COORDINATOR])
    page = client.get("/org/todo/").content.decode()
    assert 'data-testid="checklist"' in page and 'data-step="matrix"' in page
    client.force_login(world.a.users[Role.MANAGEMENT])
    assert 'data-testid="checklist"' not in client.get("/org/todo/").content.decode()
