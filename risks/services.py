"""Every write on risk matrices and the register."""

from __future__ import annotations

import copy
import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qse.services import ensure_can, object_create, object_update, recorded
from risks import scoring
from risks.choices import TREATMENTS_BY_KIND, RiskKind, Treatment
from risks.library import library_matrix, localized
from risks.models import Risk, RiskMatrix

PHASES = ("inherent", "residual")
MATRIX_FIELDS = ("scales", "bands", "acceptability_threshold")


# --- matrices ---------------------------------------------------------------------------

def matrix_copy_from_library(*, library_id: str, acting_user) -> RiskMatrix:
    """Copy a library matrix into the current organization (the default if it has none)."""
    try:
        source = library_matrix(library_id)
    except KeyError:
        raise ValidationError(_("There is no library matrix with this id.")) from None
    has_default = RiskMatrix.objects.in_current_organization().filter(is_default=True, archived_at__isnull=True).exists()
    data = {
        "name": localized(source["name"]),
        "description": localized(source.get("description")),
        "is_default": not has_default,
        **{name: copy.deepcopy(source[name]) for name in MATRIX_FIELDS},
    }
    return matrix_create(
        acting_user=acting_user, data=data, source_library_id=source["id"], source_version=source["version"]
    )


def matrix_create(*, acting_user, data: dict, **extra) -> RiskMatrix:
    """Create a matrix; making it the default takes the flag from the previous default."""
    _check_matrix(data)
    with recorded(acting_user):
        if data.get("is_default"):
            _clear_default(acting_user)
        return object_create(model=RiskMatrix, acting_user=acting_user, data=data, **extra)


def matrix_update(*, matrix: RiskMatrix, acting_user, data: dict, expected_version: int | None) -> RiskMatrix:
    """Edit a matrix and rescore every risk that uses it (history keeps the old scores)."""
    ensure_can(acting_user, "change", matrix)
    merged = {name: data.get(name, getattr(matrix, name)) for name in MATRIX_FIELDS}
    _check_matrix(merged)
    old_data = matrix.data
    with recorded(acting_user):
        if data.get("is_default") and not matrix.is_default:
            _clear_default(acting_user, exclude=matrix.pk)
        updated = object_update(obj=matrix, acting_user=acting_user, data=data, expected_version=expected_version)
        if any(merged[name] != old_data[name] for name in MATRIX_FIELDS):
            risks_rescore(matrix=updated, old_data=old_data, acting_user=acting_user)
    return updated


def _check_matrix(data: dict) -> None:
    errors = scoring.matrix_errors({name: data.get(name) or {} for name in MATRIX_FIELDS})
    if errors:
        raise ValidationError({"scales": errors})


def _clear_default(acting_user, exclude: int | None = None) -> None:
    # A queryset update: the history triggers still record it.
    RiskMatrix.objects.in_current_organization().filter(is_default=True).exclude(pk=exclude).update(is_default=False)


def risks_rescore(*, matrix: RiskMatrix, old_data: dict, acting_user) -> int:
    """Carry every risk of a matrix onto its new scales and recompute scores and levels.

    One bulk update; the history triggers keep each risk's previous scores.
    """
    risks = list(Risk.objects.filter(matrix=matrix).select_for_update())
    new_data = matrix.data
    for risk in risks:
        for name in _level_names():
            phase, axis = name.split("_")
            setattr(risk, name, _carried(getattr(risk, name), old_data, new_data, axis, phase, risk))
        for name, value in _derived(new_data, _levels_of(risk)).items():
            setattr(risk, name, value)
        risk.version += 1
    fields = [f"{p}_{a}" for p in PHASES for a in scoring.AXES] + [
        "inherent_score", "inherent_level", "residual_score", "residual_level", "version"
    ]
    with recorded(acting_user, reason=_("Matrix changed: risks rescored")):
        Risk.objects.bulk_update(risks, fields, batch_size=500)
    return len(risks)


def _carried(value, old_data, new_data, axis, phase, risk):
    """A level on the new matrix; a detectability scale that appears starts at its worst level."""
    new_values = scoring.scale_values(new_data, axis)
    if not new_values:
        return None
    if value is None:
        has_phase = getattr(risk, f"{phase}_gravity") is not None
        return new_values[-1] if has_phase else None
    return scoring.rescale(value, scoring.scale_values(old_data, axis), new_values)


# --- register ---------------------------------------------------------------------------

def risk_create(*, acting_user, data: dict) -> Risk:
    """Record a risk or an opportunity; scores and levels come from its matrix."""
    ensure_can(acting_user, "add", Risk)
    data = {**data, **_checked_and_derived(data)}
    return object_create(model=Risk, acting_user=acting_user, data=data)


