"""Factories for the context analysis (tests and, later, the demo seed)."""

import datetime

import factory

from context.choices import (
    IssueEffect,
    IssueOrigin,
    PartyCategory,
    Pestel,
    PolicyKind,
    SwotQuadrant,
)
from context.models import (
    ClimateDecision,
    ContextIssue,
    InterestedParty,
    PartyExpectation,
    PolicyStatement,
    SwotItem,
)
from context.scoring import yearly_review_on
from qse.factories import OrganizationFactory, UserFactory


class PolicyStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyStatement

    organization = factory.SubFactory(OrganizationFactory)
    kind = PolicyKind.POLICY
    text = "Satisfaire nos clients, protéger la santé et la sécurité de chacun, préserver l'environnement."
    version_number = factory.Sequence(lambda n: n + 1)
    approved_on = datetime.date(2026, 1, 15)
    approved_by = factory.SubFactory(UserFactory)
    activities = "Usinage de précision et assemblage de sous-ensembles mécaniques."


class ContextIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContextIssue

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Enjeu {n}")
    description = "Hausse durable du coût de l'énergie."
    origin = IssueOrigin.EXTERNAL
    pestel = Pestel.ECONOMIC
    effect = IssueEffect.NEGATIVE
    importance = 3
    last_reviewed_on = datetime.date(2026, 9, 1)


class SwotItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SwotItem

    organization = factory.SubFactory(OrganizationFactory)
    quadrant = SwotQuadrant.STRENGTH
    text = factory.Sequence(lambda n: f"Savoir-faire reconnu {n}")


class InterestedPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterestedParty

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Partie intéressée {n}")
    category = PartyCategory.CUSTOMERS
    influence = 4
    interest = 4
    last_reviewed_on = datetime.date(2026, 9, 1)


class PartyExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyExpectation

    party = factory.SubFactory(InterestedPartyFactory)
    organization = factory.LazyAttribute(lambda e: e.party.organization)
    text = factory.Sequence(lambda n: f"Livraisons à l'heure {n}")


class ClimateDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClimateDecision

    organization = factory.SubFactory(OrganizationFactory)
    is_relevant = True
    justification = "Sites exposés aux canicules ; clients automobiles exigeant un bilan carbone."
    physical_risks_considered = "Canicules (atelier non climatisé), crues de la rivière voisine."
    transition_risks_considered = "Exigences bas-carbone des clients, prix de l'énergie."
    decided_on = datetime.date(2026, 3, 1)
    decided_by = factory.SubFactory(UserFactory)
    next_review_on = factory.LazyAttribute(lambda d: yearly_review_on(d.decided_on))
