"""Risk review reminders (the owner, 7 days ahead and when late) and the yearly DUERP update
reminder (the coordinators, from 11 months on): planned once, sent once, other organization
untouched."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import translation

from qse import reminders as sweep
from qse.models import Notification, Reminder, ReminderStatus
from qse.reminders_planning import plan_all
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import TODAY
from risks import reminders
from risks.choices import ReminderKind, RiskStatus
from risks.models import DuerpVersion


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def plan(side, today=TODAY) -> int:
    with organization_context(side.organization):
        return reminders.plan_risk_reminders(today=today)


def send(side) -> int:
    return sweep.send_pending(organization=side.organization)


def publish(side, published_on: datetime.date) -> DuerpVersion:
    number = DuerpVersion.objects.filter(organization=side.organization).count() + 1
    return DuerpVersion.objects.create(organization=side.organization, number=number, published_on=published_on,
                                       published_by=side.users[Role.COORDINATOR], snapshot={"work_units": []})


@pytest.mark.parametrize(("offset", "expected"), [(8, False), (7, True), (0, True), (-400, True)])
def test_a_review_is_reminded_from_7_days_ahead_and_when_late(offset, expected):
    assert reminders.is_review_reminded(next_review_on=TODAY + days(offset), today=TODAY) is expected
    assert reminders.is_review_reminded(next_review_on=None, today=TODAY) is False


@pytest.mark.parametrize(("published_on", "expected"), [
    (datetime.date(2025, 12, 24), False),  # 11 months on 24/11
    (datetime.date(2025, 12, 23), True),
    (datetime.date(2024, 1, 31), True),
    (datetime.date(2026, 11, 1), False),
])
def test_the_duerp_is_reminded_from_11_months_after_its_publication(published_on, expected):
    assert reminders.is_duerp_reminded(published_on=published_on, today=TODAY) is expected


def test_adding_months_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert reminders.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert reminders.add_months(datetime.date(2025, 12, 23), 11) == datetime.date(2026, 11, 23)


def test_risks_due_within_7_days_or_late_remind_their_owner_once(world):
    risk, owner = world.a.risk, world.a.risk.owner
    risk.next_review_on = TODAY + days(5)
    risk.save()
    late = type(risk).objects.create(**{
        f.attname: getattr(risk, f.attname) for f in risk._meta.concrete_fields if f.name not in ("id", "reference")
    }, reference="R-002")
    late.next_review_on = TODAY - days(30)
    late.save()

    assert plan(world.a) == 2
    assert plan(world.a) == 0
    assert plan(world.a, TODAY + days(1)) == 0
    rows = Reminder.objects.filter(kind=ReminderKind.REVIEW_DUE)
    assert set(rows.values_list("object_id", "recipient_id", "occurrence")) == {
        (risk.pk, owner.pk, TODAY + days(5)), (late.pk, owner.pk, TODAY - days(30)),
    }


def test_a_closed_or_far_risk_is_not_reminded(world):
    world.a.risk.next_review_on = TODAY + days(8)
    world.a.risk.save()
    world.b.risk.next_review_on = TODAY
    world.b.risk.status = RiskStatus.CLOSED
    world.b.risk.save()
    assert plan(world.a) == 0
    assert plan(world.b) == 0


def test_the_sweep_sends_one_notification_and_one_email_and_leaves_the_other_organization(world):
    for side in (world.a, world.b):
        side.risk.next_review_on = TODAY + days(2)
        side.risk.save()
    plan(world.a)

    assert send(world.a) == 1
    assert send(world.a) == 0

    owner = world.a.risk.owner
    assert list(Notification.objects.values_list("recipient", "url")) == [(owner.pk, world.a.risk.get_absolute_url())]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [owner.email]
    assert world.a.risk.reference in mail.outbox[0].subject
    assert (TODAY + days(2)).strftime("%d/%m/%Y") in mail.outbox[0].body
    assert not Reminder.objects.filter(organization=world.b.organization).exists()
    assert Reminder.objects.get().status == ReminderStatus.SENT


def test_a_risk_rescheduled_since_planning_is_not_reminded(world):
    world.a.risk.next_review_on = TODAY
    world.a.risk.save()
    plan(world.a)
    world.a.risk.next_review_on = TODAY + days(90)
    world.a.risk.save()

    assert send(world.a) == 1
    assert mail.outbox == [] and not Notification.objects.exists()


def test_the_duerp_update_reminds_every_coordinator_once(world):
    version = publish(world.a, TODAY - days(340))
    publish(world.b, TODAY - days(340))
    coordinators = {world.a.users[Role.COORDINATOR].pk}

    with organization_context(world.a.organization):
        plan_all(today=TODAY)  # every app's planners: the risks app's is registered
        assert plan_all(today=TODAY) == 0
    assert plan(world.a, TODAY + days(3)) == 0

    rows = Reminder.objects.filter(kind=ReminderKind.DUERP_UPDATE_DUE)
    assert set(rows.values_list("recipient_id", flat=True)) == coordinators
    assert rows.get().occurrence == version.published_on + days(365)
    send(world.a)
    duerp_mails = [message for message in mail.outbox if "DUERP" in message.subject]
    assert len(duerp_mails) == 1 and duerp_mails[0].to == [world.a.users[Role.COORDINATOR].email]
    assert Notification.objects.filter(url="/risks/duerp/").count() == 1


def test_a_recent_or_superseded_duerp_version_is_not_reminded(world):
    publish(world.a, TODAY - days(300))
    assert plan(world.a) == 0

    publish(world.b, TODAY - days(400))
    plan(world.b)
    publish(world.b, TODAY)
    assert send(world.b) == 1
    assert mail.outbox == []


def test_the_review_message_is_translated(world, settings):
    world.a.risk.next_review_on = TODAY
    world.a.risk.save()
    plan(world.a)
    reminder = Reminder.objects.get()
    with organization_context(world.a.organization):
        with translation.override("en"):
            english = reminders.render_review_reminder(reminder)
        with translation.override("fr"):
            french = reminders.render_review_reminder(reminder)
    assert english.subject.startswith("Risk review due")
    assert english.url == french.url == world.a.risk.get_absolute_url()
    assert TODAY.strftime("%d/%m/%Y") in french.body
