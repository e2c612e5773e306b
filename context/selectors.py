"""Reads of the context analysis for pages, exports, the API and the management review."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from context.choices import IssueOrigin, Pestel, PolicyKind, SwotQuadrant
from context.models import (
    ClimateDecision,
    ContextIssue,
    InterestedParty,
    PartyExpectation,
    PolicyStatement,
    SwotItem,
)
from context.scoring import is_review_due


def _live(model, user):
    return model.objects.restrict(user, "view").filter(archived_at__isnull=True)


def policy_queryset():
    return PolicyStatement.objects.select_related("approved_by").prefetch_related("sites")


def issue_queryset():
    return ContextIssue.objects.prefetch_related("processes")


def swot_queryset():
    return SwotItem.objects.select_related("issue", "risk", "action")


def party_queryset():
    return InterestedParty.objects.all()


def expectation_queryset():
    return PartyExpectation.objects.select_related("party").prefetch_related("processes")


def climate_queryset():
    return ClimateDecision.objects.select_related("decided_by")


def current_policies(*, user) -> dict[str, PolicyStatement]:
    """The latest approved version of each kind of statement (mission, vision, policy, scope)."""
    rows = (
        policy_queryset().restrict(user, "view").filter(archived_at__isnull=True, approved_on__isnull=False)
        .order_by("kind", "-version_number").distinct("kind")
    )
    return {row.kind: row for row in rows}


def swot_grid(*, user) -> list[tuple[str, str, list[SwotItem]]]:
    """(quadrant, label, items) in the grid's reading order: S, W, O, T."""
    items = list(swot_queryset().restrict(user, "view").filter(archived_at__isnull=True).order_by("pk"))
    return [(value, label, [i for i in items if i.quadrant == value]) for value, label in SwotQuadrant.choices]


def party_map(*, user) -> list[InterestedParty]:
    """Every live party with its scores, for the influence x interest map."""
    return list(_live(InterestedParty, user).order_by("name"))


@dataclass
class ContextChapter:
    """Chapter 4 of the management-system manual, as plain data."""

    statements: dict[str, PolicyStatement]
    internal_issues: list[ContextIssue]
    external_issues_by_pestel: list[tuple[str, list[ContextIssue]]]
    swot: list[tuple[str, str, list[SwotItem]]]
    parties: list[InterestedParty]
    climate: ClimateDecision | None
    climate_review_due: bool = False

    @property
    def statement_rows(self) -> list[tuple[str, str, PolicyStatement | None]]:
        """(kind, label, current statement or None) in the manual's order."""
        return [(kind, label, self.statements.get(kind)) for kind, label in PolicyKind.choices]


def context_chapter(*, user, today: datetime.date) -> ContextChapter:
    """Everything the context page (and its PDF) shows, in a fixed number of queries."""
    issues = list(issue_queryset().restrict(user, "view").filter(archived_at__isnull=True).order_by("-importance", "title"))
    expectations = Prefetch(
        "expectations", queryset=PartyExpectation.objects.filter(archived_at__isnull=True).prefetch_related("processes").order_by("pk"),
    )
    parties = list(_live(InterestedParty, user).prefetch_related(expectations).order_by("category", "name"))
    climate = climate_queryset().restrict(user, "view").filter(archived_at__isnull=True).first()
    return ContextChapter(
        statements=current_policies(user=user),
        internal_issues=[i for i in issues if i.origin == IssueOrigin.INTERNAL],
        external_issues_by_pestel=[
            (label, [i for i in issues if i.origin == IssueOrigin.EXTERNAL and i.pestel == value])
            for value, label in Pestel.choices
        ],
        swot=swot_grid(user=user),
        parties=parties,
        climate=climate,
        climate_review_due=bool(climate) and is_review_due(next_review_on=climate.next_review_on, today=today),
    )


def climate_decisions_due(*, today: datetime.date):
    """Current decisions whose yearly review is due (task context: organization active)."""
    return ClimateDecision.objects.in_current_organization().filter(archived_at__isnull=True, next_review_on__lte=today)


CONTEXT_MODELS = (PolicyStatement, ContextIssue, SwotItem, InterestedParty, PartyExpectation, ClimateDecision)


@dataclass(frozen=True)
class ContextChange:
    """One record of the context created, changed or archived since a date (from its history)."""

    model: type
    object_id: int
    label: str
    change: str  # "created", "changed" or "archived"
    changed_at: datetime.datetime
    change_count: int

    @property
    def model_label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse(f"context:{self.model._meta.model_name}_detail", args=[self.object_id])


def _start_of(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _changes_of(model, user, since: datetime.datetime) -> list[ContextChange]:
    """One GROUP BY query over the model's history: per record, its first and last event
    since the date, whether it was inserted then, and whether it is archived now."""
    from django.db.models import Count, Max, Q

    events = model.pgh_event_model.objects.filter(
        pgh_obj_id__in=model.objects.restrict(user, "view").values("pk"), pgh_created_at__gte=since,
    )
    rows = list(
        events.values("pgh_obj_id", "pgh_obj__archived_at")
        .annotate(last=Max("pgh_created_at"), n=Count("pgh_id"), inserted=Count("pgh_id", filter=Q(pgh_label="insert")))
        .order_by()
    )
    if not rows:
        return []
    visible = model.objects.restrict(user, "view").filter(pk__in=[row["pgh_obj_id"] for row in rows])
    labels = {obj.pk: str(obj) for obj in visible}
    changes = []
    for row in rows:
        archived_at = row["pgh_obj__archived_at"]
        change = "created" if row["inserted"] else "archived" if archived_at and archived_at >= since else "changed"
        changes.append(ContextChange(model, row["pgh_obj_id"], labels.get(row["pgh_obj_id"], ""), change, row["last"], row["n"]))
    return changes


def context_changes_since(*, user, since: datetime.date) -> list[ContextChange]:
    """Issues, SWOT items, parties and expectations, policy versions and climate decisions
    created, changed or archived since the start of ``since``, latest first (for the
    management review's "changes in external and internal issues"). Two queries per model."""
    start = _start_of(since)
    changes = [change for model in CONTEXT_MODELS for change in _changes_of(model, user, start)]
    return sorted(changes, key=lambda c: (c.changed_at, c.model_label, c.object_id), reverse=True)
