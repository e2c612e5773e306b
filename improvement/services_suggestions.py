"""Every write on suggestions: submit (in the app or from a QR code), support, assess, turn into
an action or a project, mark implemented. Each step locks the row, checks the version and the
transition table (``workflow_suggestions``), writes, and tells the author on commit."""

from __future__ import annotations

import copy
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from improvement import workflow_suggestions as flow
from improvement.choices import ActionOriginKind, EffectivenessResult
from improvement.models import Action, ImprovementProject, Suggestion, SuggestionSupport
from improvement.models.suggestions import SuggestionChannel, SuggestionDecision, SuggestionStatus
from qse.models import Notification
from qse.notifications import notify
from qse.permissions import can
from qse.reminders_planning import coordinator_ids
from qse.services import ConflictError, ensure_can, object_bump, object_create, recorded

S = SuggestionStatus


def may_assess(user, suggestion: Suggestion) -> bool:
    """Assessing is changing a suggestion once it is no longer its author's to edit: asked of
    the role table on the row as it will be under review (only coordinators and admins)."""
    reviewed = copy.copy(suggestion)
    reviewed.status = S.UNDER_REVIEW
    return can(user, "view", suggestion) and can(user, "change", reviewed)


def _ensure_assessor(user, suggestion: Suggestion) -> None:
    if not may_assess(user, suggestion):
        raise PermissionDenied(_("Only the QSE coordinator assesses suggestions."))


def _locked(suggestion: Suggestion, expected_version: int | None) -> Suggestion:
    current = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current)
    return current


def _tell_coordinators(suggestion: Suggestion) -> None:
    title = _("New suggestion: {title}").format(title=suggestion.title)
    Notification.objects.bulk_create([
        Notification(organization_id=suggestion.organization_id, recipient_id=user_id, title=title[:255],
                     body=suggestion.description[:500], url=suggestion.get_absolute_url())
        for user_id in coordinator_ids()
    ])


def suggestion_submit(*, acting_user, data: dict) -> Suggestion:
    """Anyone proposes an improvement; the coordinators find it in their notifications."""
    with recorded(acting_user):
        suggestion = object_create(model=Suggestion, acting_user=acting_user, data=data, author=acting_user,
                                   channel=SuggestionChannel.APP, status=S.SUBMITTED)
        _tell_coordinators(suggestion)
    return suggestion


def suggestion_submit_public(*, site, title: str, description: str, name: str = "", contact: str = "") -> Suggestion:
    """An idea sent from a QR code form, without an account (the caller has activated the
    point's organization): written with no user, the coordinators notified."""
    from qse.tenancy import current_organization

    with recorded(None):
        suggestion = Suggestion(
            organization=current_organization(), site=site, title=title, description=description,
            author_name=name[:150], author_contact=contact[:150], channel=SuggestionChannel.PUBLIC_FORM,
        )
        suggestion.full_clean(exclude=["organization"])
        suggestion.save()
        _tell_coordinators(suggestion)
    return suggestion


def suggestion_support(*, suggestion: Suggestion, acting_user) -> SuggestionSupport:
    """A colleague supports an idea: once per person, not one's own, only while it is open.
    The suggestion's row is locked so two clicks make one support."""
    ensure_can(acting_user, "add", SuggestionSupport)
    with recorded(acting_user):
        current = _locked(suggestion, None)
        if not can(acting_user, "view", current):
            raise PermissionDenied(_("You are not allowed to do this."))
        if current.author_id == acting_user.pk:
            raise ValidationError(_("You cannot support your own suggestion."))
        if current.status not in flow.SUPPORTABLE or current.archived_at:
            raise ValidationError(_("This suggestion is no longer open to support."))
        if SuggestionSupport.objects.filter(suggestion=current, supporter=acting_user, archived_at__isnull=True).exists():
            raise ValidationError(_("You already support this suggestion."))
        return SuggestionSupport.objects.create(organization_id=current.organization_id, suggestion=current,
                                                supporter=acting_user, created_by=acting_user)


def suggestion_start_review(*, suggestion: Suggestion, acting_user, expected_version: int | None = None) -> Suggestion:
    """The coordinator takes the idea up: from now on its author no longer edits it."""
    with recorded(acting_user):
        current = _locked(suggestion, expected_version)
        _ensure_assessor(acting_user, current)
        errors = flow.transition_errors(current=current.status, target=S.UNDER_REVIEW)
        if errors:
            raise ValidationError(errors)
        updated = object_bump(obj=current, acting_user=acting_user, expected_version=None, status=S.UNDER_REVIEW,
                              reviewed_by=acting_user)
        _tell_author(updated, gettext_lazy("Your suggestion is being reviewed: {title}"))
    return updated


