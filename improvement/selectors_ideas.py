"""Reads of suggestions and improvement projects: pages, the dashboard, the review, the PDF.
Aggregates are computed in SQL (one query per figure set, whatever the number of rows)."""

from __future__ import annotations

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth

from improvement.models import ImprovementProject, ProjectPhase, Suggestion
from improvement.models.suggestions import SuggestionStatus, SuggestionSupport
from improvement.origins import origin_fields


def suggestion_queryset():
    """Suggestions with what their list and page show, and their count of (live) supports: a
    subquery per suggestion shown, not a join grouped by the suggestion and its six related
    rows (planning that GROUP BY took longer than running it, and the list's COUNT carried it)."""
    supports = (
        SuggestionSupport.objects.filter(suggestion=OuterRef("pk"), archived_at__isnull=True)
        .order_by().values("suggestion").annotate(count=Count("pk")).values("count")
    )
    return Suggestion.objects.select_related("author", "team", "site", "process", "duplicate_of", "project").annotate(
        support_count=Coalesce(Subquery(supports, output_field=IntegerField()), 0)
    )


def project_queryset():
    return ImprovementProject.objects.select_related("leader", "team", "site", "process", "indicator")


def phase_queryset():
    return ProjectPhase.objects.select_related("project")


def actions_from(record, user):
    """The actions whose origin is ``record`` (a suggestion, a project) that ``user`` may see."""
    from improvement.selectors import action_queryset

    return (action_queryset().restrict(user, "view").filter(**origin_fields(record), archived_at__isnull=True)
            .order_by("due_on", "pk"))


def suggestion_supported_by(suggestion: Suggestion, user) -> bool:
    return suggestion.supports.filter(supporter=user, archived_at__isnull=True).exists()


def suggestion_counts(queryset, *, start: datetime.date | None = None, end: datetime.date | None = None) -> dict:
    """Counts of (already scoped) suggestions by state, by team and by month of proposal:
    three grouped queries."""
    rows = queryset.filter(archived_at__isnull=True)
    if start:
        rows = rows.filter(created_at__date__gte=start)
    if end:
        rows = rows.filter(created_at__date__lte=end)
    by_status = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
    by_team = list(rows.order_by().values("team__name").annotate(
        total=Count("pk"), accepted=Count("pk", filter=Q(status__in=[SuggestionStatus.ACCEPTED,
                                                                      SuggestionStatus.IMPLEMENTED])),
    ).order_by("-total", "team__name"))
    by_month = list(rows.order_by().annotate(month=TruncMonth("created_at")).values("month").annotate(
        total=Count("pk")).order_by("month"))
    return {
        "by_status": [{"status": value, "label": str(label), "count": by_status.get(value, 0)}
                      for value, label in SuggestionStatus.choices],
        "by_team": by_team,
        "by_month": [{"month": row["month"].date().isoformat()[:7], "total": row["total"]} for row in by_month],
        "total": sum(by_status.values()),
    }


def suggestion_team_month(queryset) -> dict:
    """Suggestions per team and month (one grouped query), for the dashboard's stacked chart."""
    rows = (queryset.filter(archived_at__isnull=True).order_by().annotate(month=TruncMonth("created_at"))
            .values("month", "team__name").annotate(total=Count("pk")).order_by("month", "team__name"))
    months = sorted({row["month"].date().isoformat()[:7] for row in rows})
    teams: dict[str, dict[str, int]] = {}
    for row in rows:
        teams.setdefault(row["team__name"] or "", {})[row["month"].date().isoformat()[:7]] = row["total"]
    return {"months": months, "teams": teams}


def projects_with_gain(queryset) -> list[ImprovementProject]:
    return list(queryset.filter(archived_at__isnull=True).order_by("-closed_on", "title"))


def accepted_in_period(queryset, *, start: datetime.date, end: datetime.date, limit: int = 30) -> list[Suggestion]:
    return list(queryset.filter(archived_at__isnull=True, status__in=[SuggestionStatus.ACCEPTED,
                                                                        SuggestionStatus.IMPLEMENTED],
                                decided_on__gte=start, decided_on__lte=end).order_by("-decided_on", "pk")[:limit])

