"""Every write on management reviews: its steps (collect the inputs, held, closed), the
coordinator's comment on an input, and the decisions that become actions.

Steps follow ``improvement.services.action_transition``: lock the row, check the version,
gather the facts, apply the guards (``improvement.review_workflow``), write.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from improvement import review_workflow as flow
from improvement.choices import ActionOriginKind
from improvement.models import ManagementReview, ReviewDecision, ReviewInput
from improvement.services import action_create
from qse import review as registry
from qse.services import (
    ConflictError,
    ensure_can,
    object_bump,
    object_create,
    object_update,
    recorded,
)


def _locked(review: ManagementReview, expected_version: int | None) -> ManagementReview:
    current = ManagementReview.objects.select_for_update().get(pk=review.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current)
    return current


def _facts(review: ManagementReview) -> flow.ReviewFacts:
    return flow.ReviewFacts(
        status=review.status, kind=review.kind, standards=tuple(review.standards), held_on=review.held_on,
        attendees=review.attendees, minutes=review.minutes,
        decision_count=review.decisions.filter(archived_at__isnull=True).count(),
    )


def _guard(review: ManagementReview, target: str) -> None:
    errors = flow.transition_errors(_facts(review), target)
    if errors:
        raise ValidationError(errors)


def review_scope(review: ManagementReview, user=None) -> registry.ReviewScope:
    """What the sections' selectors are asked about."""
    return registry.ReviewScope(
        organization_id=review.organization_id, start=review.period_start, end=review.period_end,
        site_ids=tuple(review.sites.values_list("pk", flat=True)), standards=tuple(review.standards),
        process_id=review.process_id if review.kind == "process" else None, user=user,
    )


def review_input_plan(review: ManagementReview) -> list[flow.PlannedInput]:
    """The review's inputs, in clause order, from the mapping and the registered sections."""
    offered = {section.key: section.process_review for section in registry.sections()}
    return flow.input_plan(registry.clauses(tuple(review.standards)), process_review=review.kind == "process",
                           offered=offered)


def _payload(key: str, scope: registry.ReviewScope) -> dict | None:
    """The section's figures in every language of the UI (the pack may be read in either);
    None when no installed module provides the section."""
    section = registry.section(key)
    if section is None:
        return None
    payload = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            payload[language] = section.selector(scope)
    return payload


def review_collect_inputs(
    *, review: ManagementReview, acting_user, now: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> ManagementReview:
    """Freeze every section's figures for the review's period and scope (again, while the
    review is not held: the figures are refreshed, the comments kept)."""
    with recorded(acting_user):
        current = _locked(review, expected_version)
        ensure_can(acting_user, "change", current)
        _guard(current, flow.COLLECTED)
        scope = review_scope(current, acting_user)
        plan = review_input_plan(current)
        existing = {item.section_key: item for item in current.inputs.all()}
        for planned in plan:
            item = existing.pop(planned.section_key, None) or ReviewInput(
                review=current, organization_id=current.organization_id, section_key=planned.section_key,
                created_by=acting_user,
            )
            item.clause_refs, item.position = list(planned.clause_refs), planned.position
            item.payload = _payload(planned.section_key, scope)
            item.save()
        for stale in existing.values():  # the standards changed: the input no longer applies
            stale.delete()
        return object_bump(obj=current, acting_user=acting_user, expected_version=None, status=flow.COLLECTED,
                           collected_at=now or timezone.now())


def review_advance(
    *, review: ManagementReview, acting_user, to_status: str, expected_version: int | None = None,
) -> ManagementReview:
    """Mark the review held (with its date and attendees) or closed (with its minutes and at
    least one conclusion or decision)."""
    if to_status == flow.COLLECTED:
        return review_collect_inputs(review=review, acting_user=acting_user, expected_version=expected_version)
    with recorded(acting_user):
        current = _locked(review, expected_version)
        ensure_can(acting_user, "change", current)
        _guard(current, to_status)
        return object_bump(obj=current, acting_user=acting_user, expected_version=None, status=to_status)


def review_update(*, review: ManagementReview, acting_user, data: dict, expected_version: int | None):
    """The form's edit; a closed review is a record, no longer edited, and the scope of a held
    review is what was discussed."""
    if review.status == flow.CLOSED:
        raise ValidationError(_("A closed review is no longer edited."))
    if review.status == flow.HELD:
        frozen = {"period_start", "period_end", "standards", "sites", "kind", "process"}
        data = {name: value for name, value in data.items() if name not in frozen}
    return object_update(obj=review, acting_user=acting_user, data=data, expected_version=expected_version)


def review_input_comment(
    *, review_input: ReviewInput, acting_user, comment: str, expected_version: int | None = None,
) -> ReviewInput:
    """The coordinator's comment on one input (while the review is collected or held)."""
    ensure_can(acting_user, "change", review_input)
    if review_input.review.status not in flow.COMMENTABLE:
        raise ValidationError(_("Inputs are commented once collected and until the review is closed."))
    return object_bump(obj=review_input, acting_user=acting_user, expected_version=expected_version,
                       comment=comment.strip())


def _decision_action(decision: ReviewDecision, acting_user):
    review = decision.review
    data = {
        "title": decision.text.splitlines()[0][:200], "description": decision.text, "owner": decision.owner,
        "due_on": decision.due_on, "process": review.process,
    }
    return action_create(acting_user=acting_user, data=data, origin=decision, origin_kind=ActionOriginKind.REVIEW)


def review_decision_create(*, review: ManagementReview, acting_user, data: dict) -> ReviewDecision:
    """Record a conclusion or a decision; with an owner and a due date it becomes an action
    (origin: this decision), in the same transaction."""
    if review.status not in flow.DECIDABLE:
        raise ValidationError(_("Decisions are recorded once the inputs are collected and until the review is closed."))
    with recorded(acting_user):
        decision = object_create(model=ReviewDecision, acting_user=acting_user, data={**data, "review": review})
        if decision.owner_id and decision.due_on:
            decision.action = _decision_action(decision, acting_user)
            decision.save(update_fields=["action"])
    return decision


def review_decision_update(*, decision: ReviewDecision, acting_user, data: dict, expected_version: int | None):
    """Edit a decision; one that gains an owner and a due date becomes an action then (an
    existing action is its own record from then on: it is changed on its page)."""
    if decision.review.status == flow.CLOSED:
        raise ValidationError(_("A closed review is no longer edited."))
    with recorded(acting_user):
        updated = object_update(obj=decision, acting_user=acting_user, data=data, expected_version=expected_version)
        if updated.action_id is None and updated.owner_id and updated.due_on:
            updated.action = _decision_action(updated, acting_user)
            updated.save(update_fields=["action"])
    return updated
