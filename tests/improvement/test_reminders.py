"""Planning and rendering of action reminders. Domain code is given ``today``."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from improvement import reminders
from improvement.choices import ActionStatus, ReminderKind
from improvement.factories import ActionFactory
from improvement.models import Action
from qse.factories import MembershipFactory, UserFactory
from qse.models import Reminder
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import TODAY

MONDAY = TODAY
TUESDAY = TODAY + datetime.timedelta(days=1)
assert MONDAY.weekday() == 0


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def make_owner(side, username: str):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organization=side.organization, role=Role.PROCESS_OWNER)
    return user


def make_action(side, *, owner, due_on, status=ActionStatus.PLANNED, title="Action"):
    return ActionFactory(organization=side.organization, plan=side.plan, owner=owner,
                         due_on=due_on, status=status, title=title)


def plan(side, today: datetime.date) -> int:
    with organization_context(side.organization):
        return reminders.plan_action_reminders(today=today)


def reminder_kinds(actions) -> dict[int, set[str]]:
    kinds: dict[int, set[str]] = {action.pk: set() for action in actions}
    for object_id, kind in Reminder.objects.filter(object_id__in=kinds, content_type__model="action").values_list(
        "object_id", "kind"
    ):
        kinds[object_id].add(kind)
    return kinds


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (7, ReminderKind.DUE_SOON),
        (0, ReminderKind.DUE_TODAY),
        (-1, ReminderKind.OVERDUE),
        (-reminders.OVERDUE_LOOKBACK_DAYS, ReminderKind.OVERDUE),
        (-reminders.OVERDUE_LOOKBACK_DAYS - 1, None),
        (1, None),
        (6, None),
        (8, None),
    ],
)
def test_kind_for_gives_the_reminder_a_due_date_calls_for(offset, expected):
    assert reminders.kind_for(due_on=TUESDAY + days(offset), today=TUESDAY) == expected


def test_due_in_7_days_today_and_overdue_produce_the_right_kinds(world):
    owner = make_owner(world.a, "alice-owner")
    soon, today, late, later, ancient = (
        make_action(world.a, owner=owner, due_on=TUESDAY + days(offset)) for offset in (7, 0, -3, 3, -90)
    )
    done = make_action(world.a, owner=owner, due_on=TUESDAY, status=ActionStatus.DONE)
    cancelled = make_action(world.a, owner=owner, due_on=TUESDAY, status=ActionStatus.CANCELLED)

    plan(world.a, TUESDAY)

    assert reminder_kinds([soon, today, late, later, ancient, done, cancelled]) == {
        soon.pk: {ReminderKind.DUE_SOON}, today.pk: {ReminderKind.DUE_TODAY}, late.pk: {ReminderKind.OVERDUE},
        later.pk: set(), ancient.pk: set(), done.pk: set(), cancelled.pk: set(),
    }
    rows = Reminder.objects.filter(object_id__in=[soon.pk, today.pk, late.pk], content_type__model="action")
    assert {(row.recipient_id, row.occurrence, row.organization_id) for row in rows} == {
        (owner.pk, soon.due_on, world.a.organization.pk),
        (owner.pk, today.due_on, world.a.organization.pk),
        (owner.pk, late.due_on, world.a.organization.pk),
    }


def test_planning_twice_the_same_day_creates_each_reminder_once(world):
    owner = make_owner(world.a, "alice-owner")
    for offset in (7, 0, -3):
        make_action(world.a, owner=owner, due_on=MONDAY + days(offset))

    first = plan(world.a, MONDAY)
    count = Reminder.objects.count()
    second = plan(world.a, MONDAY)

    assert first == count > 3  # three deadlines plus the Monday digests
    assert second == 0
    assert Reminder.objects.count() == count


def test_an_overdue_action_is_reminded_once_however_many_days_it_stays_late(world):
    owner = make_owner(world.a, "alice-owner")
    late = make_action(world.a, owner=owner, due_on=TUESDAY - days(2))

    for day in range(5):
        plan(world.a, TUESDAY + days(day))

    assert Reminder.objects.filter(object_id=late.pk, kind=ReminderKind.OVERDUE).count() == 1


def test_a_rescheduled_action_gets_reminders_for_its_new_due_date(world):
    owner = make_owner(world.a, "alice-owner")
    action = make_action(world.a, owner=owner, due_on=TUESDAY)
    plan(world.a, TUESDAY)
    Action.objects.filter(pk=action.pk).update(due_on=TUESDAY + days(7))

    plan(world.a, TUESDAY)

    assert set(Reminder.objects.filter(object_id=action.pk).values_list("kind", "occurrence")) == {
        (ReminderKind.DUE_TODAY, TUESDAY), (ReminderKind.DUE_SOON, TUESDAY + days(7)),
    }


def test_weekly_digest_is_planned_only_on_mondays_once_per_owner(world):
    owner = make_owner(world.a, "alice-owner")
    make_action(world.a, owner=owner, due_on=MONDAY + days(30))
    make_action(world.a, owner=owner, due_on=MONDAY + days(40))
    idle = make_owner(world.a, "alice-idle")
    make_action(world.a, owner=idle, due_on=MONDAY, status=ActionStatus.DONE)

    for day in range(1, 7):
        plan(world.a, MONDAY + days(day))
    assert not Reminder.objects.filter(kind=ReminderKind.WEEKLY_DIGEST).exists()

    plan(world.a, MONDAY)
    plan(world.a, MONDAY)
    digests = Reminder.objects.filter(kind=ReminderKind.WEEKLY_DIGEST)
    expected_owners = set(
        Action.objects.filter(organization=world.a.organization, status__in=["planned", "in_progress"])
        .values_list("owner_id", flat=True)
    )
    assert owner.pk in expected_owners and idle.pk not in expected_owners
    assert sorted(digests.values_list("recipient_id", flat=True)) == sorted(expected_owners)
    assert set(digests.values_list("occurrence", flat=True)) == {MONDAY}

    plan(world.a, MONDAY + days(7))
    assert digests.filter(recipient=owner).count() == 2  # next Monday: a new one


def test_a_member_of_two_organizations_gets_one_digest_from_each(world):
    owner = make_owner(world.a, "alice-owner")
    MembershipFactory(user=owner, organization=world.b.organization, role=Role.PROCESS_OWNER)
    make_action(world.a, owner=owner, due_on=MONDAY + days(30))
    make_action(world.b, owner=owner, due_on=MONDAY + days(30))

    plan(world.a, MONDAY)
    plan(world.b, MONDAY)

    digests = Reminder.objects.filter(kind=ReminderKind.WEEKLY_DIGEST, recipient=owner)
    assert sorted(digests.values_list("organization_id", flat=True)) == sorted(
        [world.a.organization.pk, world.b.organization.pk]
    )


def test_organization_b_actions_never_produce_reminders_for_organization_a(world):
    b_owner = world.b.users[Role.PROCESS_OWNER]
    b_actions = [make_action(world.b, owner=b_owner, due_on=MONDAY + days(offset)) for offset in (7, 0, -3)]

    with organization_context(world.a.organization):
        reminders.plan_action_reminders(today=MONDAY)
        visible = list(Reminder.objects.values_list("organization_id", "recipient_id", "object_id"))

    assert Reminder.objects.exclude(organization=world.a.organization).count() == 0
    assert all(org == world.a.organization.pk for org, _, _ in visible)
    assert not Reminder.objects.filter(recipient=b_owner).exists()
    assert not Reminder.objects.filter(object_id__in=[a.pk for a in b_actions], content_type__model="action").exists()


def test_planning_without_an_active_organization_plans_nothing(world):
    owner = make_owner(world.a, "alice-owner")
    make_action(world.a, owner=owner, due_on=MONDAY)

    assert reminders.plan_action_reminders(today=MONDAY) == 0
    assert not Reminder.objects.exists()


# --- rendering ------------------------------------------------------------------------


def planned(side, action, today=TUESDAY) -> Reminder:
    plan(side, today)
    return Reminder.objects.get(object_id=action.pk, content_type__model="action")


def render(side, reminder: Reminder):
    with organization_context(side.organization), translation.override("fr"):
        return reminders.render_action_reminder(reminder)


def test_a_deadline_reminder_says_the_title_the_date_in_french_format_and_links_the_action(world):
    owner = make_owner(world.a, "alice-owner")
    action = make_action(world.a, owner=owner, due_on=TUESDAY, title="Changer le filtre")

    message = render(world.a, planned(world.a, action))

    assert "Changer le filtre" in message.subject
    assert TUESDAY.strftime("%d/%m/%Y") in message.body
    assert message.url == action.get_absolute_url()


@pytest.mark.parametrize(
    "change",
    [
        {"status": ActionStatus.DONE},
        {"status": ActionStatus.CANCELLED},
        {"archived_at": datetime.datetime(2026, 11, 24, tzinfo=datetime.UTC)},
        {"due_on": TUESDAY + days(14)},
    ],
    ids=["done", "cancelled", "archived", "rescheduled"],
)
def test_a_reminder_whose_action_changed_since_planning_renders_nothing(world, change):
    owner = make_owner(world.a, "alice-owner")
    action = make_action(world.a, owner=owner, due_on=TUESDAY)
    reminder = planned(world.a, action)
    Action.objects.filter(pk=action.pk).update(**change)

    assert render(world.a, reminder) is None


def test_a_reminder_of_an_action_reassigned_since_planning_renders_nothing(world):
    owner, other = make_owner(world.a, "alice-owner"), make_owner(world.a, "alice-other")
    action = make_action(world.a, owner=owner, due_on=TUESDAY)
    reminder = planned(world.a, action)
    Action.objects.filter(pk=action.pk).update(owner=other)

    assert render(world.a, reminder) is None


def test_the_weekly_digest_lists_the_recipients_open_actions_soonest_first(world):
    owner = make_owner(world.a, "alice-owner")
    make_action(world.a, owner=owner, due_on=MONDAY + days(20), title="Deuxième")
    make_action(world.a, owner=owner, due_on=MONDAY + days(10), title="Première")
    make_action(world.a, owner=owner, due_on=MONDAY, title="Finie", status=ActionStatus.DONE)
    plan(world.a, MONDAY)
    digest = Reminder.objects.get(kind=ReminderKind.WEEKLY_DIGEST, recipient=owner)

    with organization_context(world.a.organization):
        message = reminders.render_weekly_digest(digest)

    assert "2" in message.subject
    assert message.body.index("Première") < message.body.index("Deuxième")
    assert "Finie" not in message.body
