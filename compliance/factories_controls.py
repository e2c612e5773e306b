"""Factories of periodic checks and controlled documents (tests and the demo seed)."""

import datetime

import factory

from compliance.choices import (
    CheckCategory,
    CheckConclusion,
    DocumentKind,
    ObservationSeverity,
    VersionStatus,
)
from compliance.models import (
    CheckObservation,
    CheckReport,
    CheckType,
    ControlledDocument,
    DocumentVersion,
    PeriodicCheck,
)
from qse.factories import OrganizationFactory, SiteFactory, UserFactory


class CheckTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckType

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Vérification périodique {n}")
    category = CheckCategory.ELECTRICAL
    frequency_months = 12
    legal_basis = "Code du travail, art. R4226-16"


class PeriodicCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodicCheck

    organization = factory.SubFactory(OrganizationFactory)
    equipment = factory.Sequence(lambda n: f"TGBT atelier {n}")
    site = factory.LazyAttribute(lambda o: SiteFactory(organization=o.organization))
    check_type = factory.LazyAttribute(lambda o: CheckTypeFactory(organization=o.organization))
    body = "Bureau de contrôle"
    next_due_on = datetime.date(2027, 3, 1)


class CheckReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckReport

    periodic_check = factory.SubFactory(PeriodicCheckFactory)
    organization = factory.LazyAttribute(lambda o: o.periodic_check.organization)
    done_on = datetime.date(2026, 3, 1)
    conclusion = CheckConclusion.OBSERVATIONS
    body = "Bureau de contrôle"


class CheckObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckObservation

    report = factory.SubFactory(CheckReportFactory)
    organization = factory.LazyAttribute(lambda o: o.report.organization)
    text = factory.Sequence(lambda n: f"Absence de protection IP2X, armoire {n}")
    severity = ObservationSeverity.MINOR


class ControlledDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ControlledDocument

    organization = factory.SubFactory(OrganizationFactory)
    reference = factory.Sequence(lambda n: f"PR-QSE-{n:03d}")
    title = factory.Sequence(lambda n: f"Procédure {n}")
    kind = DocumentKind.PROCEDURE
    owner = factory.SubFactory(UserFactory)


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(ControlledDocumentFactory)
    organization = factory.LazyAttribute(lambda o: o.document.organization)
    number = factory.Sequence(lambda n: n + 1)
    status = VersionStatus.DRAFT
    change_summary = "Création"
    author = factory.LazyAttribute(lambda o: o.document.owner)
    approver = factory.LazyAttribute(lambda o: o.document.owner)
