"""Every write on improvement teams, their sessions and the training records.

The counter-measures of a session are actions created through ``action_create`` with the
session as their origin; the invitation is an e-mail carrying an iCalendar request, sent on
commit; a training record's validity is computed here from its topic, never typed in.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from improvement import invitations, training
from improvement.choices import ActionOriginKind
from improvement.models import (
    Action,
    AttendanceStatus,
    SessionAttendance,
    TrainingRecord,
    TrainingTopic,
    WorkSession,
)
from improvement.services import action_create
from qse.labels import person_label
from qse.services import ensure_can, object_bump, object_create, object_update, recorded
from qse.tenancy import current_organization

# --- sessions ------------------------------------------------------------------------------

def session_create(*, acting_user, data: dict) -> WorkSession:
    """Plan a session of a team; its active members are invited (attendance "invited")."""
    session = WorkSession(organization=current_organization(), **{k: v for k, v in data.items() if k == "team"})
    ensure_can(acting_user, "add", session)  # the team's leader or process owner, or a coordinator
    with recorded(acting_user):
        session = object_create(model=WorkSession, acting_user=acting_user, data=data)
        member_ids = session.team.members.filter(archived_at__isnull=True).values_list("user_id", flat=True)
        SessionAttendance.objects.bulk_create([
            SessionAttendance(organization_id=session.organization_id, session=session, person_id=user_id,
                              created_by=acting_user)
            for user_id in sorted(set(member_ids))
        ])
    return session


def session_record_attendance(*, session: WorkSession, acting_user, statuses: dict[int, str],
                              expected_version: int | None = None) -> WorkSession:
    """Record who was present, excused or absent (person id -> status); a person not yet
    invited is added. The session's version moves, so two people recording at once conflict."""
    invalid = [status for status in statuses.values() if status not in AttendanceStatus.values]
    if invalid:
        raise ValidationError({"status": _("Unknown attendance: {value}.").format(value=invalid[0])})
    ensure_can(acting_user, "change", session)
    _ensure_members(list(statuses))
    with recorded(acting_user):
        current = object_bump(obj=session, acting_user=acting_user, expected_version=expected_version)
        existing = {row.person_id: row for row in SessionAttendance.objects.select_for_update().filter(session=current)}
        changed = []
        for person_id, status in statuses.items():
            row = existing.get(person_id)
            if row is None:
                SessionAttendance.objects.create(organization_id=current.organization_id, session=current,
                                                 person_id=person_id, status=status, created_by=acting_user)
            elif row.status != status:
                row.status, row.version, row.updated_at = status, row.version + 1, timezone.now()
                changed.append(row)
        if changed:
            SessionAttendance.objects.bulk_update(changed, ["status", "version", "updated_at"])
    return current


def _ensure_members(person_ids: list[int]) -> None:
    """Only members of the organization are invited (an id from elsewhere is refused, not a 500)."""
    from qse.forms import members_queryset

    found = set(members_queryset().filter(pk__in=person_ids).values_list("pk", flat=True))
    missing = sorted(set(person_ids) - found)
    if missing:
        raise ValidationError(_("Not a member of the organization: {ids}.").format(ids=missing))


def session_add_countermeasure(*, session: WorkSession, acting_user, data: dict) -> Action:
    """A counter-measure decided at the session: an action whose origin is the session, on the
    team's process and site (who may run the session and add actions may decide one)."""
    ensure_can(acting_user, "change", session)
    team = session.team
    fields = {"process": team.process, "site": team.site, **data}
    return action_create(acting_user=acting_user, data=fields, origin=session,
                         origin_kind=ActionOriginKind.TEAM_SESSION)


def topic_add_action(*, topic: TrainingTopic, acting_user, data: dict) -> Action:
    """An action to close a training gap or organise a renewal (a session to book, a trainer to
    find), whose origin is the topic."""
    return action_create(acting_user=acting_user, data=data, origin=topic, origin_kind=ActionOriginKind.TRAINING)


