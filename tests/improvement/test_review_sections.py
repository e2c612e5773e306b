"""The review sections of the existing modules: the number of SQL queries a section needs does
not grow with the rows it reads (aggregated in SQL, no query per row), and a few figures
written by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from compliance.factories import (
    ApplicabilityFactory,
    EvaluationFactory,
    RequirementFactory,
    TextFactory,
)
from context.factories import (
    ContextIssueFactory,
    InterestedPartyFactory,
    PartyExpectationFactory,
    SwotItemFactory,
)
from improvement.factories import ActionFactory, ManagementReviewFactory, ReviewDecisionFactory
from nonconformities.choices import EventType
from nonconformities.factories import EventFactory
from objectives.factories import (
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PolicyAxisFactory,
)
from qse.review import ReviewScope, sections
from qse.roles import Role
from qse.testing import count_queries
from risks.factories import RiskFactory, RiskMatrixFactory
from risks.models import EnvironmentalAspect

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
APPS = ("improvement", "context", "objectives", "nonconformities", "risks", "compliance")


def _grow(world, count: int) -> None:
    """``count`` more rows of everything the sections read, in organization A."""
    side, org = world.a, world.a.organization
    user = side.users[Role.COORDINATOR]
    earlier = ManagementReviewFactory(organization=org, period_start=datetime.date(2025, 1, 1),
                                      period_end=datetime.date(2025, 12, 31), status="closed")
    matrix = RiskMatrixFactory(organization=org)
    axis = PolicyAxisFactory(organization=org)
    for n in range(count):
        for kind in (EventType.INTERNAL_NC, EventType.CUSTOMER_COMPLAINT, EventType.NEAR_MISS):
            EventFactory(organization=org, site=side.site, process=side.process, event_type=kind,
                         occurred_at=datetime.datetime(2026, 1 + n % 12, 10, tzinfo=datetime.UTC))
        action = ActionFactory(organization=org, owner=user, due_on=datetime.date(2026, 3, 1), origin_kind="review")
        ReviewDecisionFactory(review=earlier, owner=user, due_on=action.due_on, action=action)
        ActionFactory(organization=org, owner=user, process=side.process, due_on=datetime.date(2026, 5, 1),
                      origin_kind="nonconformity")
        RiskFactory(matrix=matrix, owner=user, process=side.process)
        EnvironmentalAspect.objects.create(
            organization=org, site=side.site, process=side.process, activity=f"Activité {n}", aspect="Rejet",
            impact="Pollution", condition="normal", severity=3, frequency=3, control=2, score=18, is_significant=True,
            owner=user)
        ContextIssueFactory(organization=org)
        SwotItemFactory(organization=org)
        PartyExpectationFactory(party=InterestedPartyFactory(organization=org))
        ObjectiveFactory(axis=axis, organization=org, owner=user, status="active", process=side.process)
        indicator = IndicatorFactory(organization=org, owner=user, process=side.process)
        MeasurementFactory(indicator=indicator, period_on=datetime.date(2026, 6, 1), value=Decimal("90"))
        requirement = RequirementFactory(text=TextFactory(organization=org))
        ApplicabilityFactory(requirement=requirement, site=side.site)
        EvaluationFactory(requirement=requirement, site=side.site, status="non_compliant", evaluator=user)


def _queries(world, app: str, *, process: bool = False) -> dict[str, int]:
    user = world.a.users[Role.COORDINATOR]
    scope = ReviewScope(organization_id=world.a.organization.pk, start=START, end=END, user=user,
                        process_id=world.a.process.pk if process else None)
    return {s.key: count_queries(lambda s=s: s.selector(scope)) for s in sections()
            if s.key.startswith(f"{app}.") and (s.process_review or not process)}


@pytest.mark.parametrize("app", APPS)
def test_a_sections_queries_do_not_grow_with_the_rows_it_reads(world, as_member, app):
    as_member(Role.COORDINATOR)
    _grow(world, 1)
    _queries(world, app)  # the member's sites and the content types are read once, then cached
    few = _queries(world, app)
    _grow(world, 4)
    assert _queries(world, app) == few
    assert few  # every app listed provides sections


def test_the_sections_figures_are_those_of_the_period_and_scope(world, as_member):
    EventFactory(organization=world.a.organization, event_type=EventType.CUSTOMER_COMPLAINT,
                 occurred_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC))  # before the period
    EventFactory(organization=world.b.organization, event_type=EventType.CUSTOMER_COMPLAINT,
                 occurred_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))  # another organization
    as_member(Role.COORDINATOR)
    _grow(world, 2)
    user = world.a.users[Role.COORDINATOR]
    scope = ReviewScope(organization_id=world.a.organization.pk, start=START, end=END, user=user)
    by_key = {s.key: s for s in sections()}
    assert by_key["nonconformities.customer_feedback"].selector(scope)["summary"] == (
        "2 réclamations clients sur la période.")
    previous = by_key["improvement.previous_actions"].selector(scope)
    assert previous["counts"] == {"total": 2, "done": 0, "open": 2, "late": 2}
    aspects = by_key["risks.significant_aspects"].selector(scope)
    assert len(aspects["rows"]) == 2
