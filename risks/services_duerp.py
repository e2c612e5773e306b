"""Every write of the occupational-risk assessment (DUERP): risks scored on the matrix, and
publication of a version (an immutable snapshot and its PDF)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from improvement.models import Action
from improvement.selectors import actions_by_record
from qse.models import Organization
from qse.services import ensure_can, object_create, object_update, recorded
from qse.tenancy import current_organization
from risks import scoring
from risks.duerp import hazard_families
from risks.models import DuerpVersion, OccupationalRisk, WorkUnit

# 2: the matrices' scoring scales are frozen with the risks.
SNAPSHOT_FORMAT = 2
REPORT_KIND = "risks.duerp_version"


# --- occupational risks ------------------------------------------------------------------

def occupational_risk_create(*, acting_user, data: dict) -> OccupationalRisk:
    """Record a hazard of a work unit; its score and level come from the matrix."""
    ensure_can(acting_user, "add", OccupationalRisk)
    data = {**data, **_checked_and_scored(data)}
    return object_create(model=OccupationalRisk, acting_user=acting_user, data=data)


def occupational_risk_update(
    *, risk: OccupationalRisk, acting_user, data: dict, expected_version: int | None
) -> OccupationalRisk:
    """Edit an occupational risk; score and level follow its (possibly new) matrix."""
    ensure_can(acting_user, "change", risk)
    merged = {name: getattr(risk, name) for name in ("hazard_family", "matrix", "gravity", "probability")}
    merged.update(data)
    changes = {**data, **_checked_and_scored(merged)}
    return object_update(obj=risk, acting_user=acting_user, data=changes, expected_version=expected_version)


def occupational_risks_import(*, risks: list[OccupationalRisk], acting_user) -> list[OccupationalRisk]:
    """Write rows a spreadsheet import has validated: scored on their (already loaded)
    matrices, then one bulk insert; the history triggers fire per row."""
    ensure_can(acting_user, "add", OccupationalRisk)
    for risk in risks:
        values = {name: getattr(risk, name) for name in ("hazard_family", "matrix", "gravity", "probability")}
        for name, value in _checked_and_scored(values).items():
            setattr(risk, name, value)
    return OccupationalRisk.objects.bulk_create(risks, batch_size=1000)


def planned_actions_import(*, risks: list[OccupationalRisk], acting_user) -> list[Action]:
    """The prevention plan of an imported Document unique: each risk's planned action
    (title, owner, due date read from its row) becomes an action linked to the risk exactly
    as ``prevention_action_create`` links one (``prevention_origin``), written in one bulk
    insert like the action plan's own import (history triggers still fire per row)."""
    ensure_can(acting_user, "add", Action)
    organization = current_organization()
    actions = [
        Action(organization=organization, created_by=acting_user, title=plan["action_title"],
               owner=plan["action_owner"], due_on=plan["action_due_on"], **prevention_origin(risk))
        for risk in risks if (plan := getattr(risk, "planned_action", None))
    ]
    return Action.objects.bulk_create(actions, batch_size=1000)


def prevention_origin(risk: OccupationalRisk) -> dict:
    """What makes an action a prevention action of ``risk``: its origin (the risk, so the next
    DUERP version lists it) and the work unit's site. No query: the site by its id."""
    from improvement.choices import ActionOriginKind
    from improvement.origins import origin_fields

    return {"site_id": risk.work_unit.site_id, "origin_kind": ActionOriginKind.RISK, **origin_fields(risk)}


def occupational_risk_errors(values: dict) -> dict:
    """A hazard family of the library; gravity and probability levels of a matrix without
    detectability."""
    errors = {}
    if values.get("hazard_family") not in hazard_families():
        errors["hazard_family"] = [_("Choose a hazard family of the list.")]
    matrix = values.get("matrix")
    if matrix is None:
        errors["matrix"] = [_("Choose a matrix.")]
        return errors
    data = matrix.data
    for axis in ("gravity", "probability"):
        allowed = scoring.scale_values(data, axis)
        if values.get(axis) not in allowed:
            errors[axis] = [_("Choose a level of the matrix ({levels}).").format(levels=", ".join(map(str, allowed)))]
    if not errors and scoring.has_detectability(data):
        errors["matrix"] = [_("Choose a matrix without a detectability scale.")]
    return errors


def _checked_and_scored(values: dict) -> dict:
    errors = occupational_risk_errors(values)
    if errors:
        raise ValidationError(errors)
    return occupational_scored(values["matrix"].data, values["gravity"], values["probability"])


def occupational_scored(matrix_data: dict, gravity: int, probability: int) -> dict:
    """Score and level of an occupational risk on a matrix (also used by rescoring)."""
    value = scoring.score(matrix_data, gravity, probability)
    return {"score": value, "level": scoring.level(matrix_data, value).id}


