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