def suggestion_assess(
    *, suggestion: Suggestion, acting_user, decision: str, today: datetime.date, impact: int | None = None,
    effort: int | None = None, reason: str = "", duplicate_of: Suggestion | None = None,
    expected_version: int | None = None,
) -> Suggestion:
    """Score (impact, effort 1-5) and decide: accepted, rejected with its reason, or a duplicate
    of another suggestion of the organization. The author is told the decision."""
    with recorded(acting_user, reason):
        current = _locked(suggestion, expected_version)
        _ensure_assessor(acting_user, current)
        if duplicate_of is not None and (duplicate_of.pk == current.pk or not can(acting_user, "view", duplicate_of)):
            raise ValidationError({"duplicate_of": [_("Name another suggestion of your organization.")]})
        errors = flow.decision_errors(current=current.status, decision=decision, impact=impact, effort=effort,
                                      reason=reason, duplicate_of_id=duplicate_of.pk if duplicate_of else None)
        if errors:
            raise ValidationError(errors)
        updated = object_bump(
            obj=current, acting_user=acting_user, expected_version=None, reason=reason,
            status=flow.STATUS_FOR_DECISION[decision], decision=decision, impact=impact, effort=effort,
            decision_reason=reason.strip(), reviewed_by=acting_user, decided_on=today,
            duplicate_of=duplicate_of if decision == SuggestionDecision.DUPLICATE else None,
        )
        _tell_author(updated, _DECISION_TITLES[decision], reason.strip())
    return updated


_DECISION_TITLES = {
    SuggestionDecision.ACCEPTED: gettext_lazy("Your suggestion is accepted: {title}"),
    SuggestionDecision.REJECTED: gettext_lazy("Your suggestion is not retained: {title}"),
    SuggestionDecision.DUPLICATE: gettext_lazy("Your suggestion was already proposed: {title}"),
}


def suggestion_to_action(*, suggestion: Suggestion, acting_user, data: dict) -> Action:
    """Turn an accepted idea into an action (the one Action model, its origin the suggestion)."""
    from improvement.services import action_create

    with recorded(acting_user):
        current = _locked(suggestion, None)
        _ensure_convertible(acting_user, current)
        data = {"site": current.site, "process": current.process, "description": current.description, **data}
        action = action_create(acting_user=acting_user, data=data, origin=current,
                               origin_kind=ActionOriginKind.SUGGESTION)
        _tell_author(current, gettext_lazy("Your suggestion became an action: {title}"), action.title)
    return action


def suggestion_to_project(*, suggestion: Suggestion, acting_user, data: dict) -> ImprovementProject:
    """Turn an accepted idea into an improvement project, which the suggestion then points to."""
    from improvement.services_projects import project_create

    with recorded(acting_user):
        current = _locked(suggestion, None)
        _ensure_convertible(acting_user, current)
        if current.project_id:
            raise ValidationError(_("This suggestion already has its project."))
        data = {"site": current.site, "process": current.process, "team": current.team,
                "objective": current.expected_benefit or current.description, **data}
        project = project_create(acting_user=acting_user, data=data)
        object_bump(obj=current, acting_user=acting_user, expected_version=None, project=project)
        _tell_author(current, gettext_lazy("Your suggestion became an improvement project: {title}"), project.title)
    return project


def _ensure_convertible(acting_user, current: Suggestion) -> None:
    _ensure_assessor(acting_user, current)
    if current.status not in flow.CONVERTIBLE:
        raise ValidationError(_("Accept the suggestion first."))


def suggestion_mark_implemented(*, suggestion: Suggestion, acting_user, today: datetime.date,
                                expected_version: int | None = None) -> Suggestion:
    """The accepted idea is in place; the author is told."""
    with recorded(acting_user):
        current = _locked(suggestion, expected_version)
        _ensure_assessor(acting_user, current)
        return _implemented(current, acting_user, today)


def _implemented(current: Suggestion, acting_user, today: datetime.date) -> Suggestion:
    errors = flow.transition_errors(current=current.status, target=S.IMPLEMENTED)
    if errors:
        raise ValidationError(errors)
    updated = object_bump(obj=current, acting_user=acting_user, expected_version=None, status=S.IMPLEMENTED,
                          implemented_on=today)
    _tell_author(updated, gettext_lazy("Your suggestion is implemented: {title}"))
    return updated


def react_to_action_check(*, origin: Suggestion, action: Action, acting_user, result: str) -> None:
    """An action made of an accepted idea found effective puts the idea in place
    (``improvement.origins`` calls this inside the check's transaction)."""
    if result == EffectivenessResult.EFFECTIVE and origin.status == S.ACCEPTED:
        _implemented(Suggestion.objects.select_for_update().get(pk=origin.pk), acting_user,
                     action.effectiveness_checked_on or action.done_on)


def _tell_author(suggestion: Suggestion, title, body: str = "") -> None:
    """A notification and an e-mail to the author (an account-less author has none), in the
    organization's language, sent once the step commits."""
    from django.conf import settings
    from django.utils import translation

    author = suggestion.author
    if author is None:
        return
    language = suggestion.organization.default_language or settings.LANGUAGE_CODE
    with translation.override(language):
        message = str(title).format(title=suggestion.title)
        body = body or _("Status: {status}").format(status=suggestion.get_status_display())
    notify(recipient=author, title=message, body=body, url=suggestion.get_absolute_url())
