"""Every write on events, immediate actions, people and hours worked."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from improvement.choices import ActionOriginKind, ActionStatus, EffectivenessResult
from improvement.models import Action
from improvement.selectors import actions_of
from nonconformities import workflow
from nonconformities.choices import EventStatus, ReportChannel
from nonconformities.models import (
    ActionPurpose,
    CorrectiveActionLink,
    Event,
    HoursWorked,
    ImmediateAction,
    RootCause,
)
from qse.permissions import can
from qse.references import next_reference
from qse.roles import ALL, right_for
from qse.services import (
    ConflictError,
    ensure_can,
    object_bump,
    object_create,
    object_update,
    recorded,
)
from qse.tenancy import current_membership, current_organization

REFERENCE_PREFIX = "EV"


def _local_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _check_fields(values: dict) -> None:
    """The cross-field rules of ``workflow.field_errors`` on a complete set of values."""
    errors = workflow.field_errors(
        event_type=values.get("event_type") or "",
        occurred_on=_local_date(values.get("occurred_at")),
        detected_on=values.get("detected_on"),
        has_victim=bool(values.get("victim")),
        lost_time=bool(values.get("lost_time")),
        days_lost=values.get("days_lost") or 0,
        declared_on=values.get("declared_on"),
    )
    if errors:
        raise ValidationError(errors)


def prepare_new_event(event: Event, *, acting_user, channel: str, today: datetime.date) -> Event:
    """What every new event gets whatever its way in (form, API, public form, import):
    its reference, status, channel, reporter and declaration deadline. The reporter is the
    acting user, whatever the data says (None for the account-less public form): it decides
    who keeps the event until it is taken in charge."""
    event.organization = current_organization()
    event.created_by = acting_user
    event.channel = channel
    event.status = EventStatus.REPORTED if channel == ReportChannel.PUBLIC_FORM else EventStatus.OPEN
    event.detected_by = acting_user
    event.declaration_due_at = workflow.declaration_due_at(event.event_type, event.occurred_at)
    event.reference = next_reference(REFERENCE_PREFIX, today.year)
    return event


def may_name_person_in_charge(user, *, event: Event | None = None, process=None) -> bool:
    """Naming the person in charge takes the event in charge, which ends its reporter's hold on
    it: done by who may change every event (triage), the owner of the event's process, or the
    person in charge handing it over; never by the reporter for themselves."""
    membership = current_membership()
    if membership is not None and right_for(membership.role, Event._meta.label, "change") == ALL:
        return True
    if event is not None and event.owner_id == user.pk:
        return True
    process = event.process if event is not None else process
    return process is not None and process.owner_id == user.pk


def _check_person_in_charge(acting_user, data: dict, *, event: Event | None = None) -> None:
    owner = data.get("owner")
    unchanged = event is not None and getattr(owner, "pk", owner) == event.owner_id
    if acting_user is None or "owner" not in data or unchanged or (owner is None and event is None):
        return
    if not may_name_person_in_charge(acting_user, event=event, process=data.get("process")):
        raise ValidationError({"owner": [_("The person in charge is named at triage, by the QSE coordinator or "
                                           "the process owner.")]})


def event_create(*, acting_user, data: dict, channel: str = ReportChannel.APP,
                 today: datetime.date | None = None) -> Event:
    """Record an event. ``acting_user`` is None for the account-less public form (the
    active organization is the reporting point's); such an event awaits triage."""
    if current_organization() is None:
        raise RuntimeError("event_create needs an active organization")
    if acting_user is not None:
        ensure_can(acting_user, "add", Event)
    today = today or timezone.localdate()
    _check_fields(data)
    _check_person_in_charge(acting_user, data)
    data = {name: value for name, value in data.items() if name != "detected_by"}
    with recorded(acting_user):
        event = Event(**data)
        event.full_clean(exclude=["reference", "organization", "status", "channel"], validate_unique=False)
        prepare_new_event(event, acting_user=acting_user, channel=channel, today=today)
        event.validate_constraints()
        event.save()
    return event


def event_update(*, event: Event, acting_user, data: dict, expected_version: int | None) -> Event:
    """Edit an event's fields; the declaration deadline follows the type and the date. The
    reporter is not edited: it is who recorded the event."""
    data = {name: value for name, value in data.items() if name != "detected_by"}
    _check_person_in_charge(acting_user, data, event=event)
    values = {name: getattr(event, name) for name in (
        "event_type", "occurred_at", "detected_on", "victim", "lost_time", "days_lost", "declared_on")}
    values.update(data)
    _check_fields(values)
    due_at = workflow.declaration_due_at(values["event_type"], values["occurred_at"])
    return object_update(
        obj=event, acting_user=acting_user, data={**data, "declaration_due_at": due_at},
        expected_version=expected_version,
    )


def event_import_save(instances: list[Event], acting_user, *, today: datetime.date | None = None) -> None:
    """Imported rows (an existing NC register) numbered from the same counter as any event."""
    today = today or timezone.localdate()
    for event in instances:
        prepare_new_event(event, acting_user=acting_user, channel=ReportChannel.APP, today=today)
    Event.objects.bulk_create(instances, batch_size=500)


# --- workflow ------------------------------------------------------------------------------


def linked_actions(event: Event):
    """Every action whose origin is the event (system read: the guards see them all)."""
    return actions_of(event, user=None)


def event_facts(event: Event) -> workflow.EventFacts:
    """What the guards look at: the root causes retained and the linked actions (cancelled ones
    do not count). Two queries."""
    actions = linked_actions(event).exclude(status=ActionStatus.CANCELLED).values_list("status", "effectiveness_result")
    return workflow.EventFacts(
        status=event.status,
        severity=event.severity,
        root_cause_count=RootCause.objects.in_current_organization().filter(
            event=event, archived_at__isnull=True).count(),
        actions=[workflow.LinkedAction(status, result) for status, result in actions],
    )


def event_transition(*, event: Event, acting_user, to_status: str, expected_version: int | None = None,
                     reason: str = "", today: datetime.date | None = None, changes: dict | None = None) -> Event:
    """Move the event along its workflow under the guards; the reason goes into the history.
    The guards read the locked row (as ``eightd_advance`` does): two steps never both pass."""
    ensure_can(acting_user, "change", event)
    with recorded(acting_user, reason):
        event = Event.objects.select_for_update().get(pk=event.pk)
        if expected_version is not None and event.version != expected_version:
            raise ConflictError(event)
        errors = workflow.transition_errors(facts=event_facts(event), target=to_status, reason=reason)
        if errors:
            raise ValidationError(errors)
        fields = {"status": to_status, **(changes or {})}
        if to_status == EventStatus.CLOSED:
            fields["closed_on"] = today or timezone.localdate()
        if to_status == EventStatus.REJECTED:
            fields["rejection_reason"] = reason.strip()
        return object_bump(obj=event, acting_user=acting_user, expected_version=None, reason=reason, **fields)


def event_accept(*, event: Event, acting_user, owner=None, process=None, severity: int | None = None,
                 expected_version: int | None = None) -> Event:
    """Triage: a reported event becomes open, with a person in charge and a process."""
    changes = {key: value for key, value in (("owner", owner), ("process", process), ("severity", severity))
               if value is not None}
    return event_transition(event=event, acting_user=acting_user, to_status=EventStatus.OPEN,
                            expected_version=expected_version, changes=changes)


def event_react_to_action_check(*, origin: Event, action: Action, acting_user, result: str) -> Event | None:
    """The event's reaction to the effectiveness check of one of its actions (registered in
    ``NonconformitiesConfig.ready``, run inside the check's transaction): an action checked
    NOT effective sends the event back to root-cause analysis, since the cause retained was
    not the right one, or the action did not remove it."""
    event = origin
    if result != EffectivenessResult.NOT_EFFECTIVE or event.status not in workflow.REOPENABLE:
        return None
    reason = _("Action “{title}” checked not effective: back to root-cause analysis.").format(title=action.title)
    return object_bump(obj=event, acting_user=acting_user, expected_version=None, reason=reason,
                       status=EventStatus.ANALYSIS, closed_on=None)


def event_action_create(*, event: Event, acting_user, data: dict, purpose: str = ActionPurpose.CORRECTIVE,
                        root_cause: RootCause | None = None) -> Action:
    """A corrective or preventive action whose origin is the event, tied (when the user may
    record the link) to its purpose and to the root cause it addresses."""
    from improvement.services import action_create

    ensure_can(acting_user, "view", event)
    if workflow.is_finished(event.status):
        raise ValidationError(_("Actions cannot be added to a closed or rejected event."))
    if root_cause is not None and root_cause.event_id != event.pk:
        raise ValidationError({"root_cause": [_("This root cause belongs to another event.")]})
    data = {"process": event.process, "site": event.site, **data}
    with recorded(acting_user):
        action = action_create(acting_user=acting_user, data=data, origin=event,
                               origin_kind=ActionOriginKind.NONCONFORMITY)
        # The link is part of the event's analysis: its right, and the right to change the event.
        if can(acting_user, "add", CorrectiveActionLink) and can(acting_user, "change", event):
            object_create(model=CorrectiveActionLink, acting_user=acting_user,
                          data={"event": event, "action": action, "root_cause": root_cause, "purpose": purpose})
    return action


def may_add_information(user, event: Event) -> bool:
    """The reporter, who no longer owns the event once it is taken in charge, and whoever may
    change it add information to it until it is closed or rejected."""
    if workflow.is_finished(event.status) or not can(user, "view", event):
        return False
    return event.detected_by_id == user.pk or can(user, "change", event)


def event_add_information(*, event: Event, acting_user, text: str) -> Event:
    """Information added to an event after it was reported (what the reporter learnt since, a
    precision asked for): kept in the event's history with who and when; no field changes."""
    if workflow.is_finished(event.status):
        raise ValidationError(_("This event is closed."))
    if not may_add_information(acting_user, event):
        raise PermissionDenied(_("You are not allowed to do this."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write the information to add.")]})
    return object_bump(obj=event, acting_user=acting_user, expected_version=None,
                       reason=_("Information added: {text}").format(text=text))


# --- immediate actions, hours worked ---------------------------------------------------------


def immediate_action_create(*, event: Event, acting_user, data: dict) -> ImmediateAction:
    """Containment done on the spot, recorded on the event."""
    ensure_can(acting_user, "view", event)
    if workflow.is_finished(event.status):
        raise ValidationError(_("This event is closed."))
    data = {**data}
    if not data.get("done_by") and not data.get("done_by_name"):
        data["done_by"] = acting_user
    return object_create(model=ImmediateAction, acting_user=acting_user, data=data, event=event)


def first_of_month(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def hours_worked_create(*, acting_user, data: dict) -> HoursWorked:
    data = {**data, "month": first_of_month(data["month"])} if data.get("month") else data
    return object_create(model=HoursWorked, acting_user=acting_user, data=data)


def hours_worked_update(*, hours: HoursWorked, acting_user, data: dict, expected_version: int | None) -> HoursWorked:
    data = {**data, "month": first_of_month(data["month"])} if data.get("month") else data
    return object_update(obj=hours, acting_user=acting_user, data=data, expected_version=expected_version)


def event_declare(*, event: Event, acting_user, declared_on: datetime.date,
                  expected_version: int | None = None) -> Event:
    """Record the date the accident was declared."""
    ensure_can(acting_user, "change", event)
    return event_update(event=event, acting_user=acting_user, data={"declared_on": declared_on},
                        expected_version=expected_version)

