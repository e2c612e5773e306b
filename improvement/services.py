"""Every write on action plans and actions.

Workflow steps follow ``nonconformities.services_analysis.eightd_advance``: lock the row,
check the version, gather the facts, apply the guards, write; so two clicks (or two people)
never both pass a guard that only one of them should.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from improvement import workflow
from improvement.choices import ActionStatus, EffectivenessResult
from improvement.models import Action
from improvement.origins import origin_fields, react_to_effectiveness
from qse.permissions import can
from qse.services import ConflictError, ensure_can, object_bump, object_create, recorded
from qse.tenancy import current_membership


def action_create(*, acting_user, data: dict, origin=None, origin_kind: str | None = None) -> Action:
    """Create an action, optionally linked to the record it comes from (any app)."""
    extra = origin_fields(origin) if origin is not None else {}
    if origin_kind:
        data = {**data, "origin_kind": origin_kind}
    return object_create(model=Action, acting_user=acting_user, data=data, **extra)


def _locked(action: Action, expected_version: int | None) -> Action:
    """The action's row, locked until the transaction ends; a stale version is a conflict."""
    current = Action.objects.select_for_update().get(pk=action.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current)
    return current


def action_transition(
    *, action: Action, acting_user, to_status: str, today: datetime.date, expected_version: int | None = None
) -> Action:
    """Change the status under the workflow's guards, checked on the locked row; history keeps the step."""
    with recorded(acting_user):
        current = _locked(action, expected_version)
        ensure_can(acting_user, "change", current)
        return _transition_locked(current, acting_user=acting_user, to_status=to_status, today=today)


def _transition_locked(current: Action, *, acting_user, to_status: str, today: datetime.date) -> Action:
    errors = workflow.transition_errors(
        current=current.status, target=to_status, deliverable=current.deliverable,
        effectiveness_result=current.effectiveness_result,
    )
    if errors:
        raise ValidationError(errors)
    changes: dict = {"status": to_status}
    if to_status == ActionStatus.DONE:
        changes.update(progress=100, done_on=today, effectiveness_result="", effectiveness_checked_on=None,
                       effectiveness_checked_by=None)
    elif to_status == ActionStatus.IN_PROGRESS and current.status == ActionStatus.DONE:
        changes.update(done_on=None)
    return object_bump(obj=current, acting_user=acting_user, expected_version=None, **changes)


def action_report_progress(
    *, action: Action, acting_user, progress: int, today: datetime.date, expected_version: int | None = None,
    comment: str = "",
) -> Action:
    """The owner's quick update: progress moves a planned action to in progress; 100 % is done."""
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": "0–100"})
    with recorded(acting_user, comment):
        current = _locked(action, expected_version)
        ensure_can(acting_user, "change", current)
        if progress == 100 and current.status != ActionStatus.DONE:
            return _transition_locked(current, acting_user=acting_user, to_status=ActionStatus.DONE, today=today)
        if current.status not in workflow.OPEN:
            raise ValidationError(_("Progress is reported on a planned or in-progress action."))
        changes: dict = {"progress": progress}
        if current.status == ActionStatus.PLANNED and progress > 0:
            changes["status"] = ActionStatus.IN_PROGRESS
        return object_bump(obj=current, acting_user=acting_user, expected_version=None, reason=comment, **changes)


def effectiveness_refusals(*, user, action: Action) -> list[str]:
    """Why ``user`` may not verify this action's effectiveness (empty: they may). The pages
    ask it to show the form only to who may use it; the service asks it before writing."""
    membership = current_membership()
    if membership is None or membership.user_id != getattr(user, "pk", None) or not can(user, "view", action):
        return [str(_("You are not allowed to do this."))]
    if action.archived_at:
        return [_("An archived action is not verified.")]
    return workflow.effectiveness_verifier_errors(
        policy=membership.organization.effectiveness_verified_by, role=membership.role,
        is_owner=action.owner_id == user.pk, is_named_verifier=action.verifier_id == user.pk,
    )


def action_record_effectiveness(
    *, action: Action, acting_user, result: str, checked_on: datetime.date, comment: str = "",
    expected_version: int | None = None,
) -> Action:
    """Record the effectiveness check, by someone other than the owner (the organization's
    policy says who); an ineffective action is reopened, and the action's origin reacts
    (``improvement.origins``) in the same transaction: both commit, or neither does."""
    with recorded(acting_user, comment):
        current = _locked(action, expected_version)
        refusals = effectiveness_refusals(user=acting_user, action=current)
        if refusals:
            raise PermissionDenied(" ".join(str(message) for message in refusals))
        errors = workflow.effectiveness_errors(status=current.status)
        if errors:
            raise ValidationError(errors)
        changes = dict(
            effectiveness_result=result, effectiveness_checked_on=checked_on,
            effectiveness_checked_by=acting_user, effectiveness_comment=comment,
        )
        if result == EffectivenessResult.NOT_EFFECTIVE:
            changes.update(status=ActionStatus.IN_PROGRESS, done_on=None)
        updated = object_bump(obj=current, acting_user=acting_user, expected_version=None, reason=comment, **changes)
        react_to_effectiveness(action=updated, acting_user=acting_user, result=result)
    return updated


def action_move_on_board(
    *, action: Action, acting_user, stage: str, today: datetime.date, expected_version: int | None = None
) -> Action:
    """Moving a PDCA card is a status transition (Act needs the effectiveness check), decided
    on the locked row."""
    with recorded(acting_user):
        current = _locked(action, expected_version)
        ensure_can(acting_user, "change", current)
        current_stage = workflow.pdca_stage(current.status, current.effectiveness_result)
        errors = workflow.stage_move_errors(current_stage=current_stage, target_stage=stage)
        if errors:
            raise ValidationError(errors)
        target = workflow.STATUS_FOR_STAGE[stage]
        if target == current.status:
            return current
        return _transition_locked(current, acting_user=acting_user, to_status=target, today=today)
