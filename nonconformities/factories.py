"""Factories for events and their analysis (tests and demo seed)."""

import datetime

import factory
from django.utils import timezone

from nonconformities.choices import CauseCategory, EventStatus, EventType, Severity
from nonconformities.models import (
    A3Report,
    EightD,
    Event,
    HoursWorked,
    ImmediateAction,
    IshikawaCause,
    Person,
    ReportingPoint,
    RootCause,
    WhyStep,
)
from qse.factories import OrganizationFactory, SiteFactory, UserFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.SubFactory(OrganizationFactory)
    full_name = factory.Sequence(lambda n: f"Salarié {n}")
    job_title = "Opérateur commande numérique"


class EventFactory(factory.django.DjangoModelFactory):
    """An event as the service would store it (reference numbered per organization in tests by sequence)."""

    class Meta:
        model = Event

    organization = factory.SubFactory(OrganizationFactory)
    # Not the EV-YYYY-NNNN of the reference counter, so events made by the services never clash.
    reference = factory.Sequence(lambda n: f"EV-T-{n + 1:05d}")
    event_type = EventType.INTERNAL_NC
    title = factory.Sequence(lambda n: f"Événement {n}")
    description = "Bavures sur l'alésage Ø32 H7 du carter, détectées au contrôle final."
    status = EventStatus.OPEN
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))
    detected_on = factory.LazyAttribute(lambda e: timezone.localdate(e.occurred_at))
    severity = Severity.MODERATE


class ImmediateActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImmediateAction

    event = factory.SubFactory(EventFactory)
    organization = factory.LazyAttribute(lambda a: a.event.organization)
    description = "Lot isolé et étiqueté « bloqué »"
    done_at = factory.LazyAttribute(lambda a: a.event.occurred_at + datetime.timedelta(hours=1))


class HoursWorkedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursWorked

    site = factory.SubFactory(SiteFactory)
    organization = factory.LazyAttribute(lambda h: h.site.organization)
    month = datetime.date(2026, 10, 1)
    hours = 12000


class WhyStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WhyStep

    event = factory.SubFactory(EventFactory)
    organization = factory.LazyAttribute(lambda s: s.event.organization)
    question = "Pourquoi ?"
    answer = "Parce que…"


class IshikawaCauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IshikawaCause

    event = factory.SubFactory(EventFactory)
    organization = factory.LazyAttribute(lambda c: c.event.organization)
    category = CauseCategory.MACHINE
    text = factory.Sequence(lambda n: f"Cause {n}")


class RootCauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RootCause

    event = factory.SubFactory(EventFactory)
    organization = factory.LazyAttribute(lambda c: c.event.organization)
    category = CauseCategory.METHOD
    description = "Gamme de contrôle sans vérification de l'arête"


class EightDFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EightD

    event = factory.SubFactory(EventFactory)
    organization = factory.LazyAttribute(lambda d: d.event.organization)
    champion = factory.SubFactory(UserFactory)
    leader = factory.SubFactory(UserFactory)


class A3ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = A3Report

    event = factory.SubFactory(EventFactory)
    organization = factory.LazyAttribute(lambda a: a.event.organization)
    owner = factory.SubFactory(UserFactory)


class ReportingPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPoint

    site = factory.SubFactory(SiteFactory)
    organization = factory.LazyAttribute(lambda p: p.site.organization)
    label = "Atelier usinage"
