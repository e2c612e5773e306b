"""Reads of the occupational-risk assessment (DUERP) for its pages, PDF and reminders."""

from __future__ import annotations

import datetime

from risks import duerp
from risks.library import localized
from risks.models import DuerpVersion, OccupationalRisk, WorkUnit


def work_unit_queryset():
    return WorkUnit.objects.select_related("site")


def occupational_risk_queryset():
    """Occupational risks with what every list and detail shows, in one query."""
    return OccupationalRisk.objects.select_related("work_unit", "work_unit__site", "matrix")



def duerp_versions(*, user):
    return DuerpVersion.objects.restrict(user, "view").select_related("published_by", "pdf")


def duerp_latest(*, user) -> DuerpVersion | None:
    """The last published version that is not archived."""
    return duerp_versions(user=user).filter(archived_at__isnull=True).order_by("-number").first()


def duerp_update_due(*, user, today: datetime.date) -> bool:
    """Whether the yearly update is due: never published, or the last version is a year old."""
    latest = duerp_latest(user=user)
    return duerp.is_update_due(latest.published_on if latest else None, today)


def duerp_snapshot_display(snapshot: dict) -> list[dict]:
    """A snapshot's work units and risks with their labels in the active language."""
    return [
        {**unit, "risks": [
            {**risk, "hazard": localized(risk["hazard_label"]), "level_name": localized(risk["level_label"])}
            for risk in unit["risks"]
        ]}
        for unit in snapshot.get("work_units", [])
    ]
