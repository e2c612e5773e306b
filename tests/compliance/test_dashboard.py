"""The compliance dashboard: rates per site, domain and theme computed in SQL (hand-counted
here), overdue evaluations, gaps with their actions, never-evaluated pairs, legal changes
since a date; the page, its API and their query counts."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from compliance import selectors_dashboard as figures
from compliance.factories import (
    ApplicabilityFactory,
    EvaluationFactory,
    RequirementFactory,
    TextFactory,
    TextVersionFactory,
)
from improvement.factories import ActionFactory
from qse.factories import SiteFactory
from qse.roles import Role
from qse.testing import count_queries

TODAY = datetime.date(2026, 11, 23)


def _data(world):
    org = world.a.organization
    site2 = SiteFactory(organization=org, code="AL2", name="Site Bis")
    text = TextFactory(organization=org, reference="Code du travail")
    safety = [RequirementFactory(text=text, domains=["S"], themes=["bruit"]) for _ in range(3)]
    env = [RequirementFactory(text=text, domains=["E"], themes=["déchets"]) for _ in range(2)]
    both = RequirementFactory(text=text, domains=["S", "E"], themes=["bruit", "déchets"])
    evaluations = [
        EvaluationFactory(requirement=safety[0], site=world.a.site, status="compliant", next_due_on=TODAY - datetime.timedelta(days=3)),
        EvaluationFactory(requirement=safety[1], site=world.a.site, status="non_compliant"),
        EvaluationFactory(requirement=safety[2], site=world.a.site, status="to_verify"),
        EvaluationFactory(requirement=env[0], site=world.a.site, status="partial"),
        EvaluationFactory(requirement=env[1], site=site2, status="compliant"),
        EvaluationFactory(requirement=both, site=site2, status="compliant"),
        EvaluationFactory(requirement=both, site=world.a.site, status="non_compliant", is_current=False),  # history
    ]
    ApplicabilityFactory(requirement=env[1], site=world.a.site)  # applicable, never evaluated on this site
    ApplicabilityFactory(requirement=env[0], site=world.a.site)  # evaluated
    action = ActionFactory(organization=org, plan=None, owner=world.user(), title="Capoter la presse",
                           origin_type=ContentType.objects.get_for_model(evaluations[1]), origin_id=evaluations[1].pk)
    theirs = TextFactory(organization=world.b.organization)
    EvaluationFactory(requirement=RequirementFactory(text=theirs), site=world.b.site, status="non_compliant")
    return site2, evaluations, action


def test_rates_are_counted_per_site_domain_and_theme_over_current_verdicts(world, as_member):
    _data(world)
    user = as_member(Role.MANAGEMENT)
    by_site = {r.label: (r.compliant, r.partial, r.non_compliant, r.to_verify, r.rate) for r in figures.rates_by_site(user=user)}
    assert by_site == {"Site Alpha Usinage": (1, 1, 1, 1, 33), "Site Bis": (2, 0, 0, 0, 100)}
    with translation.override("en"):
        by_domain = {r.label: (r.evaluated, r.rate) for r in figures.rates_by_domain(user=user)}
    assert by_domain == {"Quality": (0, None), "Health and safety": (3, 67), "Environment": (3, 67)}
    by_theme = {r.label: (r.evaluated, r.rate) for r in figures.rates_by_theme(user=user)}
    assert by_theme == {"bruit": (3, 67), "déchets": (3, 67)}
    overall = figures.overall(user=user)
    assert (overall.evaluated, overall.rate, overall.to_verify) == (5, 60, 1)


def test_the_dashboards_figures_of_one_query_are_the_hand_counted_ones(world, as_member):
    from compliance.models import Evaluation

    _site2, evaluations, _action = _data(world)
    Evaluation.objects.filter(pk=evaluations[2].pk).update(needs_reevaluation=True)
    user = as_member(Role.MANAGEMENT)
    with translation.override("en"):
        found = figures.evaluation_figures(user=user, today=TODAY)
    by_site = {r.label: (r.compliant, r.partial, r.non_compliant, r.to_verify, r.rate) for r in found["by_site"]}
    assert by_site == {"Site Alpha Usinage": (1, 1, 1, 1, 33), "Site Bis": (2, 0, 0, 0, 100)}
    by_domain = {r.label: (r.evaluated, r.rate) for r in found["by_domain"]}
    assert by_domain == {"Quality": (0, None), "Health and safety": (3, 67), "Environment": (3, 67)}
    overall = found["overall"]
    assert (overall.evaluated, overall.rate, overall.to_verify, overall.non_compliant) == (5, 60, 1, 1)
    assert (found["overdue_count"], found["to_reevaluate"]) == (1, 1)


def test_the_dashboard_reads_the_current_evaluations_three_times_not_seven(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _data(world)
    client.force_login(world.a.users[Role.MANAGEMENT])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/compliance/dashboard/").status_code == 200
    counting = [q["sql"] for q in queries.captured_queries
                if 'FROM "compliance_evaluation"' in q["sql"] and "COUNT(" in q["sql"]]
    # Rates per site, per domain and overall, overdue and to re-evaluate: one query; the
    # themes (unnested) and the never-evaluated pairs (NOT EXISTS): one each.
    assert len(counting) == 3, counting


def test_overdue_gaps_and_never_evaluated(world, as_member):
    _site2, evaluations, action = _data(world)
    user = as_member(Role.MANAGEMENT)
    assert list(figures.overdue(user=user, today=TODAY)) == [evaluations[0]]
    gaps = {g["evaluation"].pk: [a.title for a in g["actions"]] for g in figures.gaps_with_actions(user=user)}
    assert gaps == {evaluations[1].pk: ["Capoter la presse"], evaluations[3].pk: []}
    assert figures.never_evaluated(user=user).count() == 1


def test_legal_changes_since_a_date(world, as_member):
    user = as_member(Role.MANAGEMENT)
    text = TextFactory(organization=world.a.organization, reference="Arrêté du 2 février 1998")
    TextVersionFactory(text=text, number=1)
    second = TextVersionFactory(text=text, number=2)
    changes = figures.changes_since(user=user, since=TODAY - datetime.timedelta(days=400))
    assert changes["versions"] == [second] and changes["new_texts"] == [text]
    assert figures.changes_since(user=user, since=datetime.date(2999, 1, 1)) == {"new_texts": [], "versions": []}


def test_the_dashboard_page_and_api_read_in_a_bounded_number_of_queries(client, world):
    _data(world)
    client.force_login(world.a.users[Role.MANAGEMENT])
    page = client.get("/compliance/dashboard/")
    assert page.status_code == 200 and "Capoter la presse" in page.content.decode()
    few = count_queries(lambda: client.get("/compliance/dashboard/"))
    text = TextFactory(organization=world.a.organization)
    for _ in range(10):
        EvaluationFactory(requirement=RequirementFactory(text=text, themes=["eau"]), site=world.a.site, status="partial")
    many = count_queries(lambda: client.get("/compliance/dashboard/"))
    assert many == few and many <= 30, (few, many)
    data = client.get("/api/v1/compliance/dashboard/").json()
    assert data["overall"]["non_compliant"] == 1 and data["never_evaluated"] == 1
    assert "Beta" not in str(data)
