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
            {**risk, "hazard": localized(risk["hazard_label"]), "level_name": localized(risk["level_label"]),
             "ink": ink(risk["colour"]), "actions": [_action_display(action) for action in risk["actions"]]}
            for risk in unit["risks"]
        ]}
        for unit in snapshot.get("work_units", [])
    ]


def _action_display(action: dict) -> dict:
    from improvement.choices import ActionStatus

    due_on = datetime.date.fromisoformat(action["due_on"]) if action.get("due_on") else None
    status = action.get("status", "")
    label = ActionStatus(status).label if status in ActionStatus.values else status
    return {**action, "due_on": due_on, "status_label": label}


def duerp_prevention_plan(work_units: list[dict]) -> list[dict]:
    """Every prevention action of a displayed snapshot with its work unit and risk, by due date
    (undated last): the plan printed after the assessment."""
    rows = [
        {**action, "work_unit": unit["name"], "hazard": risk["hazard"], "situation": risk["situation"],
         "level_name": risk["level_name"], "colour": risk["colour"], "ink": risk["ink"], "score": risk["score"]}
        for unit in work_units for risk in unit["risks"] for action in risk["actions"]
    ]
    return sorted(rows, key=lambda row: (row["due_on"] is None, row["due_on"] or datetime.date.min, row["id"]))


def duerp_scales(snapshot: dict) -> list[dict]:
    """The scoring scales frozen with a snapshot (none in versions published before they were)."""
    return [
        {"name": matrix["name"], "threshold": matrix["threshold"],
         "scales": [{"name": localized(scale["name"]),
                     "levels": [{**level, "label": localized(level["label"]),
                                 "description": localized(level["description"])} for level in scale["levels"]]}
                    for scale in matrix["scales"].values()],
         "bands": [{**band, "label": localized(band["label"]), "ink": ink(band["colour"])}
                   for band in reversed(matrix["bands"])]}
        for matrix in snapshot.get("matrices", [])
    ]


def ink(colour: str) -> str:
    """Dark or white text, whichever reads on a band's colour (a yellow band takes dark text)."""
    try:
        red, green, blue = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "#ffffff"
    return "#17212b" if 0.299 * red + 0.587 * green + 0.114 * blue > 160 else "#ffffff"
