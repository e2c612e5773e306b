"""Factories for objectives, indicators, measurements, dashboards and dependencies (tests and demo)."""

import datetime
from decimal import Decimal

import factory

from objectives.choices import ObjectiveLevel
from objectives.models import (
    ActionDependency,
    Dashboard,
    DashboardTile,
    Indicator,
    Measurement,
    Objective,
    PolicyAxis,
)
from qse.factories import OrganizationFactory, UserFactory


class PolicyAxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyAxis

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Axe de politique {n}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective
        skip_postgeneration_save = True

    organization = factory.LazyAttribute(lambda o: o.axis.organization if o.axis else o.parent.organization)
    level = ObjectiveLevel.STRATEGIC
    axis = factory.LazyAttribute(lambda o: PolicyAxisFactory() if o.level == ObjectiveLevel.STRATEGIC and o.parent is None else None)
    parent = None
    title = factory.Sequence(lambda n: f"Objectif {n}")
    owner = factory.SubFactory(UserFactory)
    target = "Réduire de 20 %"
    due_on = datetime.date(2027, 12, 31)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"IND-{n:03d}")
    name = factory.Sequence(lambda n: f"Indicateur {n}")
    unit = "%"
    target = Decimal("95")
    green_threshold = Decimal("95")
    red_threshold = Decimal("85")
    owner = factory.SubFactory(UserFactory)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    organization = factory.LazyAttribute(lambda m: m.indicator.organization)
    period_on = datetime.date(2026, 10, 1)
    value = Decimal("96")


class DashboardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dashboard

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Tableau de bord {n}")


class DashboardTileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DashboardTile

    dashboard = factory.SubFactory(DashboardFactory)
    organization = factory.LazyAttribute(lambda t: t.dashboard.organization)
    indicator = factory.LazyAttribute(lambda t: IndicatorFactory(organization=t.dashboard.organization))


class ActionDependencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionDependency

    organization = factory.LazyAttribute(lambda d: d.successor.organization)
    predecessor = None
    successor = None
