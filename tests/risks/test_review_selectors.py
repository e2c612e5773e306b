"""What the management review reads from the risks and the context: level distribution and
its trend (from the pghistory snapshots), actions from risks, context changes since a date.
Table-tested against the database, in the two-organization world."""

from __future__ import annotations

import contextlib
import datetime
import itertools

import pgtrigger
import pytest
from django.utils import timezone

from context.factories import ContextIssueFactory, InterestedPartyFactory
from context.models import ContextIssue, InterestedParty
from context.selectors import context_changes_since
from improvement.choices import ActionOriginKind, ActionStatus
from improvement.factories import ActionFactory
from qse.models import Membership
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import count_queries
from risks.choices import RiskKind, RiskStatus
from risks.factories import RiskFactory
from risks.models import Risk
from risks.selectors_aspects import significant_aspects
from risks.selectors_review import (
    risk_actions_by_status,
    risk_level_trend,
    risk_levels,
    risk_levels_on,
)

TODAY = timezone.localdate()
NUMBERS = itertools.count(1)


@contextlib.contextmanager
def as_member(user, organization):
    membership = Membership.objects.get(user=user, organization=organization)
    with organization_context(organization, membership):
        yield


def _at(days_ago: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(TODAY - datetime.timedelta(days=days_ago), datetime.time(12)))


def _snapshot(obj, days_ago: int, label: str = "update", **changes) -> None:
    """A history row as the trigger would have written it that day (history is insert-only)."""
    event_model = type(obj).pgh_event_model
    names = {f.attname for f in event_model._meta.concrete_fields if not f.name.startswith("pgh_")}
    values = {name: getattr(obj, name) for name in names if hasattr(obj, name)} | changes
    stamp = event_model._meta.get_field("pgh_created_at")
    stamp.auto_now_add, saved = False, stamp.auto_now_add  # keep the past date we give
    try:
        event_model.objects.create(pgh_obj_id=obj.pk, pgh_created_at=_at(days_ago), pgh_label=label, **values)
    finally:
        stamp.auto_now_add = saved


def _risk(side, gravity: int, probability: int, **extra) -> Risk:
    return RiskFactory(organization=side.organization, matrix=side.matrix, owner=side.users[Role.COORDINATOR],
                       reference=f"T-{next(NUMBERS):03d}", inherent_gravity=gravity, inherent_probability=probability, **extra)


@pytest.fixture
def register(world):
    """world.a.risk: 3 x 3 = 9, medium. Past snapshots say how the register stood before."""
    a = world.a
    lowered = _risk(a, 2, 2, residual_gravity=1, residual_probability=1)      # now low, was high 10 days ago
    _snapshot(lowered, 10, label="insert", inherent_gravity=4, inherent_probability=3, inherent_score=12, inherent_level="high",
              residual_level="", residual_score=None)
    reopened = _risk(a, 5, 4)                                                 # now critical, was closed
    _snapshot(reopened, 10, label="insert", status=RiskStatus.CLOSED)
    archived = _risk(a, 5, 5, archived_at=timezone.now())                     # critical until archived 5 days ago
    _snapshot(archived, 10, label="insert", archived_at=None)
    _snapshot(archived, 5, archived_at=_at(5))
    _risk(a, 1, 2, kind=RiskKind.OPPORTUNITY)                                 # new today, low opportunity
    _snapshot(world.b.risk, 10, label="insert", inherent_level="critical")    # another organization: never counted
    return world


def _counts(rows) -> set[tuple]:
    return {(c.kind, c.phase, c.level, c.count) for c in rows}


def test_open_risks_are_counted_per_level_inherent_and_residual(register):
    world = register
    with as_member(world.user(Role.AUDITOR), world.a.organization):
        counts = _counts(risk_levels(user=world.user(Role.AUDITOR)))
    assert counts == {
        ("opportunity", "inherent", "low", 1),
        ("risk", "inherent", "critical", 1), ("risk", "inherent", "low", 1), ("risk", "inherent", "medium", 1),
        ("risk", "residual", "low", 1),
    }


@pytest.mark.parametrize(("days_ago", "expected"), [
    (20, set()),
    (7, {("risk", "inherent", "high", 1), ("risk", "inherent", "critical", 1)}),
    (3, {("risk", "inherent", "high", 1)}),
])
def test_the_level_distribution_at_a_past_date_comes_from_the_history(register, days_ago, expected):
    world = register
    with as_member(world.user(), world.a.organization):
        counts = _counts(risk_levels_on(user=world.user(), day=TODAY - datetime.timedelta(days=days_ago)))
    assert counts == expected


def test_the_trend_puts_then_and_now_side_by_side(register):
    world = register
    with as_member(world.user(), world.a.organization):
        trend = {(t.kind, t.phase, t.level): (t.then, t.now, t.delta)
                 for t in risk_level_trend(user=world.user(), since=TODAY - datetime.timedelta(days=7))}
    assert trend[("risk", "inherent", "high")] == (1, 0, -1)
    assert trend[("risk", "inherent", "critical")] == (1, 1, 0)
    assert trend[("risk", "inherent", "medium")] == (0, 1, 1)
    assert trend[("opportunity", "inherent", "low")] == (0, 1, 1)


