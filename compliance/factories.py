"""Factories of the regulatory watch (tests and the demo seed)."""

import datetime

import factory

from compliance.choices import (
    ApplicabilityStatus,
    ComplianceStatus,
    IcpeRegime,
    InterlocutorKind,
    SourceKind,
    TextKind,
)
from compliance.models import (
    Applicability,
    Evaluation,
    IcpeClassification,
    Interlocutor,
    PollRun,
    Requirement,
    SiteProfile,
    Source,
    Text,
    TextVersion,
    WatchItem,
)
from compliance.polling import item_key
from qse.factories import OrganizationFactory, SiteFactory, UserFactory


class TextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Text

    organization = factory.SubFactory(OrganizationFactory)
    kind = TextKind.ORDER
    reference = factory.Sequence(lambda n: f"Arrêté n° {n}")
    title = "Prescriptions générales applicables aux installations classées"
    domains = ["E"]
    themes = ["ICPE"]
    effective_on = datetime.date(2020, 1, 1)
    summary = "Rejets, bruit, déchets : prescriptions générales."


class TextVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TextVersion

    text = factory.SubFactory(TextFactory)
    organization = factory.SelfAttribute("text.organization")
    number = factory.Sequence(lambda n: n + 1)
    summary = "Version initiale."


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    text = factory.SubFactory(TextFactory)
    organization = factory.SelfAttribute("text.organization")
    article = "Art. 2"
    title = factory.Sequence(lambda n: f"Exigence {n}")
    evidence_expected = "Rapport de contrôle"
    evaluation_interval_months = 12
    domains = ["E"]


class SiteProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteProfile

    site = factory.SubFactory(SiteFactory)
    organization = factory.SelfAttribute("site.organization")
    activities = ["usinage"]


class IcpeClassificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IcpeClassification

    site = factory.SubFactory(SiteFactory)
    organization = factory.SelfAttribute("site.organization")
    rubrique = "2560"
    regime = IcpeRegime.DECLARATION
    dated_on = datetime.date(2015, 6, 1)


class ApplicabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicability

    requirement = factory.SubFactory(RequirementFactory)
    organization = factory.SelfAttribute("requirement.organization")
    site = factory.SubFactory(SiteFactory, organization=factory.SelfAttribute("..organization"))
    status = ApplicabilityStatus.APPLICABLE


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    requirement = factory.SubFactory(RequirementFactory)
    organization = factory.SelfAttribute("requirement.organization")
    site = factory.SubFactory(SiteFactory, organization=factory.SelfAttribute("..organization"))
    status = ComplianceStatus.COMPLIANT
    evaluated_on = datetime.date(2026, 6, 1)
    evaluator = factory.SubFactory(UserFactory)
    next_due_on = datetime.date(2027, 6, 1)


class InterlocutorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interlocutor

    organization = factory.SubFactory(OrganizationFactory)
    kind = InterlocutorKind.DREAL
    name = factory.Sequence(lambda n: f"Inspecteur {n}")
    body = "DREAL"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Flux {n}")
    kind = SourceKind.FEED
    address = "http://127.0.0.1:9/feed.xml"
    domains = ["S"]
    interval_minutes = 60


class PollRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollRun

    source = factory.SubFactory(SourceFactory)
    organization = factory.SelfAttribute("source.organization")
    started_at = factory.LazyFunction(lambda: datetime.datetime(2026, 11, 23, 6, 0, tzinfo=datetime.UTC))
    http_status = 200


class WatchItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WatchItem

    source = factory.SubFactory(SourceFactory)
    organization = factory.SelfAttribute("source.organization")
    title = factory.Sequence(lambda n: f"Décret n° 2026-{n} relatif à la prévention")
    guid = factory.LazyAttribute(lambda o: f"https://example.test/{o.title}")
    key = factory.LazyAttribute(lambda o: item_key(o.guid))
    link = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000000000001"
    summary = "Nouvelles obligations."
