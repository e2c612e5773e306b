"""Every write of the referential and the evaluations: texts and their versions (a new version
flags what must be re-evaluated), applicability decisions, evaluations (one current per
requirement and site) and the actions that close a gap."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from compliance import conditions as conditions_module
from compliance.choices import ApplicabilityStatus
from compliance.models import Applicability, Evaluation, Requirement, Text, TextVersion
from compliance.schedule import next_due
from improvement.choices import ActionOriginKind
from improvement.models import Action
from qse.permissions import can
from qse.services import ensure_can, object_bump, object_create, object_update, recorded


def text_create(*, acting_user, data: dict) -> Text:
    """A text and its first version (what it says today, from its summary)."""
    with recorded(acting_user):
        text = object_create(model=Text, acting_user=acting_user, data=data)
        TextVersion.objects.create(
            organization=text.organization, created_by=acting_user, text=text, number=1,
            effective_on=text.effective_on, summary=text.summary,
        )
    return text


def text_add_version(*, text: Text, acting_user, data: dict) -> TextVersion:
    """Record a new version of ``text``; its requirements and their current evaluations are
    flagged for re-evaluation, and the text's summary becomes the new version's."""
    ensure_can(acting_user, "change", text)
    data = {k: v for k, v in data.items() if k != "text"}
    with recorded(acting_user, reason=_("New version of the text")):
        current = Text.objects.select_for_update().get(pk=text.pk)
        number = (current.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = object_create(model=TextVersion, acting_user=acting_user, data=data, text=current, number=number)
        changes = {"effective_on": version.effective_on or current.effective_on}
        if version.summary:
            changes["summary"] = version.summary
        object_bump(obj=current, acting_user=acting_user, expected_version=None, **changes)
        flag_for_reevaluation(text=current)
    return version


def flag_for_reevaluation(*, text: Text) -> int:
    """Raise the re-evaluation flag on the text's requirements and their current evaluations
    (in bulk: the history triggers record every row)."""
    requirements = Requirement.objects.filter(text=text, archived_at__isnull=True)
    count = requirements.update(needs_reevaluation=True)
    Evaluation.objects.filter(requirement__in=requirements, is_current=True).update(needs_reevaluation=True)
    return count


def requirement_save_checks(data: dict) -> None:
    problems = conditions_module.errors(data.get("conditions", []))
    if problems:
        raise ValidationError({"conditions": problems})


def evaluation_record(*, acting_user, data: dict, today: datetime.date | None = None) -> Evaluation:
    """Record an evaluation; it becomes the current one of its requirement and site (the
    previous stays as history). The next due date defaults to the requirement's interval."""
    ensure_can(acting_user, "add", Evaluation)
    requirement, site = data["requirement"], data["site"]
    data = {**data}
    if not data.get("next_due_on"):
        data["next_due_on"] = next_due(data["evaluated_on"], requirement.evaluation_interval_months)
    with recorded(acting_user):
        previous = list(
            Evaluation.objects.select_for_update().filter(requirement=requirement, site=site, is_current=True)
        )
        for old in previous:
            object_bump(obj=old, acting_user=acting_user, expected_version=None, is_current=False)
        evaluation = object_create(model=Evaluation, acting_user=acting_user,
                                   data={**data, "is_current": True, "needs_reevaluation": False})
        _clear_requirement_flag(requirement, acting_user)
    return evaluation


def evaluation_update(*, evaluation: Evaluation, acting_user, data: dict, expected_version: int | None) -> Evaluation:
    """Correct an evaluation (same locking as every edit); the next due date follows."""
    requirement = data.get("requirement", evaluation.requirement)
    if not data.get("next_due_on") and data.get("evaluated_on"):
        data = {**data, "next_due_on": next_due(data["evaluated_on"], requirement.evaluation_interval_months)}
    return object_update(obj=evaluation, acting_user=acting_user, data=data, expected_version=expected_version)


def _clear_requirement_flag(requirement: Requirement, acting_user) -> None:
    """The text's change has been taken into account once no current evaluation still waits."""
    if not requirement.needs_reevaluation:
        return
    waiting = Evaluation.objects.filter(requirement=requirement, is_current=True, needs_reevaluation=True).exists()
    if not waiting:
        object_bump(obj=requirement, acting_user=acting_user, expected_version=None, needs_reevaluation=False)


def evaluation_action_create(*, evaluation: Evaluation, acting_user, data: dict) -> Action:
    """An action to close the gap an evaluation found (its origin is the evaluation; its site
    is the evaluation's)."""
    from improvement.services import action_create

    if not evaluation.is_gap:
        raise ValidationError(_("Only a non-compliant or partially compliant evaluation leads to an action."))
    data = {**data, "site": evaluation.site}
    return action_create(acting_user=acting_user, data=data, origin=evaluation, origin_kind=ActionOriginKind.COMPLIANCE)


def evaluation_action_link(*, evaluation: Evaluation, action: Action, acting_user) -> Action:
    """Link an existing action (one without an origin yet) to the gap an evaluation found."""
    from improvement.origins import origin_fields

    if not can(acting_user, "change", action):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not evaluation.is_gap:
        raise ValidationError(_("Only a non-compliant or partially compliant evaluation leads to an action."))
    if action.origin_type_id is not None:
        raise ValidationError(_("This action already comes from another record."))
    return object_bump(obj=action, acting_user=acting_user, expected_version=None,
                       origin_kind=ActionOriginKind.COMPLIANCE, **origin_fields(evaluation))


def applicabilities_apply(*, site, rows: list[dict], acting_user, today: datetime.date) -> int:
    """Record the applicability decisions chosen on a site's page (``rows``: requirement,
    status, justification); an existing decision for the site (no process) is updated."""
    ensure_can(acting_user, "add", Applicability)
    done = 0
    with recorded(acting_user):
        existing = {a.requirement_id: a for a in Applicability.objects.select_for_update()
                    .filter(site=site, process__isnull=True, requirement__in=[r["requirement"] for r in rows])}
        for row in rows:
            data = {"status": row["status"], "justification": row.get("justification", ""), "decided_on": today}
            if data["status"] != ApplicabilityStatus.APPLICABLE and not data["justification"]:
                raise ValidationError(_("Say why the requirement does not apply."))
            current = existing.get(row["requirement"].pk)
            if current is None:
                object_create(model=Applicability, acting_user=acting_user,
                              data={**data, "requirement": row["requirement"], "site": site})
            elif current.status != data["status"] or current.justification != data["justification"]:
                object_update(obj=current, acting_user=acting_user, data=data, expected_version=None)
            else:
                continue
            done += 1
    return done




def texts_import(*, texts: list[Text], acting_user) -> None:
    """An existing register's texts (inside the import's transaction), each with its first
    version, in two bulk inserts."""
    created = Text.objects.bulk_create(texts, batch_size=1000)
    TextVersion.objects.bulk_create([
        TextVersion(organization=text.organization, created_by=acting_user, text=text, number=1,
                    effective_on=text.effective_on, summary=text.summary)
        for text in created
    ], batch_size=1000)
