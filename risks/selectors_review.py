"""Reads of the risk register for the management review (ISO 9001/14001/45001 § 9.3): the
level distribution and its trend, the actions the risks gave rise to
(significant aspects: ``risks.selectors_aspects.significant_aspects``).

Every read takes the user and is scoped with ``restrict()``; aggregates are computed in SQL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from improvement.choices import ActionStatus
from improvement.selectors import OPEN, actions_of_records
from risks.choices import RiskStatus
from risks.models import Risk

PHASES = ("inherent", "residual")


@dataclass(frozen=True)
class LevelCount:
    """How many open risks (or opportunities) sit at one level, for one phase."""

    kind: str
    phase: str
    level: str
    count: int


def _level_totals(rows) -> list[LevelCount]:
    """Rows (kind, inherent_level, residual_level, n) added up per kind, phase and level;
    unassessed levels (empty) left out."""
    totals: dict[tuple[str, str, str], int] = {}
    for row in rows:  # a handful of (kind, level, level) groups, not one per risk
        for phase in PHASES:
            if row[f"{phase}_level"]:
                key = (row["kind"], phase, row[f"{phase}_level"])
                totals[key] = totals.get(key, 0) + row["n"]
    return sorted((LevelCount(*key, count) for key, count in totals.items()), key=lambda c: (c.kind, c.phase, c.level))


def risk_levels(*, user) -> list[LevelCount]:
    """Open risks and opportunities counted per level, inherent and residual: one GROUP BY
    on both levels (it was a query per phase, each reading every open risk)."""
    risks = Risk.objects.restrict(user, "view").filter(status=RiskStatus.OPEN, archived_at__isnull=True)
    return _level_totals(risks.values("kind", "inherent_level", "residual_level").annotate(n=Count("pk")).order_by())


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def risk_levels_on(*, user, day: datetime.date) -> list[LevelCount]:
    """The level distribution as it stood at the end of a past day, read from the history
    (each risk's latest snapshot up to then): one query, whatever the number of risks."""
    event_model = Risk.pgh_event_model
    visible = Risk.objects.restrict(user, "view").values("pk")
    latest = (
        event_model.objects.filter(pgh_obj_id__in=visible, pgh_created_at__lt=_end_of(day))
        .order_by("pgh_obj_id", "-pgh_created_at", "-pgh_id").distinct("pgh_obj_id").values("pgh_id")
    )
    snapshots = event_model.objects.filter(pgh_id__in=latest, status=RiskStatus.OPEN, archived_at__isnull=True)
    return _level_totals(snapshots.values("kind", "inherent_level", "residual_level").annotate(n=Count("pgh_id")).order_by())


@dataclass(frozen=True)
class LevelTrend:
    kind: str
    phase: str
    level: str
    then: int
    now: int

    @property
    def delta(self) -> int:
        return self.now - self.then


def risk_level_trend(*, user, since: datetime.date) -> list[LevelTrend]:
    """Today's level distribution next to the one at the end of ``since`` (three queries)."""
    now = {(c.kind, c.phase, c.level): c.count for c in risk_levels(user=user)}
    then = {(c.kind, c.phase, c.level): c.count for c in risk_levels_on(user=user, day=since)}
    return [
        LevelTrend(*key, then=then.get(key, 0), now=now.get(key, 0))
        for key in sorted(set(now) | set(then))
    ]


def risk_actions_by_status(*, user, today: datetime.date) -> dict[str, int]:
    """Actions whose origin is a risk or an opportunity, per status, plus the late ones
    (one query)."""
    aggregates = {status: Count("pk", filter=Q(status=status)) for status in ActionStatus.values}
    aggregates["late"] = Count("pk", filter=OPEN & Q(due_on__lt=today))
    aggregates["total"] = Count("pk")
    return actions_of_records(Risk, user=user).aggregate(**aggregates)

