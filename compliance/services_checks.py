"""Every write on periodic checks: reports move the check's due date; an observation becomes
an action (the one Action model) and is lifted when that action is checked effective."""

from __future__ import annotations

from django.db.models import Max

from compliance.models import CheckObservation, CheckReport, PeriodicCheck
from compliance.scheduling import next_due_on
from improvement.choices import ActionOriginKind, EffectivenessResult
from qse.services import (
    ensure_can,
    object_archive,
    object_bump,
    object_create,
    object_update,
    recorded,
)


def _refresh_check_dates(periodic_check: PeriodicCheck, *, acting_user) -> PeriodicCheck:
    """Recompute the last and next dates of a check from its done reports (inside the caller's
    transaction, on the locked row): the latest done report decides, whatever the order of entry."""
    current = PeriodicCheck.objects.select_for_update().select_related("check_type").get(pk=periodic_check.pk)
    last = current.reports.filter(archived_at__isnull=True, done_on__isnull=False).aggregate(last=Max("done_on"))["last"]
    changes: dict = {"last_done_on": last}
    if last is not None:
        changes["next_due_on"] = next_due_on(done_on=last, frequency_months=current.effective_frequency_months)
    if all(getattr(current, name) == value for name, value in changes.items()):
        return current
    return object_bump(obj=current, acting_user=acting_user, expected_version=None, **changes)


def periodic_check_update(*, periodic_check: PeriodicCheck, acting_user, data: dict, expected_version: int | None):
    """Edit a check; a new frequency moves the next due date when a report already set it."""
    with recorded(acting_user):
        updated = object_update(obj=periodic_check, acting_user=acting_user, data=data, expected_version=expected_version)
        return _refresh_check_dates(updated, acting_user=acting_user)


def check_report_create(*, acting_user, data: dict) -> CheckReport:
    """Record a planned or done check; a done one moves its equipment's next due date."""
    data = {**data, "body": data.get("body") or data["periodic_check"].body}
    with recorded(acting_user):
        report = object_create(model=CheckReport, acting_user=acting_user, data=data)
        _refresh_check_dates(report.periodic_check, acting_user=acting_user)
    return report


def check_report_update(*, report: CheckReport, acting_user, data: dict, expected_version: int | None) -> CheckReport:
    """Edit a report (its date or conclusion): the check's dates follow."""
    with recorded(acting_user):
        previous_check = report.periodic_check
        updated = object_update(obj=report, acting_user=acting_user, data=data, expected_version=expected_version)
        _refresh_check_dates(updated.periodic_check, acting_user=acting_user)
        if updated.periodic_check_id != previous_check.pk:
            _refresh_check_dates(previous_check, acting_user=acting_user)
    return updated


def check_report_archive(*, report: CheckReport, acting_user, reason: str = "") -> CheckReport:
    """A report entered by mistake is archived and no longer counts for the due date."""
    with recorded(acting_user, reason):
        archived = object_archive(obj=report, acting_user=acting_user, reason=reason)
        _refresh_check_dates(archived.periodic_check, acting_user=acting_user)
    return archived


def observation_action_create(*, observation: CheckObservation, acting_user, data: dict):
    """Plan the action that lifts an observation: an improvement action whose origin is the
    observation, on the check's site and process (title, deliverable, owner, due date given)."""
    from improvement.services import action_create

    ensure_can(acting_user, "view", observation)
    periodic_check = observation.report.periodic_check
    data = {**data, "site": periodic_check.site, "process": periodic_check.process}
    return action_create(acting_user=acting_user, data=data, origin=observation, origin_kind=ActionOriginKind.COMPLIANCE)


def observation_react_to_effectiveness(*, origin: CheckObservation, action, acting_user, result: str) -> None:
    """An effective action lifts the observation (on the day of the check); a check found not
    effective reopens it. Registered in improvement.origins (inside the check's transaction)."""
    lifted_on = action.effectiveness_checked_on if result == EffectivenessResult.EFFECTIVE else None
    if origin.lifted_on != lifted_on:
        object_bump(obj=origin, acting_user=acting_user, expected_version=None, lifted_on=lifted_on)


def check_types_load(*, acting_user, entries: list[dict], language: str) -> int:
    """Add the library's check types the organization does not have yet (by library code);
    returns how many were added. Existing ones, maybe adapted by the organization, are kept."""
    from compliance.models import CheckType
    from qse.tenancy import current_organization

    ensure_can(acting_user, "add", CheckType)
    with recorded(acting_user):
        known = set(CheckType.objects.in_current_organization().values_list("code", flat=True))
        created = [
            CheckType(
                organization=current_organization(), created_by=acting_user, code=entry["code"],
                category=entry["category"], frequency_months=entry["frequency_months"],
                **{name: _translated(entry[name], language) for name in ("name", "legal_basis", "performer", "description")},
            )
            for entry in entries if entry["code"] not in known
        ]
        CheckType.objects.bulk_create(created)
    return len(created)


def _translated(value, language: str) -> str:
    if isinstance(value, dict):
        return value.get(language) or value.get("fr") or next(iter(value.values()))
    return value or ""
