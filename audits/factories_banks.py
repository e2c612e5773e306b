"""Factories for question banks and the supplier register's records (tests and demo)."""

import datetime

import factory

from audits.choices_banks import BankKind
from audits.factories import SupplierFactory
from audits.models import (
    BankQuestion,
    QuestionBank,
    SupplierCertification,
    SupplierFigure,
    SupplierRequirement,
)
from qse.factories import OrganizationFactory


class QuestionBankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionBank

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Questions fournisseurs {n}")
    kind = BankKind.CUSTOM


class BankQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankQuestion

    bank = factory.SubFactory(QuestionBankFactory)
    organization = factory.LazyAttribute(lambda q: q.bank.organization)
    position = factory.Sequence(int)
    clause = "8.4"
    text = factory.Sequence(lambda n: f"Les exigences sont-elles transmises au fournisseur ? ({n})")
    reference = factory.Sequence(lambda n: f"test/8.4/{n}")


class SupplierFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierFigure

    supplier = factory.SubFactory(SupplierFactory)
    organization = factory.LazyAttribute(lambda f: f.supplier.organization)
    period = factory.Sequence(lambda n: datetime.date(2020 + n // 12, n % 12 + 1, 1))
    lots_delivered = 20
    lots_on_time = 18
    lots_rejected = 1
    quantity_received = 10_000
    quantity_rejected = 12


class SupplierCertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierCertification

    supplier = factory.SubFactory(SupplierFactory)
    organization = factory.LazyAttribute(lambda c: c.supplier.organization)
    standard = "ISO 9001:2015"
    body = "AFNOR Certification"
    number = factory.Sequence(lambda n: f"CERT-{n:05d}")
    expires_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=400))


class SupplierRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierRequirement

    supplier = factory.SubFactory(SupplierFactory)
    organization = factory.LazyAttribute(lambda r: r.supplier.organization)
    title = factory.Sequence(lambda n: f"Accord qualité fournisseur {n}")
    document_reference = "AQF-01 rév. C"
    shared_on = datetime.date(2026, 3, 2)
