"""Factories for audits, checklists and suppliers (tests and demo seed)."""

import datetime
import hashlib

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from audits.models import (
    AnswerOp,
    Audit,
    AuditAnswer,
    Auditee,
    AuditLease,
    AuditorCompetence,
    AuditPhoto,
    AuditProgramme,
    AuditQuestion,
    ScheduleItem,
    Supplier,
)
from qse.factories import OrganizationFactory, UserFactory


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Fournisseur {n}")
    category = "Sous-traitance usinage"


class AuditProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditProgramme

    organization = factory.SubFactory(OrganizationFactory)
    year = 2026
    title = factory.Sequence(lambda n: f"Programme d'audits {n}")


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audit

    organization = factory.SubFactory(OrganizationFactory)
    reference = factory.Sequence(lambda n: f"AUD-{n:04d}")
    title = factory.Sequence(lambda n: f"Audit interne {n}")
    standards = factory.LazyFunction(lambda: ["iso9001:2015"])
    planned_start = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=14))


class AuditQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditQuestion

    audit = factory.SubFactory(AuditFactory)
    organization = factory.LazyAttribute(lambda q: q.audit.organization)
    position = factory.Sequence(int)
    standard = "iso9001:2015"
    clause = "8.4"
    text = factory.Sequence(lambda n: f"Les prestataires externes sont-ils évalués ? ({n})")


class AuditAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditAnswer

    question = factory.SubFactory(AuditQuestionFactory)
    organization = factory.LazyAttribute(lambda a: a.question.organization)


# The smallest valid JPEG is not needed: photos are checked by content where they are uploaded.
_PHOTO = b"\xff\xd8\xff\xe0" + b"\x00" * 60 + b"\xff\xd9"


class AuditPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditPhoto

    question = factory.SubFactory(AuditQuestionFactory)
    organization = factory.LazyAttribute(lambda p: p.question.organization)
    image = factory.LazyFunction(lambda: ContentFile(_PHOTO, name="photo.jpg"))
    sha256 = hashlib.sha256(_PHOTO).hexdigest()
    bytes = len(_PHOTO)


class AuditeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Auditee

    audit = factory.SubFactory(AuditFactory)
    organization = factory.LazyAttribute(lambda a: a.audit.organization)
    person = factory.SubFactory(UserFactory)
    reason = "involvement"


class ScheduleItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleItem

    audit = factory.SubFactory(AuditFactory)
    organization = factory.LazyAttribute(lambda i: i.audit.organization)
    starts_at = factory.LazyAttribute(lambda i: timezone.make_aware(
        datetime.datetime.combine(i.audit.planned_start, datetime.time(9, 0))))
    ends_at = factory.LazyAttribute(lambda i: i.starts_at + datetime.timedelta(hours=1))
    subject = factory.Sequence(lambda n: f"Entretien {n}")
    location = "Salle de réunion"


class AuditorCompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditorCompetence

    organization = factory.SubFactory(OrganizationFactory)
    auditor = factory.SubFactory(UserFactory)
    standards = factory.LazyFunction(lambda: ["iso9001:2015"])
    sectors = "Mécanique"
    training = "Auditeur interne ISO 9001 (3 jours)"
    qualified_on = datetime.date(2024, 3, 15)


class AnswerOpFactory(factory.django.DjangoModelFactory):
    """A change sent by a device, applied (the question is made in the same audit)."""

    class Meta:
        model = AnswerOp

    audit = factory.SubFactory(AuditFactory)
    organization = factory.LazyAttribute(lambda o: o.audit.organization)
    question = factory.LazyAttribute(lambda o: AuditQuestionFactory(audit=o.audit))
    values = factory.LazyFunction(lambda: {"result": "conforming"})
    device = "tablette-1"
    user = factory.SubFactory(UserFactory)
    status = "applied"


class AuditLeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditLease

    audit = factory.SubFactory(AuditFactory)
    organization = factory.LazyAttribute(lambda o: o.audit.organization)
    device = "tablette-1"
    user = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7))
