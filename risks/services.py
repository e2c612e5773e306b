"""Every write on risk matrices and the register."""

from __future__ import annotations

import copy
import datetime
import uuid

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qse.services import ensure_can, object_create, object_update, recorded
from qse.tenancy import organization_context
from risks import scoring
from risks.choices import TREATMENTS_BY_KIND, RiskKind, Treatment
from risks.library import library_matrix, localized
from risks.models import OccupationalRisk, Risk, RiskMatrix
from risks.services_duerp import occupational_scored

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


# Above this many risks and occupational risks, a matrix change rescores in a Celery task.
RESCORE_SYNC_LIMIT = 200
RESCORE_BATCH = 500


def matrix_update(*, matrix: RiskMatrix, acting_user, data: dict, expected_version: int | None) -> RiskMatrix:
    """Edit a matrix and rescore every risk that uses it (history keeps the old scores).

    A large register is rescored by ``risks.tasks.matrix_rescore_task`` after the commit;
    the returned matrix then has ``rescore_pending = True`` so the page can say so.
    """
    ensure_can(acting_user, "change", matrix)
    # The stored scales, not the instance's: an edit form has already put the new ones on it.
    old_data = RiskMatrix.objects.values(*MATRIX_FIELDS).get(pk=matrix.pk)
    merged = {name: data.get(name, old_data[name]) for name in MATRIX_FIELDS}
    _check_matrix(merged)
    rescore = any(merged[name] != old_data[name] for name in MATRIX_FIELDS)
    if rescore:
        _check_rescore_possible(matrix, merged)
    count = rescore_count(matrix=matrix) if rescore else 0
    deferred = count > RESCORE_SYNC_LIMIT
    token = uuid.uuid4().hex
    with recorded(acting_user), pghistory.context(rescore=token, rescore_deferred=deferred):
        if data.get("is_default") and not matrix.is_default:
            _clear_default(acting_user, exclude=matrix.pk)
        updated = object_update(obj=matrix, acting_user=acting_user, data=data, expected_version=expected_version)
        if rescore and not deferred:
            risks_rescore(matrix=updated, old_data=old_data, acting_user=acting_user, token=token)
        elif deferred:
            _enqueue_rescore(matrix=updated, old_data=old_data, acting_user=acting_user, token=token)
    updated.rescore_pending = deferred
    return updated


def rescore_count(*, matrix: RiskMatrix) -> int:
    """How many records a change of this matrix rescores."""
    return Risk.objects.filter(matrix=matrix).count() + OccupationalRisk.objects.filter(matrix=matrix).count()


def _check_rescore_possible(matrix: RiskMatrix, new_data: dict) -> None:
    if scoring.has_detectability(new_data) and OccupationalRisk.objects.filter(matrix=matrix).exists():
        raise ValidationError({"scales": [_("Occupational risks use this matrix: it cannot take a detectability scale.")]})
    if rescore_pending(matrix=matrix):
        raise ValidationError(_("The risks are still being rescored after the last change of this matrix; "
                                "try again in a few minutes."))


def rescore_pending(*, matrix: RiskMatrix) -> bool:
    """Whether a deferred rescoring of this matrix has records left to do."""
    event = _last_deferred_change(matrix)
    return event is not None and _left_to_rescore(matrix, event).exists()


def _last_deferred_change(matrix: RiskMatrix):
    return (
        RiskMatrix.pgh_event_model.objects.filter(pgh_obj_id=matrix.pk, pgh_context__metadata__rescore_deferred=True)
        .select_related("pgh_context").order_by("-pgh_id").first()
    )


def _left_to_rescore(matrix: RiskMatrix, change, model=Risk):
    """Records of the matrix not yet rescored for ``change`` (a matrix history event):
    those with no history row of that rescoring, last saved before the change (a record
    saved since was scored on the new matrix by its own service)."""
    token = change.pgh_context.metadata["rescore"]
    done = model.pgh_event_model.objects.filter(pgh_context__metadata__rescore=token).values("pgh_obj_id")
    return model.objects.filter(matrix=matrix, updated_at__lte=change.updated_at).exclude(pk__in=done)


def _enqueue_rescore(*, matrix: RiskMatrix, old_data: dict, acting_user, token: str) -> None:
    from risks.tasks import matrix_rescore_task

    kwargs = {"organization_id": matrix.organization_id, "matrix_id": matrix.pk, "old_data": old_data,
              "acting_user_id": acting_user.pk}
    transaction.on_commit(lambda: matrix_rescore_task.delay(**kwargs))