def risk_update(*, risk: Risk, acting_user, data: dict, expected_version: int | None) -> Risk:
    """Edit a risk; a new matrix rescales the levels the user did not change; scores follow."""
    ensure_can(acting_user, "change", risk)
    merged = {**_current_values(risk), **data}
    new_matrix = merged["matrix"]
    if new_matrix.pk != risk.matrix_id:
        merged = _rescaled_for(risk, merged, new_matrix)
    changes = {**data, **{k: merged[k] for k in _level_names()}, **_checked_and_derived(merged)}
    return object_update(obj=risk, acting_user=acting_user, data=changes, expected_version=expected_version)


def risk_assess(
    *, risk: Risk, acting_user, treatment: str, residual_gravity: int | None = None,
    residual_probability: int | None = None, residual_detectability: int | None = None,
    treatment_justification: str = "", accepted_by=None, next_review_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Risk:
    """Record the treatment decision and the residual assessment."""
    data = {
        "treatment": treatment, "treatment_justification": treatment_justification, "accepted_by": accepted_by,
        "residual_gravity": residual_gravity, "residual_probability": residual_probability,
        "residual_detectability": residual_detectability,
    }
    if next_review_on is not None:
        data["next_review_on"] = next_review_on
    return risk_update(risk=risk, acting_user=acting_user, data=data, expected_version=expected_version)


def _level_names() -> list[str]:
    return [f"{phase}_{axis}" for phase in PHASES for axis in scoring.AXES]


def _current_values(risk: Risk) -> dict:
    names = [*_level_names(), "kind", "treatment", "treatment_justification", "accepted_by"]
    values = {name: getattr(risk, name) for name in names}
    values["matrix"] = risk.matrix
    return values


def _levels_of(obj) -> dict:
    return {name: getattr(obj, name) for name in _level_names()}


def _rescaled_for(risk: Risk, merged: dict, new_matrix: RiskMatrix) -> dict:
    old_data, new_data = risk.matrix.data, new_matrix.data
    result = dict(merged)
    for name in _level_names():
        phase, axis = name.split("_")
        if merged.get(name) == getattr(risk, name):  # untouched by the user: carry it over
            result[name] = _carried(getattr(risk, name), old_data, new_data, axis, phase, risk)
    return result


def _checked_and_derived(values: dict) -> dict:
    """Treatment rules and level ranges checked; scores and levels derived."""
    errors = treatment_errors(values)
    matrix = values.get("matrix")
    if matrix is None:
        errors["matrix"] = [_("Choose a matrix.")]
        raise ValidationError(errors)
    errors.update(_level_errors(matrix.data, values))
    if errors:
        raise ValidationError(errors)
    return _derived(matrix.data, values)


def treatment_errors(values: dict) -> dict:
    """A treatment fits the kind; accepting needs a justification and an approver."""
    errors: dict[str, list] = {}
    kind, treatment = values.get("kind") or RiskKind.RISK, values.get("treatment") or ""
    if treatment and treatment not in TREATMENTS_BY_KIND[kind]:
        errors["treatment"] = [_("This treatment does not apply to this kind of record.")]
    if treatment == Treatment.ACCEPT:
        if not (values.get("treatment_justification") or "").strip():
            errors["treatment_justification"] = [_("Accepting a risk needs a justification.")]
        if not values.get("accepted_by"):
            errors["accepted_by"] = [_("Accepting a risk needs an approver.")]
    return errors


def _level_errors(matrix_data: dict, values: dict) -> dict:
    errors = {}
    with_detectability = scoring.has_detectability(matrix_data)
    for phase in PHASES:
        given = {axis: values.get(f"{phase}_{axis}") for axis in scoring.AXES}
        required = phase == "inherent" or given["gravity"] is not None or given["probability"] is not None
        for axis, value in given.items():
            name = f"{phase}_{axis}"
            allowed = scoring.scale_values(matrix_data, axis)
            if axis == "detectability" and not with_detectability:
                if value is not None:
                    errors[name] = [_("This matrix has no detectability scale.")]
            elif value is None and required:
                errors[name] = [_("Choose a level of the matrix.")]
            elif value is not None and value not in allowed:
                errors[name] = [_("Choose a level of the matrix ({levels}).").format(levels=", ".join(map(str, allowed)))]
    return errors


def _derived(matrix_data: dict, values: dict) -> dict:
    derived = {}
    for phase in PHASES:
        gravity = values.get(f"{phase}_gravity")
        if gravity is None or values.get(f"{phase}_probability") is None:
            derived.update({f"{phase}_score": None, f"{phase}_level": ""})
            continue
        value = scoring.score(
            matrix_data, gravity, values[f"{phase}_probability"], values.get(f"{phase}_detectability")
        )
        derived.update({f"{phase}_score": value, f"{phase}_level": scoring.level(matrix_data, value).id})
    return derived
