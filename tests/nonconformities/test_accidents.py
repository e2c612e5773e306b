"""Accidents: the 48-hour declaration reminder to coordinators, planned once, said once."""

import datetime

import pytest
from django.utils import timezone

from nonconformities import reminders
from nonconformities.choices import EventStatus, EventType, ReminderKind
from nonconformities.factories import EventFactory, PersonFactory
from qse.models import Notification, Reminder
from qse.reminders import send_pending
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import TODAY

NOON = datetime.time(12, 0)


def accident(side, *, due_on: datetime.date, **extra):
    due_at = timezone.make_aware(datetime.datetime.combine(due_on, NOON))
    return EventFactory(
        organization=side.organization, site=side.site, event_type=EventType.WORK_ACCIDENT,
        victim=PersonFactory(organization=side.organization), lost_time=True, days_lost=2,
        occurred_at=due_at - datetime.timedelta(hours=48), declaration_due_at=due_at,
        title=f"{side.organization.name} · coupure à la main", **extra,
    )


def plan(side, today=TODAY) -> int:
    with organization_context(side.organization):
        return reminders.plan_declaration_reminders(today=today)


@pytest.mark.parametrize("offset, expected", [
    (2, None),        # deadline the day after tomorrow: not yet
    (1, "due"),       # within the next day: remind on the deadline's date
    (0, "due"),       # today
    (-1, "late"),     # late: one more reminder, the day after the deadline
    (-30, "late"),
    (-31, None),      # too old to remind
])
def test_which_reminder_an_undeclared_accident_calls_for(offset, expected):
    due_on = TODAY + datetime.timedelta(days=offset)
    occurrences = {None: None, "due": due_on, "late": due_on + datetime.timedelta(days=1)}
    assert reminders.occurrence_for(due_on=due_on, today=TODAY) == occurrences[expected]


def test_coordinators_are_reminded_once_of_an_undeclared_accident(world):
    event = accident(world.a, due_on=TODAY + datetime.timedelta(days=1))
    accident(world.a, due_on=TODAY + datetime.timedelta(days=1), declared_on=TODAY)  # declared: nothing
    accident(world.a, due_on=TODAY, status=EventStatus.REJECTED)  # rejected: nothing
    accident(world.b, due_on=TODAY)  # the other organization plans its own
    assert plan(world.a) == 1
    assert plan(world.a) == 0
    row = Reminder.objects.get(kind=ReminderKind.DECLARATION_DUE, organization=world.a.organization)
    assert (row.recipient, row.object_id) == (world.a.users[Role.COORDINATOR], event.pk)
    assert send_pending(organization=world.a.organization) == 1
    note = Notification.objects.get(recipient=world.a.users[Role.COORDINATOR])
    assert event.reference in note.title and note.url == event.get_absolute_url()


def test_a_late_accident_gets_a_late_reminder_the_day_after_the_deadline(world):
    event = accident(world.a, due_on=TODAY)
    assert plan(world.a) == 1
    assert plan(world.a, TODAY + datetime.timedelta(days=1)) == 1
    assert plan(world.a, TODAY + datetime.timedelta(days=2)) == 0
    send_pending(organization=world.a.organization)
    titles = sorted(Notification.objects.filter(organization=world.a.organization).values_list("title", flat=True))
    assert len(titles) == 2 and all(event.reference in title for title in titles)
    assert titles[0] != titles[1]


def test_an_accident_declared_before_the_reminder_goes_out_says_nothing(world):
    event = accident(world.a, due_on=TODAY)
    plan(world.a)
    event.declared_on = TODAY
    event.save()
    assert send_pending(organization=world.a.organization) == 1
    assert not Notification.objects.exists()


def test_the_planner_is_registered(world):
    from qse.reminders_planning import plan_all

    accident(world.a, due_on=TODAY)
    with organization_context(world.a.organization):
        plan_all(today=TODAY)
    assert Reminder.objects.filter(kind=ReminderKind.DECLARATION_DUE).count() == 1


def test_the_planning_costs_the_same_queries_for_3_or_30_accidents(world):
    from qse.testing import count_queries

    def queries():
        Reminder.objects.all().delete()
        return count_queries(lambda: plan(world.a))

    for _ in range(3):
        accident(world.a, due_on=TODAY)
    few = queries()
    for _ in range(27):
        accident(world.a, due_on=TODAY)
    assert queries() == few


def test_recording_the_declaration_from_the_event_page(client, world):
    event = accident(world.a, due_on=TODAY)
    client.force_login(world.user())
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'id="declaration"' in page
    response = client.post(f"/events/events/{event.pk}/declare/", {"declared_on": TODAY.isoformat(),
                                                                   "version": event.version})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.declared_on == TODAY
    client.force_login(world.b.users[Role.COORDINATOR])
    assert client.post(f"/events/events/{event.pk}/declare/", {"declared_on": TODAY.isoformat()}).status_code == 404