def test_the_trend_costs_three_queries_for_3_or_30_risks(register):
    world = register

    def queries() -> int:
        with as_member(world.user(), world.a.organization):
            return count_queries(lambda: risk_level_trend(user=world.user(), since=TODAY - datetime.timedelta(days=7)))

    few = queries()
    for _ in range(27):
        _snapshot(_risk(world.a, 4, 4), 8, label="insert")
    assert queries() == few <= 4  # the member's sites, today's two GROUP BYs, the history's one


def test_a_member_limited_to_a_site_sees_the_levels_of_that_site_and_the_organization_wide_ones(register):
    world = register
    from qse.factories import SiteFactory

    other_site = SiteFactory(organization=world.a.organization, code="ALP9", name="Site 9")
    _snapshot(_risk(world.a, 5, 5, site=other_site), 10, label="insert")
    auditor = world.a.users[Role.AUDITOR]
    Membership.objects.get(user=auditor, organization=world.a.organization).sites.add(world.a.site)
    with as_member(auditor, world.a.organization):
        then = _counts(risk_levels_on(user=auditor, day=TODAY - datetime.timedelta(days=7)))
    assert then == {("risk", "inherent", "high", 1), ("risk", "inherent", "critical", 1)}


def test_actions_from_risks_are_counted_per_status_with_the_late_ones(world):
    a, owner = world.a, world.user()
    late_day = TODAY - datetime.timedelta(days=2)
    for status, due_on in ((ActionStatus.PLANNED, late_day), (ActionStatus.IN_PROGRESS, TODAY),
                           (ActionStatus.DONE, late_day), (ActionStatus.DONE, TODAY)):
        ActionFactory(organization=a.organization, owner=owner, status=status, due_on=due_on, origin=a.risk,
                      origin_kind=ActionOriginKind.RISK)
    ActionFactory(organization=world.b.organization, owner=world.b.users[Role.COORDINATOR], origin=world.b.risk,
                  origin_kind=ActionOriginKind.RISK)
    with as_member(owner, a.organization):
        counts = risk_actions_by_status(user=owner, today=TODAY)
    assert counts == {"planned": 1, "in_progress": 1, "done": 2, "cancelled": 0, "late": 1, "total": 4}


def test_significant_aspects_are_read_from_the_aspects_selector(world):
    from tests.risks.test_aspects import _aspect

    significant = _aspect(world.a, severity=4, frequency=4, control=3)
    _aspect(world.a, severity=1, frequency=1, control=1)
    _aspect(world.b, severity=4, frequency=4, control=3)
    with as_member(world.user(), world.a.organization):
        assert list(significant_aspects(user=world.user())) == [significant]


# --- context changes ------------------------------------------------------------------------


@pytest.fixture
def context_history(world):
    a = world.a
    created = ContextIssueFactory(organization=a.organization, title="Nouvel enjeu : pénurie d'acier")
    with pgtrigger.ignore("context.ContextIssue:insert_insert", "context.InterestedParty:insert_insert"):
        untouched = ContextIssueFactory(organization=a.organization, title="Enjeu stable")
        changed = ContextIssueFactory(organization=a.organization, title="Enjeu à revoir")
        party = InterestedPartyFactory(organization=a.organization, name="Riverains")
    for obj in (untouched, changed, party):
        _snapshot(obj, 40, label="insert")
    ContextIssue.objects.filter(pk=changed.pk).update(importance=4)
    InterestedParty.objects.filter(pk=party.pk).update(archived_at=timezone.now())
    ContextIssueFactory(organization=world.b.organization, title="Enjeu de Beta")
    return world, {"created": created, "changed": changed, "party": party}


@pytest.mark.parametrize(("days_ago", "expected"), [
    (-1, set()),
    (1, {("issue", "Nouvel enjeu : pénurie d'acier", "created"), ("issue", "Enjeu à revoir", "changed"),
         ("interested party", "Riverains", "archived")}),
    (60, {("issue", "Nouvel enjeu : pénurie d'acier", "created"), ("issue", "Enjeu à revoir", "created"),
          ("issue", "Enjeu stable", "created"), ("interested party", "Riverains", "created")}),
])
def test_context_changes_since_a_date_come_from_the_history(context_history, days_ago, expected):
    world, _ = context_history
    from django.utils import translation

    with translation.override("en"), as_member(world.user(Role.MANAGEMENT), world.a.organization):
        changes = context_changes_since(user=world.user(Role.MANAGEMENT), since=TODAY - datetime.timedelta(days=days_ago))
        assert {(c.model_label, c.label, c.change) for c in changes} == expected
    assert all(c.url.startswith("/context/") for c in changes)


def test_context_changes_cost_the_same_queries_for_3_or_30_records(context_history):
    world, _ = context_history

    def queries() -> int:
        with as_member(world.user(), world.a.organization):
            return count_queries(lambda: context_changes_since(user=world.user(), since=TODAY - datetime.timedelta(days=1)))

    few = queries()
    for index in range(27):
        ContextIssueFactory(organization=world.a.organization, title=f"Enjeu {index}")
        InterestedPartyFactory(organization=world.a.organization, name=f"Partie {index}")
    assert queries() == few <= 12
