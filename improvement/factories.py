"""Factories for action plans and actions (tests and demo seed)."""

import datetime

import factory

from improvement.choices import ActionStatus
from improvement.models import Action, ActionPlan
from qse.factories import OrganizationFactory, UserFactory


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Plan d'actions {n}")
    owner = factory.SubFactory(UserFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    organization = factory.LazyAttribute(lambda a: a.plan.organization if a.plan else OrganizationFactory())
    plan = None
    title = factory.Sequence(lambda n: f"Action {n}")
    deliverable = "Procédure mise à jour"
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
    status = ActionStatus.PLANNED


class ImprovementTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvement.ImprovementTeam"

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Équipe d'amélioration {n}")


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvement.TeamMember"

    team = factory.SubFactory(ImprovementTeamFactory)
    organization = factory.LazyAttribute(lambda m: m.team.organization)
    user = factory.SubFactory(UserFactory)


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvement.Suggestion"

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Idée d'amélioration {n}")
    description = "Ranger les gabarits au poste pour ne plus les chercher."
    author = factory.SubFactory(UserFactory)


class SuggestionSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvement.SuggestionSupport"

    suggestion = factory.SubFactory(SuggestionFactory)
    organization = factory.LazyAttribute(lambda s: s.suggestion.organization)
    supporter = factory.SubFactory(UserFactory)


class ImprovementProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvement.ImprovementProject"

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Projet d'amélioration {n}")
    method = "dmaic"
    leader = factory.SubFactory(UserFactory)


class ProjectPhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvement.ProjectPhase"

    project = factory.SubFactory(ImprovementProjectFactory)
    organization = factory.LazyAttribute(lambda p: p.project.organization)
    position = factory.Sequence(lambda n: n + 1)
    name = "Mesurer"