def session_send_invitation(*, session: WorkSession, acting_user, now: datetime.datetime | None = None) -> int:
    """E-mail the invited people an iCalendar request (sent on commit); returns how many were
    written to. Sending again updates their calendars (same UID, higher SEQUENCE)."""
    ensure_can(acting_user, "change", session)
    people = [row.person for row in SessionAttendance.objects.filter(session=session).select_related("person")
              if row.person.email]
    if not people:
        raise ValidationError(_("Nobody invited to this session has an e-mail address."))
    with recorded(acting_user):
        current = object_bump(obj=session, acting_user=acting_user, expected_version=None,
                              invitation_sent_at=now or timezone.now())
        message = invitations.invitation_email(session=current, organizer=acting_user, people=people)
        transaction.on_commit(message.send)
    return len(people)


def session_record_training(*, session: WorkSession, acting_user) -> int:
    """An awareness session given: a training record for each person present (once: a second
    call adds only the people marked present since). Returns how many were added."""
    if session.topic_id is None:
        raise ValidationError(_("Only an awareness session, given on a training topic, records training."))
    ensure_can(acting_user, "add", TrainingRecord)
    present = SessionAttendance.objects.filter(session=session, status=AttendanceStatus.PRESENT).values_list(
        "person_id", flat=True)
    done = set(TrainingRecord.objects.filter(session=session).values_list("person_id", flat=True))
    trained_on = timezone.localtime(session.starts_at).date()
    until = training.valid_until(trained_on, session.topic.validity_months)
    rows = [
        TrainingRecord(organization_id=session.organization_id, person_id=person_id, topic_id=session.topic_id,
                       trained_on=trained_on, trainer=person_label(session.team.leader), valid_until=until,
                       session=session, created_by=acting_user)
        for person_id in present if person_id not in done
    ]
    with recorded(acting_user):
        TrainingRecord.objects.bulk_create(rows)
    return len(rows)


# --- training records ----------------------------------------------------------------------

def _with_validity(data: dict, topic: TrainingTopic | None, trained_on: datetime.date | None) -> dict:
    if topic is None or trained_on is None:
        return data
    return {**data, "valid_until": training.valid_until(trained_on, topic.validity_months)}


def training_record_create(*, acting_user, data: dict) -> TrainingRecord:
    """Record a training; it stays valid for the topic's validity from the training date."""
    return object_create(model=TrainingRecord, acting_user=acting_user,
                         data=_with_validity(data, data.get("topic"), data.get("trained_on")))


def training_record_update(*, record: TrainingRecord, acting_user, data: dict,
                           expected_version: int | None) -> TrainingRecord:
    """Correct a record; its validity follows a new date or topic."""
    topic = data.get("topic", record.topic)
    trained_on = data.get("trained_on", record.trained_on)
    return object_update(obj=record, acting_user=acting_user, data=_with_validity(data, topic, trained_on),
                         expected_version=expected_version)


def training_records_import(*, instances: list[TrainingRecord], acting_user) -> None:
    """Imported rows (validated all together by the generic import) get their validity, then
    one INSERT per 1,000 rows; topics are read in one query."""
    topics = TrainingTopic.objects.in_bulk({row.topic_id for row in instances})
    for row in instances:
        row.valid_until = training.valid_until(row.trained_on, topics[row.topic_id].validity_months)
    TrainingRecord.objects.bulk_create(instances, batch_size=1000)


def topic_update(*, topic: TrainingTopic, acting_user, data: dict, expected_version: int | None) -> TrainingTopic:
    """Change a topic; a new validity is applied to every record of it, in the same transaction."""
    with recorded(acting_user):
        current = object_update(obj=topic, acting_user=acting_user, data=data, expected_version=expected_version)
        if current.validity_months != topic.validity_months:
            records = list(TrainingRecord.objects.filter(topic=current).only("pk", "trained_on", "valid_until"))
            for row in records:
                row.valid_until = training.valid_until(row.trained_on, current.validity_months)
            TrainingRecord.objects.bulk_update(records, ["valid_until"], batch_size=1000)
    return current
