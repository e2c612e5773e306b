"""The context models through the generic view and API tests: only their data here."""

import itertools

from context.factories import (
    ClimateDecisionFactory,
    ContextIssueFactory,
    InterestedPartyFactory,
    PartyExpectationFactory,
    PolicyStatementFactory,
    SwotItemFactory,
)
from context.views import (
    ClimateDecisionViews,
    ContextIssueViews,
    InterestedPartyViews,
    PartyExpectationViews,
    PolicyStatementViews,
    SwotItemViews,
)
from qse.roles import Role
from qse.testing import ObjectViewsTestCase

NUMBERS = itertools.count(100)


class TestPolicyStatementViews(ObjectViewsTestCase):
    declaration = PolicyStatementViews
    edit = ("text", "Politique QSE révisée")
    detail_query_budget = 24
    list_query_budget = 18

    def make(self, world, side):
        statement = PolicyStatementFactory(
            organization=side.organization, approved_by=side.users[Role.COORDINATOR], version_number=next(NUMBERS),
            text=f"{side.organization.name} · politique",
        )
        statement.sites.set([side.site])
        return statement

    def form_data(self, world):
        return {
            "kind": "policy", "text": "Nous nous engageons à prévenir les pollutions.", "approved_on": "2026-02-01",
            "approved_by": world.a.users[Role.MANAGEMENT].pk, "covers_iso_9001": True, "covers_iso_14001": True,
            "sites": [world.a.site.pk], "activities": "Usinage",
        }


class TestContextIssueViews(ObjectViewsTestCase):
    declaration = ContextIssueViews
    detail_query_budget = 22
    list_query_budget = 18

    def make(self, world, side):
        issue = ContextIssueFactory(organization=side.organization, title=f"{side.organization.name} · enjeu")
        issue.processes.set([side.process])
        return issue

    def form_data(self, world):
        return {
            "title": "Pénurie de soudeurs qualifiés", "origin": "external", "pestel": "social", "effect": "negative",
            "importance": 3, "processes": [world.a.process.pk],
        }

    def import_rows(self, world):
        return [
            {"Title": "Vieillissement du parc machines", "Origin": "Internal", "PESTEL dimension": "",
             "Effect": "Negative", "Importance": "3"},
            {"Title": "Nouvelle réglementation REACH", "Origin": "external", "PESTEL dimension": "legal",
             "Effect": "negative", "Importance": "4"},
        ]


class TestSwotItemViews(ObjectViewsTestCase):
    declaration = SwotItemViews
    edit = ("text", "Atelier certifié")
    detail_query_budget = 22
    list_query_budget = 18

    def make(self, world, side):
        issue = ContextIssueFactory(organization=side.organization)
        return SwotItemFactory(organization=side.organization, issue=issue, action=side.actions[0],
                               text=f"{side.organization.name} · force")

    def form_data(self, world):
        return {"quadrant": "threat", "text": "Concurrence à bas coût", "action": world.a.actions[0].pk}

    def import_rows(self, world):
        return [{"Quadrant": "Strength", "Text": "Équipe stable"}, {"Quadrant": "threat", "Text": "Hausse de l'énergie"}]


class TestInterestedPartyViews(ObjectViewsTestCase):
    declaration = InterestedPartyViews
    edit = ("name", "DREAL Auvergne-Rhône-Alpes")
    detail_query_budget = 22
    list_query_budget = 18

    def make(self, world, side):
        party = InterestedPartyFactory(organization=side.organization, name=f"{side.organization.name} · client")
        PartyExpectationFactory(party=party)
        return party

    def form_data(self, world):
        return {"name": "CARSAT", "category": "authorities", "influence": 4, "interest": 2}

    def import_rows(self, world):
        return [
            {"Name": "Riverains", "Category": "neighbours", "Influence": "2", "Interest": "4"},
            {"Name": "Assureur", "Category": "Insurers", "Influence": "3", "Interest": "2"},
        ]


class TestPartyExpectationViews(ObjectViewsTestCase):
    declaration = PartyExpectationViews
    edit = ("text", "Déclarations ICPE à jour")
    detail_query_budget = 22
    list_query_budget = 18

    def make(self, world, side):
        party = InterestedPartyFactory(organization=side.organization, name=f"{side.organization.name} · DREAL")
        expectation = PartyExpectationFactory(party=party, text=f"{side.organization.name} · attente")
        expectation.processes.set([side.process])
        return expectation

    def form_data(self, world):
        party = InterestedPartyFactory(organization=world.a.organization, name="Inspection du travail")
        return {"party": party.pk, "text": "Document unique à jour", "is_compliance_obligation": True,
                "processes": [world.a.process.pk]}

    def import_rows(self, world):
        InterestedPartyFactory(organization=world.a.organization, name="Préfecture")
        return [{"party": "Préfecture", "text": f"Arrêté d'autorisation n° {i}", "is_compliance_obligation": "True"}
                for i in range(2)]


class TestClimateDecisionViews(ObjectViewsTestCase):
    declaration = ClimateDecisionViews
    edit = ("justification", "Réévalué après la canicule de 2026")
    detail_query_budget = 22
    list_query_budget = 18

    def make(self, world, side):
        return ClimateDecisionFactory(organization=side.organization, decided_by=side.users[Role.COORDINATOR],
                                      justification=f"{side.organization.name} · décision")

    def form_data(self, world):
        return {"is_relevant": True, "justification": "Exposition aux crues", "decided_on": "2026-02-24",
                "decided_by": world.a.users[Role.MANAGEMENT].pk}