def matrix_rescore_batches(
    *, organization, matrix_id: int, old_data: dict, acting_user, batch: int = RESCORE_BATCH
) -> int:
    """The deferred rescoring of a matrix change: batches of records, each in its own
    transaction, stamped in history with the change's token, so a retried or duplicated
    task skips what is done. Must run outside a transaction; returns how many it rescored."""
    with organization_context(organization):
        matrix = RiskMatrix.objects.in_current_organization().filter(pk=matrix_id).first()
        change = matrix and _last_deferred_change(matrix)
    if change is None:
        return 0
    token, total = change.pgh_context.metadata["rescore"], 0
    for model, rescore in ((Risk, risks_rescore), (OccupationalRisk, occupational_risks_rescore)):
        while True:
            with organization_context(organization):
                left = _left_to_rescore(matrix, change, model).order_by("pk").values_list("pk", flat=True)
                ids = list(left[:batch])
                if not ids:
                    break
                total += rescore(matrix=matrix, old_data=old_data, acting_user=acting_user, token=token, ids=ids)
    return total


def _check_matrix(data: dict) -> None:
    errors = scoring.matrix_errors({name: data.get(name) or {} for name in MATRIX_FIELDS})
    if errors:
        raise ValidationError({"scales": errors})


def _clear_default(acting_user, exclude: int | None = None) -> None:
    # A queryset update: the history triggers still record it.
    RiskMatrix.objects.in_current_organization().filter(is_default=True).exclude(pk=exclude).update(is_default=False)


def risks_rescore(*, matrix: RiskMatrix, old_data: dict, acting_user, token: str = "", ids=None) -> int:
    """Carry the risks of a matrix (or those of ``ids``) onto its new scales and recompute
    scores and levels; then the occupational risks, unless ``ids`` names a batch of risks.

    Bulk updates; the history triggers keep each record's previous scores.
    """
    queryset = Risk.objects.filter(matrix=matrix)
    risks = list((queryset if ids is None else queryset.filter(pk__in=ids)).select_for_update())
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
    with recorded(acting_user, reason=_("Matrix changed: risks rescored")), pghistory.context(rescore=token):
        Risk.objects.bulk_update(risks, fields, batch_size=RESCORE_BATCH)
    if ids is None:
        return len(risks) + occupational_risks_rescore(matrix=matrix, old_data=old_data, acting_user=acting_user,
                                                       token=token)
    return len(risks)


def occupational_risks_rescore(*, matrix: RiskMatrix, old_data: dict, acting_user, token: str = "", ids=None) -> int:
    """The same for the occupational risks (DUERP) of a matrix."""
    queryset = OccupationalRisk.objects.filter(matrix=matrix)
    risks = list((queryset if ids is None else queryset.filter(pk__in=ids)).select_for_update())
    new_data = matrix.data
    for risk in risks:
        for axis in ("gravity", "probability"):
            setattr(risk, axis, scoring.rescale(getattr(risk, axis), scoring.scale_values(old_data, axis),
                                                scoring.scale_values(new_data, axis)))
        for name, value in occupational_scored(new_data, risk.gravity, risk.probability).items():
            setattr(risk, name, value)
        risk.version += 1
    with recorded(acting_user, reason=_("Matrix changed: risks rescored")), pghistory.context(rescore=token):
        OccupationalRisk.objects.bulk_update(
            risks, ["gravity", "probability", "score", "level", "version"], batch_size=RESCORE_BATCH
        )
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


def risks_import(*, risks: list[Risk], acting_user) -> list[Risk]:
    """Write rows a spreadsheet import has validated: checked and scored like ``risk_create``
    (on the rows' already-loaded matrices), then one bulk insert.

    Runs inside the import's ``recorded`` transaction; the history triggers fire per row.
    """
    ensure_can(acting_user, "add", Risk)
    for risk in risks:
        # The import's form checks the same rules; this is the service's own guard.
        values = {**_levels_of(risk), "matrix": risk.matrix, "kind": risk.kind, "treatment": risk.treatment,
                  "treatment_justification": risk.treatment_justification, "accepted_by": risk.accepted_by_id}
        for name, value in _checked_and_derived(values).items():
            setattr(risk, name, value)
    return Risk.objects.bulk_create(risks, batch_size=1000)


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
    errors.update(level_errors(matrix.data, values))
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


def level_errors(matrix_data: dict, values: dict) -> dict:
    """Every level given is one of the matrix's; the inherent ones (and a residual pair) are given."""
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
