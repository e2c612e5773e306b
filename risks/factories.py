"""Factories for risk matrices and the register (tests and demo seed)."""

import copy

import factory

from qse.factories import OrganizationFactory, UserFactory
from risks import scoring
from risks.choices import Domain, RiskKind
from risks.library import library_matrix
from risks.models import Risk, RiskMatrix


class RiskMatrixFactory(factory.django.DjangoModelFactory):
    """An organization's copy of a library matrix (5 x 5 unless ``library_id`` says otherwise)."""

    class Meta:
        model = RiskMatrix
        exclude = ("library_id", "source")

    organization = factory.SubFactory(OrganizationFactory)
    library_id = "matrix-5x5"
    source = factory.LazyAttribute(lambda m: library_matrix(m.library_id))
    name = factory.LazyAttribute(lambda m: m.source["name"]["fr"])
    source_library_id = factory.LazyAttribute(lambda m: m.library_id)
    source_version = factory.LazyAttribute(lambda m: m.source["version"])
    scales = factory.LazyAttribute(lambda m: copy.deepcopy(m.source["scales"]))
    bands = factory.LazyAttribute(lambda m: copy.deepcopy(m.source["bands"]))
    acceptability_threshold = factory.LazyAttribute(lambda m: m.source["acceptability_threshold"])


class RiskFactory(factory.django.DjangoModelFactory):
    """A risk with consistent derived scores (as the services would store them)."""

    class Meta:
        model = Risk

    organization = factory.LazyAttribute(lambda r: r.matrix.organization)
    matrix = factory.SubFactory(RiskMatrixFactory)
    reference = factory.Sequence(lambda n: f"R-{n:03d}")
    title = factory.Sequence(lambda n: f"Risque {n}")
    kind = RiskKind.RISK
    domains = factory.LazyFunction(lambda: [Domain.QUALITY])
    owner = factory.SubFactory(UserFactory)
    inherent_gravity = 3
    inherent_probability = 3
    inherent_detectability = factory.LazyAttribute(
        lambda r: scoring.scale_values(r.matrix.data, "detectability")[-1] if scoring.has_detectability(r.matrix.data) else None
    )
    inherent_score = factory.LazyAttribute(
        lambda r: scoring.score(r.matrix.data, r.inherent_gravity, r.inherent_probability, r.inherent_detectability)
    )
    inherent_level = factory.LazyAttribute(lambda r: scoring.level(r.matrix.data, r.inherent_score).id)
    residual_gravity = None
    residual_probability = None
    residual_detectability = None
    residual_score = factory.LazyAttribute(
        lambda r: scoring.score(r.matrix.data, r.residual_gravity, r.residual_probability, r.residual_detectability)
        if r.residual_gravity and r.residual_probability else None
    )
    residual_level = factory.LazyAttribute(
        lambda r: scoring.level(r.matrix.data, r.residual_score).id if r.residual_score else ""
    )
