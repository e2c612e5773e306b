"""Reads of periodic checks for pages, exports, the API, the dashboard and reminders."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When

from compliance.models import CheckObservation, CheckReport, CheckType, PeriodicCheck
from compliance.scheduling import CHECK_NOTICE_DAYS


def check_type_queryset():
    return CheckType.objects.all()


def periodic_check_queryset():
    return PeriodicCheck.objects.select_related("site", "check_type", "owner", "process")


def check_report_queryset():
    return CheckReport.objects.select_related("periodic_check__site", "periodic_check__check_type")


def observation_queryset():
    """Observations with their report and check, and whether an action was planned for them."""
    from improvement.models import Action

    planned = Action.objects.filter(
        origin_type=ContentType.objects.get_for_model(CheckObservation), origin_id=OuterRef("pk"),
        archived_at__isnull=True,
    )
    return CheckObservation.objects.select_related(
        "report__periodic_check__site", "report__periodic_check__check_type"
    ).annotate(has_action=Exists(planned))


def _live_checks(user):
    return periodic_check_queryset().restrict(user, "view").filter(archived_at__isnull=True)


def overdue_checks(*, user, today: datetime.date):
    """Checks past their due date, the most overdue first."""
    return _live_checks(user).filter(next_due_on__lt=today).order_by("next_due_on", "pk")


def checks_due_soon(*, user, today: datetime.date):
    """Checks due within the notice period (not yet overdue)."""
    horizon = today + datetime.timedelta(days=CHECK_NOTICE_DAYS)
    return _live_checks(user).filter(next_due_on__gte=today, next_due_on__lte=horizon).order_by("next_due_on", "pk")


SEVERITY_RANK = {"serious_danger": 0, "major": 1, "minor": 2}


def open_observations(*, user):
    """Observations not lifted yet, serious ones first, with whether an action is planned."""
    rank = Case(*[When(severity=key, then=Value(value)) for key, value in SEVERITY_RANK.items()],
                output_field=IntegerField())
    return (
        observation_queryset().restrict(user, "view")
        .filter(archived_at__isnull=True, lifted_on__isnull=True, report__archived_at__isnull=True)
        .annotate(rank=rank).order_by("rank", "report__done_on", "pk")
    )


def check_alert_counts(*, user, today: datetime.date) -> dict[str, int]:
    """What the coordinator's to-do shows: overdue checks and open observations (two counts)."""
    return {
        "overdue": _live_checks(user).filter(next_due_on__lt=today).count(),
        "open_observations": open_observations(user=user).order_by().count(),
    }


@dataclass
class SiteCheckCount:
    site: str
    site_id: int
    total: int
    overdue: int
    due_soon: int


@dataclass
class ChecksDashboard:
    """The dashboard's figures and its two bounded lists (first rows only, links to the rest)."""

    overdue_count: int
    due_soon_count: int
    undated_count: int
    open_observation_count: int
    without_action_count: int
    overdue: list
    due_soon: list
    observations: list
    by_site: list[SiteCheckCount]


DASHBOARD_ROWS = 10


def checks_dashboard(*, user, today: datetime.date) -> ChecksDashboard:
    """Counts in SQL (one aggregate per figure family), and at most ten rows per list."""
    horizon = today + datetime.timedelta(days=CHECK_NOTICE_DAYS)
    checks = _live_checks(user)
    totals = checks.aggregate(
        overdue=Count("pk", filter=Q(next_due_on__lt=today)),
        due_soon=Count("pk", filter=Q(next_due_on__gte=today, next_due_on__lte=horizon)),
        undated=Count("pk", filter=Q(next_due_on__isnull=True)),
    )
    observations = open_observations(user=user)
    observation_totals = observations.aggregate(
        open=Count("pk"), without_action=Count("pk", filter=Q(has_action=False)),
    )
    by_site = (
        checks.order_by().values("site_id", "site__name")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(next_due_on__lt=today)),
                  due_soon=Count("pk", filter=Q(next_due_on__gte=today, next_due_on__lte=horizon)))
        .order_by("site__name")
    )
    return ChecksDashboard(
        overdue_count=totals["overdue"], due_soon_count=totals["due_soon"], undated_count=totals["undated"],
        open_observation_count=observation_totals["open"], without_action_count=observation_totals["without_action"],
        overdue=list(overdue_checks(user=user, today=today)[:DASHBOARD_ROWS]),
        due_soon=list(checks_due_soon(user=user, today=today)[:DASHBOARD_ROWS]),
        observations=list(observations[:DASHBOARD_ROWS]),
        by_site=[SiteCheckCount(row["site__name"], row["site_id"], row["total"], row["overdue"], row["due_soon"])
                 for row in by_site],
    )
