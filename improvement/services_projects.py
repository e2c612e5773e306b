"""Every write on improvement projects: create (with its method's phases), close (with its
measured result), and the actions decided in the project."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from improvement.choices import ActionOriginKind
from improvement.models import Action, ImprovementProject, ProjectPhase
from improvement.models.projects import ProjectStatus
from improvement.project_methods import is_method_text, phases_of, status_edit_refusal
from qse.services import (
    ConflictError,
    ensure_can,
    object_bump,
    object_create,
    object_update,
    recorded,
)


def _from_indicator(data: dict) -> dict:
    """An indicator gives the project its unit and its good direction when they are not given."""
    indicator = data.get("indicator")
    if indicator is None:
        return data
    return {**data, "unit": data.get("unit") or indicator.unit, "direction": indicator.direction}


def _ensure_status_edit(current: str | None, wanted: str) -> None:
    """An edit (page or API) sets no status its guards refuse: "closed" is the close step's."""
    refusal = status_edit_refusal(current, wanted)
    if refusal:
        raise ValidationError({"status": [refusal]})


def project_create(*, acting_user, data: dict) -> ImprovementProject:
    """Create a project (in progress) and its method's phases, each with its deliverables to produce."""
    _ensure_status_edit(None, data.get("status") or ProjectStatus.OPEN)
    with recorded(acting_user):
        project = object_create(model=ImprovementProject, acting_user=acting_user, data=_from_indicator(data))
        ProjectPhase.objects.bulk_create([
            # Name and deliverables left empty: shown from the key in each reader's language.
            ProjectPhase(organization_id=project.organization_id, project=project, position=position, key=phase.key,
                         created_by=acting_user)
            for position, phase in enumerate(phases_of(project.method), start=1)
        ])
    return project


def project_update(*, project: ImprovementProject, acting_user, data: dict, expected_version: int | None):
    """The page's and the API's edit (the indicator's unit and direction follow it); the status
    moves only where the edit's guards allow, read under the row's lock."""
    ensure_can(acting_user, "change", project)
    with transaction.atomic():
        current = ImprovementProject.objects.select_for_update().get(pk=project.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(current)  # the other writer's change is shown first, not a status refusal
        _ensure_status_edit(current.status, data.get("status") or current.status)
        return object_update(obj=project, acting_user=acting_user, data=_from_indicator(data),
                             expected_version=expected_version)


def _phase_texts(*, method: str, key: str, data: dict) -> dict:
    """A name or deliverables posted as the method's own text (in any language) are stored
    empty, so they stay translated; only what was really rewritten is kept as typed."""
    return {**data, **{field: "" for field in ("name", "deliverables")
                       if field in data and is_method_text(method, key, field, data[field])}}


def phase_update(*, phase: ProjectPhase, acting_user, data: dict, expected_version: int | None) -> ProjectPhase:
    """The page's and the API's edit of a phase; a method phase's untouched texts stay translated."""
    data = _phase_texts(method=phase.project.method, key=phase.key, data=data)
    return object_update(obj=phase, acting_user=acting_user, data=data, expected_version=expected_version)


def project_close(*, project: ImprovementProject, acting_user, today: datetime.date,
                  expected_version: int | None = None) -> ImprovementProject:
    """Close the project: its gain must be measured (baseline and result) so the closing
    report can show before / after."""
    with recorded(acting_user):
        current = ImprovementProject.objects.select_for_update().get(pk=project.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(current)
        ensure_can(acting_user, "change", current)
        errors = {}
        if current.status != ProjectStatus.OPEN:
            errors["__all__"] = [_("Only a project in progress is closed.")]
        if current.baseline is None:
            errors["baseline"] = [_("Give the baseline measured before the project.")]
        if current.result is None:
            errors["result"] = [_("Give the result measured after the project.")]
        if errors:
            raise ValidationError(errors)
        return object_bump(obj=current, acting_user=acting_user, expected_version=None,
                           status=ProjectStatus.CLOSED, closed_on=today)


def project_add_action(*, project: ImprovementProject, acting_user, data: dict) -> Action:
    """An action decided in the project (its origin is the project); who keeps the project adds it."""
    from improvement.services import action_create

    ensure_can(acting_user, "change", project)
    data = {"site": project.site, "process": project.process, **data}
    return action_create(acting_user=acting_user, data=data, origin=project, origin_kind=ActionOriginKind.PROJECT)
