"""Context services (policy versions, climate decisions), the PESTEL rule and the pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from context import selectors, services
from context.choices import IssueOrigin, PartyPriority, PolicyKind
from context.factories import (
    ClimateDecisionFactory,
    ContextIssueFactory,
    InterestedPartyFactory,
    PartyExpectationFactory,
    PolicyStatementFactory,
    SwotItemFactory,
)
from context.models import ClimateDecision, ContextIssue, PolicyStatement
from qse.roles import Role
from qse.testing import TODAY, count_queries


def _policy_data(world, text="Politique QSE 2026", approved_on=datetime.date(2026, 1, 10)):
    return {"kind": PolicyKind.POLICY, "text": text, "approved_on": approved_on,
            "approved_by": world.a.users[Role.MANAGEMENT], "sites": [world.a.site]}


def test_statements_of_a_kind_are_numbered_in_sequence(world, as_member):
    user = as_member(Role.COORDINATOR)
    first = services.policy_create(acting_user=user, data=_policy_data(world))
    mission = services.policy_create(acting_user=user, data={**_policy_data(world), "kind": PolicyKind.MISSION})
    assert (first.version_number, mission.version_number) == (1, 1)
    assert list(first.sites.all()) == [world.a.site]


def test_publishing_a_new_version_keeps_the_old_one_and_becomes_current(world, as_member):
    user = as_member(Role.COORDINATOR)
    first = services.policy_create(acting_user=user, data=_policy_data(world))
    data = _policy_data(world, text="Politique QSE 2027", approved_on=datetime.date(2027, 1, 12))
    del data["kind"]
    second = services.policy_publish_new_version(previous=first, acting_user=user, data=data)
    first.refresh_from_db()
    assert (second.kind, second.version_number) == (PolicyKind.POLICY, 2)
    assert first.text == "Politique QSE 2026" and first.archived_at is None
    assert PolicyStatement.objects.filter(kind=PolicyKind.POLICY).count() == 2
    assert selectors.current_policies(user=user)[PolicyKind.POLICY] == second


def test_an_unapproved_draft_is_not_current(world, as_member):
    user = as_member(Role.COORDINATOR)
    approved = services.policy_create(acting_user=user, data=_policy_data(world))
    services.policy_publish_new_version(
        previous=approved, acting_user=user, data={"text": "Brouillon", "approved_on": None, "approved_by": None},
    )
    assert selectors.current_policies(user=user)[PolicyKind.POLICY] == approved


def test_only_roles_that_may_add_publish_a_version(world, as_member):
    coordinator = as_member(Role.COORDINATOR)
    first = services.policy_create(acting_user=coordinator, data=_policy_data(world))
    contributor = as_member(Role.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        services.policy_publish_new_version(previous=first, acting_user=contributor, data={"text": "x"})


def test_the_new_version_page_publishes_and_keeps_history(client, world):
    first = PolicyStatementFactory(organization=world.a.organization, version_number=1, text="v1")
    client.force_login(world.user())
    url = reverse("context:policystatement_new_version", args=[first.pk])
    page = client.get(url)
    assert page.status_code == 200 and "v1" in page.content.decode()
    response = client.post(url, {"text": "v2", "approved_on": "2027-01-05", "covers_iso_9001": "on",
                                 "sites": [world.a.site.pk]})
    assert response.status_code == 302
    created = PolicyStatement.objects.get(text="v2")
    assert (created.version_number, created.kind) == (2, first.kind)
    assert PolicyStatement.objects.filter(pk=first.pk, text="v1").exists()
    detail = client.get(created.get_absolute_url()).content.decode()
    assert first.get_absolute_url() in detail


def test_the_new_version_page_of_another_organization_is_404_and_refused_to_readers(client, world):
    theirs = PolicyStatementFactory(organization=world.b.organization, version_number=1)
    mine = PolicyStatementFactory(organization=world.a.organization, version_number=1)
    client.force_login(world.user())
    assert client.get(reverse("context:policystatement_new_version", args=[theirs.pk])).status_code == 404
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.post(reverse("context:policystatement_new_version", args=[mine.pk]), {"text": "x"}).status_code == 403


def test_a_climate_decision_is_due_for_review_a_year_after_its_date(world, as_member):
    user = as_member(Role.COORDINATOR)
    decision = services.climate_decision_record(
        acting_user=user, today=TODAY,
        data={"is_relevant": True, "justification": "Canicules", "decided_on": datetime.date(2026, 2, 24)},
    )
    assert decision.next_review_on == datetime.date(2027, 2, 24)
    assert decision.decided_by == user


def test_a_climate_decision_without_date_is_taken_today(world, as_member):
    user = as_member(Role.COORDINATOR)
    decision = services.climate_decision_record(
        acting_user=user, today=TODAY, data={"is_relevant": False, "justification": "Pas d'exposition"},
    )
    assert (decision.decided_on, decision.next_review_on) == (TODAY, datetime.date(2027, 11, 23))


def test_moving_a_climate_decision_moves_its_review(world, as_member):
    user = as_member(Role.COORDINATOR)
    decision = ClimateDecisionFactory(organization=world.a.organization, decided_by=user)
    updated = services.climate_decision_update(
        decision=decision, acting_user=user, data={"decided_on": datetime.date(2026, 6, 1)},
        expected_version=decision.version,
    )
    assert updated.next_review_on == datetime.date(2027, 6, 1)
    assert list(selectors.climate_decisions_due(today=datetime.date(2027, 6, 1))) == [updated]
    assert not selectors.climate_decisions_due(today=datetime.date(2027, 5, 31)).exists()


def test_the_climate_form_computes_the_review_date(client, world):
    client.force_login(world.user())
    response = client.post(reverse("context:climatedecision_add"), {
        "is_relevant": "on", "justification": "Crues", "decided_on": "2026-02-24",
        "decided_by": world.a.users[Role.MANAGEMENT].pk,
    })
    assert response.status_code == 302
    assert ClimateDecision.objects.get(justification="Crues").next_review_on == datetime.date(2027, 2, 24)


def test_an_external_issue_needs_its_pestel_dimension(world):
    issue = ContextIssueFactory.build(organization=world.a.organization, origin=IssueOrigin.EXTERNAL, pestel="")
    with pytest.raises(ValidationError) as error:
        issue.validate_constraints()
    assert "PESTEL" in " ".join(error.value.messages)
    with pytest.raises(IntegrityError), transaction.atomic():
        issue.save()
    ContextIssueFactory(organization=world.a.organization, origin=IssueOrigin.INTERNAL, pestel="")


def test_the_issue_form_refuses_an_external_issue_without_pestel(client, world):
    client.force_login(world.user())
    response = client.post(reverse("context:contextissue_add"), {
        "title": "Loi climat", "origin": "external", "pestel": "", "effect": "negative", "importance": 2,
    })
    assert response.status_code == 400
    assert "PESTEL" in response.content.decode()
    assert not ContextIssue.objects.filter(title="Loi climat").exists()


def test_the_swot_grid_shows_each_item_in_its_quadrant_and_only_ours(client, world):
    SwotItemFactory(organization=world.a.organization, quadrant="weakness", text="Atelier vieillissant")
    SwotItemFactory(organization=world.a.organization, quadrant="opportunity", text="Marché de l'éolien")
    SwotItemFactory(organization=world.b.organization, quadrant="weakness", text="Beta faiblesse")
    client.force_login(world.user())
    response = client.get(reverse("context:swot"))
    page = response.content.decode()
    assert response.status_code == 200
    weakness = page.split('data-quadrant="weakness"')[1].split("</section>")[0]
    assert "Atelier vieillissant" in weakness and "Marché de l'éolien" not in weakness
    assert "Beta faiblesse" not in page


def test_the_parties_map_places_each_party_with_its_priority(client, world):
    InterestedPartyFactory(organization=world.a.organization, name="Préfecture de l'Isère", category="authorities", influence=5, interest=2)
    InterestedPartyFactory(organization=world.a.organization, name="Comité de quartier", category="neighbours", influence=2, interest=5)
    InterestedPartyFactory(organization=world.b.organization, name="Beta client")
    client.force_login(world.user())
    response = client.get(reverse("context:party_map"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "plotly/plotly.min.js" in page and "party-map" in page
    assert "Préfecture de l" in page and "Comité de quartier" in page and "Beta client" not in page
    table = page.split('data-testid="party-priorities"')[1]
    with translation.override("fr"):  # the page speaks the default language
        satisfied, informed = str(PartyPriority.KEEP_SATISFIED.label), str(PartyPriority.KEEP_INFORMED.label)
    assert satisfied in table.split("Préfecture de l")[1].split("</tr>")[0]
    assert informed in table.split("Comité de quartier")[1].split("</tr>")[0]


def _context_data(side, issues: int, start: int = 0):
    for kind in PolicyKind.values:
        statement = PolicyStatementFactory(organization=side.organization, kind=kind)
        statement.sites.set([side.site])
    for i in range(start, start + issues):
        issue = ContextIssueFactory(organization=side.organization, title=f"Enjeu n°{i}",
                                    pestel=["economic", "legal", "social"][i % 3])
        issue.processes.set([side.process])
        SwotItemFactory(organization=side.organization, issue=issue, action=side.actions[0], quadrant="threat")
        party = InterestedPartyFactory(organization=side.organization, name=f"Partie {i}")
        PartyExpectationFactory(party=party, is_compliance_obligation=bool(i % 2)).processes.set([side.process])
    ClimateDecisionFactory(organization=side.organization)


def test_the_context_page_reads_like_chapter_4_in_a_constant_number_of_queries(client, world):
    client.force_login(world.user())
    _context_data(world.a, 3)
    url = reverse("context:overview")
    few = count_queries(lambda: client.get(url))
    _context_data(world.a, 27, start=3)
    many = count_queries(lambda: client.get(url))
    assert many == few, (few, many)
    page = client.get(url).content.decode()
    for expected in ("4.1", "4.2", "Enjeu n°29", "Partie 29", "Canicules (atelier non climatisé)"):
        assert expected in page


def test_the_context_page_shows_nothing_of_another_organization(client, world):
    _context_data(world.b, 2)
    client.force_login(world.user())
    page = client.get(reverse("context:overview"))
    assert page.status_code == 200
    assert "Enjeu n°0" not in page.content.decode()
