"""Every write on action plans and actions."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from improvement import workflow
from improvement.choices import ActionStatus, EffectivenessResult
from improvement.models import Action
from improvement.signals import action_effectiveness_recorded
from qse.services import ensure_can, object_bump, object_create


def action_create(*, acting_user, data: dict, origin=None, origin_kind: str | None = None) -> Action:
    """Create an action, optionally linked to the record it comes from (any app)."""
    extra = {}
    if origin is not None:
        extra = {"origin_type": ContentType.objects.get_for_model(origin), "origin_id": origin.pk}
    if origin_kind:
        data = {**data, "origin_kind": origin_kind}
    return object_create(model=Action, acting_user=acting_user, data=data, **extra)


def action_transition(
    *, action: Action, acting_user, to_status: str, today: datetime.date, expected_version: int | None = None
) -> Action:
    """Change the status under the workflow's guards; history keeps the step."""
    ensure_can(acting_user, "change", action)
    errors = workflow.transition_errors(
        current=action.status, target=to_status, deliverable=action.deliverable,
        effectiveness_result=action.effectiveness_result,
    )
    if errors:
        raise ValidationError(errors)
    changes: dict = {"status": to_status}
    if to_status == ActionStatus.DONE:
        changes.update(progress=100, done_on=today, effectiveness_result="", effectiveness_checked_on=None,
                       effectiveness_checked_by=None)
    elif to_status == ActionStatus.IN_PROGRESS and action.status == ActionStatus.DONE:
        changes.update(done_on=None)
    return object_bump(obj=action, acting_user=acting_user, expected_version=expected_version, **changes)


def action_report_progress(
    *, action: Action, acting_user, progress: int, today: datetime.date, expected_version: int | None = None,
    comment: str = "",
) -> Action:
    """The owner's quick update: progress moves a planned action to in progress; 100 % is done."""
    ensure_can(acting_user, "change", action)
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": "0–100"})
    if progress == 100 and action.status != ActionStatus.DONE:
        return action_transition(
            action=action, acting_user=acting_user, to_status=ActionStatus.DONE, today=today,
            expected_version=expected_version,
        )
    changes: dict = {"progress": progress}
    if action.status == ActionStatus.PLANNED and progress > 0:
        changes["status"] = ActionStatus.IN_PROGRESS
    return object_bump(obj=action, acting_user=acting_user, expected_version=expected_version, reason=comment, **changes)


def action_record_effectiveness(
    *, action: Action, acting_user, result: str, checked_on: datetime.date, comment: str = "",
    expected_version: int | None = None,
) -> Action:
    """Record the effectiveness check; an ineffective action is reopened."""
    ensure_can(acting_user, "change", action)
    errors = workflow.effectiveness_errors(status=action.status)
    if errors:
        raise ValidationError(errors)
    changes = dict(
        effectiveness_result=result, effectiveness_checked_on=checked_on,
        effectiveness_checked_by=acting_user, effectiveness_comment=comment,
    )
    if result == EffectivenessResult.NOT_EFFECTIVE:
        changes.update(status=ActionStatus.IN_PROGRESS, done_on=None)
    # The origin's reaction (an event back to analysis) commits with the check, or neither does.
    with transaction.atomic():
        updated = object_bump(obj=action, acting_user=acting_user, expected_version=expected_version, reason=comment,
                              **changes)
        action_effectiveness_recorded.send(sender=Action, action=updated, acting_user=acting_user, result=result)
    return updated


def action_move_on_board(*, action: Action, acting_user, stage: str, today: datetime.date) -> Action:
    """Moving a PDCA card is a status transition (Act needs the effectiveness check)."""
    current_stage = workflow.pdca_stage(action.status, action.effectiveness_result)
    errors = workflow.stage_move_errors(current_stage=current_stage, target_stage=stage)
    if errors:
        raise ValidationError(errors)
    target = workflow.STATUS_FOR_STAGE[stage]
    if target == action.status:
        return action
    return action_transition(action=action, acting_user=acting_user, to_status=target, today=today)
