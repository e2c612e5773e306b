"""Every write on improvement projects: create (with its method's phases), close (with its
measured result), and the actions decided in the project."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from improvement.choices import ActionOriginKind
from improvement.models import Action, ImprovementProject, ProjectPhase
from improvement.models.projects import ProjectStatus
from improvement.project_methods import phases_of
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


def project_create(*, acting_user, data: dict) -> ImprovementProject:
    """Create a project and its method's phases, each with its deliverables to produce."""
    with recorded(acting_user):
        project = object_create(model=ImprovementProject, acting_user=acting_user, data=_from_indicator(data))
        ProjectPhase.objects.bulk_create([
            ProjectPhase(organization_id=project.organization_id, project=project, position=position, key=phase.key,
                         name=str(phase.name), deliverables="\n".join(str(item) for item in phase.deliverables),
                         created_by=acting_user)
            for position, phase in enumerate(phases_of(project.method), start=1)
        ])
    return project


def project_update(*, project: ImprovementProject, acting_user, data: dict, expected_version: int | None):
    """The page's and the API's edit (the indicator's unit and direction follow it)."""
    return object_update(obj=project, acting_user=acting_user, data=_from_indicator(data),
                         expected_version=expected_version)


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
