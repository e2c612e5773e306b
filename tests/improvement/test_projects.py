"""Improvement projects: the methods' phases as data, the gain before / after (a pure function,
table-tested), closing with a measured result, actions decided in the project, the review's
two sections."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from improvement import review_ideas, services_projects
from improvement.choices import ActionOriginKind
from improvement.factories import (
    ImprovementProjectFactory,
    ImprovementTeamFactory,
    SuggestionFactory,
)
from improvement.models import ProjectPhase
from improvement.project_methods import METHODS, gain
from qse.review import ReviewScope, section
from qse.roles import Role
from qse.testing import count_queries

TODAY = datetime.date(2026, 11, 23)
D = Decimal


@pytest.mark.parametrize(("baseline", "target", "result", "lower", "change", "percent", "improved", "reached"), [
    (D("6.2"), D("3"), D("3.5"), True, D("-2.7"), D("-43.5"), True, D("84.4")),  # scrap rate down
    (D("80"), D("90"), D("85"), False, D("5"), D("6.3"), True, D("50.0")),  # OEE up, half the way
    (D("80"), D("90"), D("78"), False, D("-2"), D("-2.5"), False, D("-20.0")),  # got worse
    (D("0"), None, D("4"), False, D("4"), None, True, None),  # no percent of a zero baseline
])
def test_the_gain_before_after_is_signed_by_the_good_direction(baseline, target, result, lower, change, percent,
                                                              improved, reached):
    measured = gain(baseline=baseline, target=target, result=result, lower_is_better=lower)
    assert (measured.change, measured.percent, measured.improved, measured.target_reached_percent) == (
        change, percent, improved, reached)


def test_no_gain_until_the_baseline_and_the_result_are_known():
    assert gain(baseline=None, target=D("3"), result=D("2"), lower_is_better=True) is None
    assert gain(baseline=D("5"), target=D("3"), result=None, lower_is_better=True) is None


def test_each_method_has_its_phases_and_every_phase_a_deliverable():
    assert [phase.key for phase in METHODS["dmaic"]] == ["define", "measure", "analyse", "improve", "control"]
    assert [phase.key for phase in METHODS["pdca"]] == ["plan", "do", "check", "act"]
    assert len(METHODS["a3"]) == 6 and len(METHODS["kaizen"]) == 4
    assert all(phase.deliverables for phases in METHODS.values() for phase in phases)


def test_a_project_is_created_with_its_method_phases_and_its_indicator_direction(world, as_member):
    from objectives.factories import IndicatorFactory

    indicator = IndicatorFactory(organization=world.a.organization, code="REB", name="Taux de rebut", unit="%",
                                 direction="lower", target=D("3"), green_threshold=D("3"), red_threshold=D("5"),
                                 owner=world.a.users[Role.PROCESS_OWNER])
    user = as_member(Role.PROCESS_OWNER)
    project = services_projects.project_create(acting_user=user, data={
        "title": "Rebuts L2", "method": "pdca", "leader": user, "indicator": indicator})
    assert (project.unit, project.direction) == ("%", "lower")
    phases = ProjectPhase.objects.filter(project=project)
    assert [(p.position, p.key) for p in phases] == [(1, "plan"), (2, "do"), (3, "check"), (4, "act")]
    assert all(p.deliverables_text and p.organization_id == world.a.organization.pk for p in phases)


def test_a_project_closes_only_with_its_measured_result_and_only_by_who_keeps_it(world, as_member):
    leader = world.a.users[Role.CONTRIBUTOR]
    project = ImprovementProjectFactory(organization=world.a.organization, leader=leader, baseline=D("6.2"))
    with pytest.raises(PermissionDenied):
        services_projects.project_close(project=project, acting_user=as_member(Role.AUDITOR), today=TODAY)
    with pytest.raises(ValidationError) as refused:
        services_projects.project_close(project=project, acting_user=as_member(Role.CONTRIBUTOR), today=TODAY)
    assert set(refused.value.message_dict) == {"result"}
    type(project).objects.filter(pk=project.pk).update(result=D("3.5"))
    closed = services_projects.project_close(project=project, acting_user=as_member(Role.CONTRIBUTOR), today=TODAY)
    assert (closed.status, closed.closed_on) == ("closed", TODAY)


def test_an_action_decided_in_the_project_has_the_project_as_origin(world, as_member):
    user = as_member(Role.PROCESS_OWNER)
    project = ImprovementProjectFactory(organization=world.a.organization, leader=user, site=world.a.site)
    action = services_projects.project_add_action(project=project, acting_user=user, data={
        "title": "Poka-yoke sur le gabarit", "owner": user, "due_on": TODAY, "deliverable": "Gabarit détrompé"})
    assert (action.origin_kind, action.origin_id, action.site) == (ActionOriginKind.PROJECT, project.pk, world.a.site)


def test_the_project_page_shows_the_gain_and_the_phases(client, world):
    project = ImprovementProjectFactory(organization=world.a.organization, leader=world.a.users[Role.PROCESS_OWNER],
                                        baseline=D("6.2"), target=D("3"), result=D("3.5"), unit="%", direction="lower")
    ProjectPhase.objects.create(organization=world.a.organization, project=project, position=1, name="Définir")
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    page = client.get(project.get_absolute_url()).content.decode()
    assert "-2,7 %" in page and "(-43,5 %)" in page and "amélioré" in page
    assert "Définir" in page and "84,4 % de l'évolution visée" in page


# --- the review's sections ---------------------------------------------------------------------

def _scope(world, **extra):
    return ReviewScope(organization_id=world.a.organization.pk, start=datetime.date(2026, 1, 1),
                       end=datetime.date(2026, 12, 31), **extra)


def test_the_review_sections_are_registered_with_their_templates():
    assert section("improvement.suggestions").template_name == "improvement/review/suggestions.html"
    assert section("improvement.projects").template_name == "improvement/review/projects.html"


def test_the_suggestions_section_counts_by_state_and_team_in_the_period(world, as_member):
    SuggestionFactory(organization=world.b.organization, status="accepted")  # another organization's
    team = ImprovementTeamFactory(organization=world.a.organization, name="Presses")
    author = world.a.users[Role.CONTRIBUTOR]
    for status in ("submitted", "accepted", "implemented", "rejected"):
        SuggestionFactory(organization=world.a.organization, team=team, status=status, author=author,
                          decided_on=datetime.date(2026, 6, 1) if status != "submitted" else None)
    as_member(Role.COORDINATOR)
    data = review_ideas.suggestions_section(_scope(world))
    assert {row["status"]: row["count"] for row in data["by_status"]}["accepted"] == 1
    assert data["rows"] == [["Presses", 4, 2]]
    assert len(data["accepted"]) == 2
    assert data["summary"].startswith("4 suggestions proposées par 1 personnes")
    few = count_queries(lambda: review_ideas.suggestions_section(_scope(world)))
    SuggestionFactory.create_batch(6, organization=world.a.organization, team=team, status="accepted",
                                   decided_on=datetime.date(2026, 7, 1))
    assert count_queries(lambda: review_ideas.suggestions_section(_scope(world))) == few


def test_the_projects_section_lists_the_measured_gains(world, as_member):
    ImprovementProjectFactory(organization=world.b.organization, title="Ailleurs")
    ImprovementProjectFactory(organization=world.a.organization, title="Rebuts L2", baseline=D("6.2"),
                              result=D("3.5"), unit="%", direction="lower", status="closed",
                              closed_on=datetime.date(2026, 10, 1))
    ImprovementProjectFactory(organization=world.a.organization, title="5S magasin")
    as_member(Role.COORDINATOR)
    data = review_ideas.projects_section(_scope(world))
    assert [row[0] for row in data["rows"]] == ["Rebuts L2", "5S magasin"]
    assert data["rows"][0][-1] == "-2,7 % (-43,5 %)"
    assert data["chart"]["series"][1]["values"] == [3.5]
