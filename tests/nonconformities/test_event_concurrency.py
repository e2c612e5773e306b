"""An event's workflow step decides on the locked row (as ``eightd_advance`` does)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from improvement.choices import ActionStatus
from improvement.factories import ActionFactory
from nonconformities import services
from nonconformities.choices import EventStatus
from nonconformities.models import Event
from qse.roles import Role
from qse.testing import TODAY
from tests.improvement.test_concurrency import _race, _reset_scope
from tests.nonconformities.conftest import add_events


def test_two_steps_from_the_same_status_at_the_same_time_only_one_passes(transactional_db):
    from qse.testing import build_world

    world = build_world()
    add_events(world.a)
    Event.objects.filter(pk=world.a.event.pk).update(status=EventStatus.TREATMENT)
    ActionFactory(organization=world.a.organization, owner=world.a.users[Role.PROCESS_OWNER],
                  status=ActionStatus.DONE, origin_type=ContentType.objects.get_for_model(Event),
                  origin_id=world.a.event.pk)
    seen = Event.objects.get(pk=world.a.event.pk)  # both people saw it under treatment

    def move(to_status):
        return lambda user: services.event_transition(event=seen, acting_user=user, to_status=to_status,
                                                      today=TODAY)

    outcomes = _race(world, {EventStatus.VERIFICATION: move(EventStatus.VERIFICATION),
                             EventStatus.ANALYSIS: move(EventStatus.ANALYSIS)})
    final = Event.objects.get(pk=seen.pk).status
    _reset_scope()
    assert [name for name, raised in outcomes.items() if raised is None] == [final]
    assert any(isinstance(raised, ValidationError) for raised in outcomes.values())