def prevention_action_create(*, risk: OccupationalRisk, acting_user, data: dict) -> Action:
    """Plan a prevention action against an occupational risk: an improvement action whose
    origin is the risk (so the next DUERP version lists it), on the work unit's site."""
    from improvement.choices import ActionOriginKind
    from improvement.services import action_create

    ensure_can(acting_user, "view", risk)
    data = {**data, "site": risk.work_unit.site}
    return action_create(acting_user=acting_user, data=data, origin=risk, origin_kind=ActionOriginKind.RISK)


# --- publication -------------------------------------------------------------------------

def duerp_publish(*, acting_user, today: datetime.date) -> DuerpVersion:
    """Freeze the current assessment as the next version and request its PDF.

    A constant number of queries whatever the number of work units and risks; the
    organization row is locked so that two publications never race for a number.
    """
    ensure_can(acting_user, "add", DuerpVersion)
    organization = current_organization()
    with recorded(acting_user, reason=_("DUERP published")):
        Organization.objects.select_for_update().filter(pk=organization.pk).values_list("pk").get()
        last = DuerpVersion.objects.in_current_organization().aggregate(n=Max("number"))["n"] or 0
        version = DuerpVersion.objects.create(
            organization=organization, created_by=acting_user, number=last + 1, published_on=today,
            published_by=acting_user, snapshot=duerp_snapshot(today=today),
        )
        from qse.reports import report_request

        version.pdf = report_request(kind=REPORT_KIND, target=version, acting_user=acting_user)
        version.save(update_fields=["pdf", "updated_at"])
    return version


def duerp_snapshot(*, today: datetime.date) -> dict:
    """Every active work unit with its risks and their prevention actions, as plain data.

    Three queries; hazard and level labels are copied in both languages, so the snapshot
    reads the same whatever later happens to the library or the matrix.
    """
    units = list(
        WorkUnit.objects.in_current_organization().filter(archived_at__isnull=True)
        .select_related("site").order_by("site__name", "name", "pk")
    )
    risks = list(
        OccupationalRisk.objects.in_current_organization().filter(archived_at__isnull=True, work_unit__in=units)
        .select_related("matrix").order_by("-score", "pk")
    )
    actions = _actions_by_risk([risk.pk for risk in risks])
    by_unit: dict[int, list] = {}
    for risk in risks:
        by_unit.setdefault(risk.work_unit_id, []).append(_risk_entry(risk, actions.get(risk.pk, [])))
    matrices = {risk.matrix_id: risk.matrix for risk in risks}
    return {
        "format": SNAPSHOT_FORMAT,
        "taken_on": today.isoformat(),
        "matrices": [_matrix_entry(matrix) for matrix in sorted(matrices.values(), key=lambda m: m.pk)],
        "work_units": [
            {"id": unit.pk, "name": unit.name, "site": str(unit.site), "description": unit.description,
             "headcount": unit.headcount, "risks": by_unit.get(unit.pk, [])}
            for unit in units
        ],
        "risk_count": len(risks),
    }


def _actions_by_risk(risk_ids: list[int]) -> dict[int, list]:
    # A system read: the published register lists every prevention action, whoever publishes it.
    return {
        risk_id: [{
            "id": action.pk, "title": action.title, "owner": action.owner.get_full_name() or action.owner.get_username(),
            "due_on": action.due_on.isoformat() if action.due_on else None, "status": action.status,
        } for action in actions]
        for risk_id, actions in actions_by_record(OccupationalRisk, user=None, ids=risk_ids).items()
    }


def _matrix_entry(matrix) -> dict:
    """A matrix's scales and bands as they stand (both languages): the scoring scale printed
    with the version."""
    data = matrix.data
    return {
        "name": matrix.name,
        "scales": {axis: {"name": scale.get("name") or axis,
                          "levels": [{"value": level["value"], "label": level["label"],
                                      "description": level.get("description") or ""} for level in scale["levels"]]}
                   for axis, scale in data["scales"].items()},
        "bands": [{"id": band["id"], "label": band["label"], "colour": band["colour"], "min": band["min"],
                   "max": band["max"]} for band in sorted(data["bands"], key=lambda band: band["min"])],
        "threshold": data["acceptability_threshold"],
    }


def _risk_entry(risk: OccupationalRisk, actions: list) -> dict:
    family = hazard_families().get(risk.hazard_family, {})
    band = scoring.level(risk.matrix.data, risk.score)
    return {
        "id": risk.pk, "hazard_family": risk.hazard_family,
        "hazard_label": family.get("label", {"fr": risk.hazard_family, "en": risk.hazard_family}),
        "situation": risk.situation, "exposed_workers": risk.exposed_workers,
        "existing_measures": risk.existing_measures, "matrix": risk.matrix.name,
        "gravity": risk.gravity, "probability": risk.probability, "score": risk.score,
        "level": risk.level, "level_label": band.label, "colour": band.colour, "actions": actions,
    }
