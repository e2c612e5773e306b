"""Factories for action plans and actions (tests and demo seed)."""

import datetime

import factory

from improvement.choices import ActionStatus
from improvement.models import Action, ActionPlan
from improvement.training import valid_until
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


class ManagementReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvement.ManagementReview"

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Revue de direction {n}")
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 12, 31)
    standards = factory.LazyFunction(lambda: ["iso9001:2015", "iso14001:2015", "iso45001:2018"])


class ReviewInputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvement.ReviewInput"

    review = factory.SubFactory(ManagementReviewFactory)
    organization = factory.LazyAttribute(lambda i: i.review.organization)
    section_key = factory.Sequence(lambda n: f"tests.section_{n}")
    payload = factory.LazyFunction(lambda: {"fr": {"summary": "Rien à signaler"}, "en": {"summary": "Nothing to report"}})


class ReviewDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvement.ReviewDecision"

    review = factory.SubFactory(ManagementReviewFactory)
    organization = factory.LazyAttribute(lambda d: d.review.organization)
    category = "improvement"
    text = factory.Sequence(lambda n: f"Décision {n}")


class TrainingTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvement.TrainingTopic"

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Formation sécurité {n}")
    validity_months = 36


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    """A record as the service writes it: valid until computed from the topic."""

    class Meta:
        model = "improvement.TrainingRecord"

    topic = factory.SubFactory(TrainingTopicFactory)
    organization = factory.LazyAttribute(lambda r: r.topic.organization)
    person = factory.SubFactory(UserFactory)
    trained_on = factory.LazyFunction(datetime.date.today)
    valid_until = factory.LazyAttribute(lambda r: valid_until(r.trained_on, r.topic.validity_months))


class WorkSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvement.WorkSession"

    team = factory.SubFactory(ImprovementTeamFactory)
    organization = factory.LazyAttribute(lambda s: s.team.organization)
    title = factory.Sequence(lambda n: f"Réunion d'équipe {n}")
    starts_at = factory.LazyFunction(lambda: datetime.datetime(2026, 11, 24, 13, 30, tzinfo=datetime.UTC))


class SessionAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "improvement.SessionAttendance"

    session = factory.SubFactory(WorkSessionFactory)
    organization = factory.LazyAttribute(lambda a: a.session.organization)
    person = factory.SubFactory(UserFactory)

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
