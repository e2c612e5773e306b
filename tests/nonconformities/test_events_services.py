"""Event services: creation (reference, deadline, checks), transitions under the guards, reopening."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from improvement.choices import ActionStatus, EffectivenessResult
from improvement.factories import ActionFactory
from improvement.services import action_record_effectiveness
from nonconformities import services
from nonconformities.choices import EventStatus, EventType, ReportChannel, Severity
from nonconformities.factories import PersonFactory, RootCauseFactory
from nonconformities.models import Event
from qse.roles import Role
from qse.tenancy import activate, scope_restored
from qse.testing import TODAY

OCCURRED = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 30))


def data(**extra) -> dict:
    return {
        "event_type": EventType.INTERNAL_NC, "title": "Cote hors tolérance", "description": "Ø32 H7 à 32,04",
        "occurred_at": OCCURRED, "detected_on": datetime.date(2026, 11, 20), **extra,
    }


def test_creating_an_event_numbers_it_and_names_the_reporter(world, as_member):
    user = as_member(Role.CONTRIBUTOR)
    first = services.event_create(acting_user=user, data=data(), today=TODAY)
    second = services.event_create(acting_user=user, data=data(), today=TODAY)
    assert (first.reference, second.reference) == ("EV-2026-0001", "EV-2026-0002")
    assert first.detected_by == user and first.status == EventStatus.OPEN and first.channel == ReportChannel.APP
    assert first.declaration_due_at is None
    assert first.events.count() == 1  # history


def test_a_work_accident_is_due_for_declaration_48_hours_after_it_occurred(world, as_member):
    user = as_member(Role.COORDINATOR)
    victim = PersonFactory(organization=world.a.organization)
    event = services.event_create(acting_user=user, data=data(
        event_type=EventType.WORK_ACCIDENT, victim=victim, lost_time=True, days_lost=4), today=TODAY)
    assert event.declaration_due_at == OCCURRED + datetime.timedelta(hours=48)
    disease = services.event_create(acting_user=user, data=data(event_type=EventType.OCCUPATIONAL_DISEASE), today=TODAY)
    assert disease.declaration_due_at is None


@pytest.mark.parametrize("extra, field", [
    ({"detected_on": datetime.date(2026, 11, 19)}, "detected_on"),
    ({"lost_time": True}, "lost_time"),
    ({"days_lost": 3}, "days_lost"),
    ({"event_type": EventType.WORK_ACCIDENT, "days_lost": 3}, "days_lost"),
    ({"declared_on": datetime.date(2026, 11, 21)}, "declared_on"),
])
def test_inconsistent_events_are_refused_with_a_message_on_the_field(world, as_member, extra, field):
    user = as_member(Role.COORDINATOR)
    with pytest.raises(ValidationError) as error:
        services.event_create(acting_user=user, data=data(**extra), today=TODAY)
    assert field in error.value.message_dict
    assert not Event.objects.filter(title="Cote hors tolérance").exists()


def test_the_public_form_creates_an_event_awaiting_triage_without_a_user(world):
    from qse.tenancy import organization_context

    with organization_context(world.a.organization):
        event = services.event_create(acting_user=None, data=data(detected_by_name="Anonyme"),
                                      channel=ReportChannel.PUBLIC_FORM, today=TODAY)
    assert event.status == EventStatus.REPORTED and event.detected_by is None
    assert event.organization == world.a.organization and event.reference.startswith("EV-2026-")


def test_management_cannot_report_nor_can_a_user_without_a_membership(world, as_member):
    user = as_member(Role.MANAGEMENT)
    assert services.event_create(acting_user=user, data=data(), today=TODAY).pk  # management may add
    with scope_restored():
        activate(None, world.a.organization)
        with pytest.raises(PermissionDenied):
            services.event_create(acting_user=user, data=data(), today=TODAY)


# --- transitions ------------------------------------------------------------------------------

def _action(world, event, **extra):
    from django.contrib.contenttypes.models import ContentType

    return ActionFactory(organization=world.a.organization, owner=world.a.users[Role.PROCESS_OWNER], process=world.a.process,
                         origin_type=ContentType.objects.get_for_model(Event), origin_id=event.pk, **extra)


def _move(event, user, status, **kwargs):
    return services.event_transition(event=event, acting_user=user, to_status=status, today=TODAY, **kwargs)


def test_an_event_goes_through_its_workflow_to_closure(world, as_member):
    user = as_member(Role.COORDINATOR)
    event = world.a.event
    event = _move(event, user, EventStatus.ANALYSIS)
    with pytest.raises(ValidationError, match="root cause"):
        _move(event, user, EventStatus.TREATMENT)
    RootCauseFactory(event=event)
    event = _move(event, user, EventStatus.TREATMENT)
    with pytest.raises(ValidationError, match="corrective action"):
        _move(event, user, EventStatus.VERIFICATION)
    action = _action(world, event, status=ActionStatus.IN_PROGRESS)
    _action(world, event, status=ActionStatus.CANCELLED)  # a cancelled action does not count
    with pytest.raises(ValidationError, match="not done"):
        _move(event, user, EventStatus.VERIFICATION)
    action.status = ActionStatus.DONE
    action.save()
    event = _move(event, user, EventStatus.VERIFICATION)
    with pytest.raises(ValidationError, match="effectiveness"):
        _move(event, user, EventStatus.CLOSED)
    action_record_effectiveness(action=action, acting_user=user, result=EffectivenessResult.EFFECTIVE, checked_on=TODAY)
    event = _move(event, user, EventStatus.CLOSED)
    assert (event.status, event.closed_on) == (EventStatus.CLOSED, TODAY)
    assert event.events.count() == 5  # creation + four moves


def test_a_minor_event_skips_the_analysis_with_a_justification_kept_in_history(world, as_member):
    user = as_member(Role.COORDINATOR)
    event = world.a.event
    event.severity, event.status = Severity.MINOR, EventStatus.ANALYSIS
    event.save()
    event = _move(event, user, EventStatus.TREATMENT, reason="Rayure d'aspect, acceptée par le client")
    assert event.status == EventStatus.TREATMENT
    assert event.events.order_by("-pgh_id").first().pgh_context.metadata["reason"].startswith("Rayure")


def test_a_stale_version_is_a_conflict(world, as_member):
    from qse.services import ConflictError

    user = as_member(Role.COORDINATOR)
    with pytest.raises(ConflictError):
        _move(world.a.event, user, EventStatus.ANALYSIS, expected_version=world.a.event.version + 1)


def test_a_process_owner_moves_only_the_events_they_own(world, as_member):
    user = as_member(Role.PROCESS_OWNER)
    other = EventFactory_for(world, owner=world.a.users[Role.COORDINATOR], process=None)
    assert _move(world.a.event, user, EventStatus.ANALYSIS).status == EventStatus.ANALYSIS
    with pytest.raises(PermissionDenied):
        _move(other, user, EventStatus.ANALYSIS)


def EventFactory_for(world, **extra):  # noqa: N802
    from nonconformities.factories import EventFactory

    return EventFactory(organization=world.a.organization, **extra)


@pytest.mark.parametrize("status", [EventStatus.TREATMENT, EventStatus.VERIFICATION, EventStatus.CLOSED])
def test_an_action_checked_not_effective_sends_the_event_back_to_analysis(world, as_member, status):
    user = as_member(Role.COORDINATOR)
    event = world.a.event
    event.status, event.closed_on = status, TODAY if status == EventStatus.CLOSED else None
    event.save()
    action = _action(world, event, status=ActionStatus.DONE, deliverable="Gamme révisée")
    action_record_effectiveness(action=action, acting_user=user, result=EffectivenessResult.NOT_EFFECTIVE,
                                checked_on=TODAY, comment="Deux récidives en décembre")
    event.refresh_from_db()
    assert (event.status, event.closed_on) == (EventStatus.ANALYSIS, None)
    assert "not effective" in event.events.order_by("-pgh_id").first().pgh_context.metadata["reason"]


def test_an_effective_check_or_an_action_of_another_origin_leaves_events_alone(world, as_member):
    user = as_member(Role.COORDINATOR)
    event = world.a.event
    event.status = EventStatus.VERIFICATION
    event.save()
    action_record_effectiveness(action=_action(world, event, status=ActionStatus.DONE), acting_user=user,
                                result=EffectivenessResult.EFFECTIVE, checked_on=TODAY)
    plain = ActionFactory(organization=world.a.organization, owner=world.a.users[Role.PROCESS_OWNER], status=ActionStatus.DONE)
    action_record_effectiveness(action=plain, acting_user=user, result=EffectivenessResult.NOT_EFFECTIVE,
                                checked_on=TODAY)
    event.refresh_from_db()
    assert event.status == EventStatus.VERIFICATION


def test_accepting_from_triage_sets_the_person_in_charge(world, as_member):
    user = as_member(Role.COORDINATOR)
    event = world.a.event
    event.status, event.owner = EventStatus.REPORTED, None
    event.save()
    event = services.event_accept(event=event, acting_user=user, owner=user, process=world.a.process)
    assert (event.status, event.owner, event.process) == (EventStatus.OPEN, user, world.a.process)


def test_an_event_update_recomputes_the_declaration_deadline(world, as_member):
    user = as_member(Role.COORDINATOR)
    event = services.event_update(event=world.a.event, acting_user=user, expected_version=None,
                                  data={"event_type": EventType.WORK_ACCIDENT})
    assert event.declaration_due_at == event.occurred_at + datetime.timedelta(hours=48)
    with pytest.raises(ValidationError):
        services.event_update(event=event, acting_user=user, expected_version=None, data={"days_lost": 4})


# --- concurrency ------------------------------------------------------------------------------

def test_events_created_at_the_same_time_get_distinct_references(transactional_db):
    import threading

    from django.db import connection

    from qse.models import Membership
    from qse.tenancy import organization_context
    from qse.testing import build_world

    world = build_world()
    user = world.user()
    membership = Membership.objects.select_related("organization").get(user=user, organization=world.a.organization)
    barrier, references, errors = threading.Barrier(4), [], []

    def create():
        try:
            barrier.wait()
            for _ in range(3):
                with organization_context(world.a.organization, membership):
                    references.append(services.event_create(acting_user=user, data=data(), today=TODAY).reference)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(references) == [f"EV-2026-{n:04d}" for n in range(1, 13)]
