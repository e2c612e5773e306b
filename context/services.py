"""Every write of the context analysis that is more than a plain create or edit."""

from __future__ import annotations

import datetime

from django.db.models import Max

from context.models import ClimateDecision, PolicyStatement
from context.scoring import yearly_review_on
from qse.services import ensure_can, object_create, object_update, recorded


def _next_version_number(kind: str) -> int:
    """Called inside the caller's transaction: the kind's versions are locked first, so two
    publications of one kind (from any of its versions) are numbered one after the other."""
    versions = PolicyStatement.objects.in_current_organization().filter(kind=kind)
    list(versions.select_for_update().values_list("pk", flat=True))
    latest = versions.aggregate(n=Max("version_number"))["n"]
    return (latest or 0) + 1


def policy_create(*, acting_user, data: dict) -> PolicyStatement:
    """A new statement of a kind, numbered after the existing versions of that kind."""
    ensure_can(acting_user, "add", PolicyStatement)
    with recorded(acting_user):
        return object_create(
            model=PolicyStatement, acting_user=acting_user, data={**data, "version_number": _next_version_number(data["kind"])},
        )


def policy_publish_new_version(
    *, previous: PolicyStatement, acting_user, data: dict, reason: str = ""
) -> PolicyStatement:
    """Publish a new version of a statement; the previous one stays, unchanged, as history.

    ``data`` holds the new version's fields (text, approval, scope); the kind is the
    previous version's.
    """
    ensure_can(acting_user, "add", PolicyStatement)
    data = {**data, "kind": previous.kind}
    with recorded(acting_user, reason):
        data["version_number"] = _next_version_number(previous.kind)
        return object_create(model=PolicyStatement, acting_user=acting_user, data=data, reason=reason)


def climate_decision_record(*, acting_user, data: dict, today: datetime.date) -> ClimateDecision:
    """Record a decision on climate change; it is due for review one year after it was taken."""
    decided_on = data.get("decided_on") or today
    data = {**data, "decided_on": decided_on, "next_review_on": yearly_review_on(decided_on)}
    data.setdefault("decided_by", acting_user)
    return object_create(model=ClimateDecision, acting_user=acting_user, data=data)


def climate_decision_update(
    *, decision: ClimateDecision, acting_user, data: dict, expected_version: int | None
) -> ClimateDecision:
    """Edit a decision; moving its date moves its next review with it."""
    if "decided_on" in data and data["decided_on"]:
        data = {**data, "next_review_on": yearly_review_on(data["decided_on"])}
    return object_update(obj=decision, acting_user=acting_user, data=data, expected_version=expected_version)
