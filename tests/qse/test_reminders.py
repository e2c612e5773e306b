"""Sending reminders: once per occurrence, with several senders, whatever happens."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext

from improvement import reminders as action_reminders
from improvement.choices import ActionStatus, ReminderKind
from improvement.factories import ActionFactory
from improvement.models import Action
from qse import reminders
from qse.factories import MembershipFactory, UserFactory
from qse.models import Membership, Notification, Reminder, ReminderStatus
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import TODAY, build_world

TUESDAY = TODAY + datetime.timedelta(days=1)


def make_owner(side, username: str):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organization=side.organization, role=Role.PROCESS_OWNER)
    return user


def plan_due_today(side, *, count: int, owner=None, prefix: str = "Action") -> list[Reminder]:
    """``count`` actions due on TUESDAY, planned: one "due today" reminder each."""
    owner = owner or make_owner(side, f"{side.organization.slug}-owner")
    actions = [
        ActionFactory(organization=side.organization, plan=side.plan, owner=owner, due_on=TUESDAY,
                      title=f"{prefix} {i:02d}")
        for i in range(count)
    ]
    with organization_context(side.organization):
        action_reminders.plan_action_reminders(today=TUESDAY)
    return list(Reminder.objects.filter(object_id__in=[a.pk for a in actions], content_type__model="action"))


def send(side) -> int:
    return reminders.send_pending(organization=side.organization)


def statuses(rows) -> set[str]:
    return set(Reminder.objects.filter(pk__in=[r.pk for r in rows]).values_list("status", flat=True))


def message_ids() -> list[str]:
    return [message.extra_headers["Message-ID"] for message in mail.outbox]


def test_each_pending_reminder_produces_one_notification_and_one_email(world):
    planned = plan_due_today(world.a, count=5)

    assert send(world.a) == 5

    assert statuses(planned) == {ReminderStatus.SENT}
    assert not Reminder.objects.filter(pk__in=[r.pk for r in planned], sent_at__isnull=True).exists()
    assert Notification.objects.filter(organization=world.a.organization).count() == 5
    assert sorted(message_ids()) == sorted(reminders.message_id(r) for r in planned)
    owner = planned[0].recipient
    assert all(message.to == [owner.email] for message in mail.outbox)
    assert all(message.subject.startswith("[Pilote QSE]") for message in mail.outbox)


def test_sending_again_sends_nothing(world):
    plan_due_today(world.a, count=3)
    send(world.a)
    notifications, emails = Notification.objects.count(), len(mail.outbox)

    assert send(world.a) == 0

    assert Notification.objects.count() == notifications
    assert len(mail.outbox) == emails


def test_a_reminder_for_an_action_done_since_is_marked_sent_without_a_message(world):
    done, still_open = plan_due_today(world.a, count=2)
    Action.objects.filter(pk=done.object_id).update(status=ActionStatus.DONE)

    assert send(world.a) == 2

    assert statuses([done, still_open]) == {ReminderStatus.SENT}
    assert message_ids() == [reminders.message_id(still_open)]
    assert Notification.objects.count() == 1


def test_a_recipient_who_left_the_organization_is_not_reminded(world):
    planned = plan_due_today(world.a, count=2)
    Membership.objects.filter(user=planned[0].recipient).update(is_active=False)

    send(world.a)

    assert statuses(planned) == {ReminderStatus.SENT}
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_sending_for_one_organization_leaves_the_others_reminders_alone(world):
    mine = plan_due_today(world.a, count=2)
    theirs = plan_due_today(world.b, count=2)

    send(world.a)

    assert statuses(mine) == {ReminderStatus.SENT}
    assert statuses(theirs) == {ReminderStatus.PENDING}
    assert not Notification.objects.filter(organization=world.b.organization).exists()


def test_messages_are_in_french_whatever_language_the_caller_has_active(world, monkeypatch):
    planned = plan_due_today(world.a, count=1)
    languages = []
    renderer = reminders._renderers[ReminderKind.DUE_TODAY]
    monkeypatch.setitem(reminders._renderers, ReminderKind.DUE_TODAY,
                        lambda r: languages.append(translation.get_language()) or renderer(r))

    with translation.override("en"):
        send(world.a)

    assert languages == ["fr"]
    assert TUESDAY.strftime("%d/%m/%Y") in mail.outbox[0].body
    assert statuses(planned) == {ReminderStatus.SENT}


def test_subjects_come_from_the_french_catalog(world):
    (planned,) = plan_due_today(world.a, count=1, prefix="Vidanger la cuve")
    with translation.override("fr"):
        expected = gettext("Action due today: {title}").format(title="Vidanger la cuve 00")

    with translation.override("en"):
        send(world.a)

    assert expected != "Action due today: Vidanger la cuve 00"  # the French catalog has it
    assert mail.outbox[0].subject == f"[Pilote QSE] {expected}"
    assert Notification.objects.get().title == expected


def test_a_failing_email_leaves_its_reminder_pending_and_does_not_block_the_others(world, monkeypatch):
    failing = plan_due_today(world.a, count=2, owner=make_owner(world.a, "alice-bounce"), prefix="Bounce")
    fine = plan_due_today(world.a, count=2, owner=make_owner(world.a, "alice-fine"), prefix="Fine")
    real_send = EmailMessage.send

    def send_or_fail(message, *args, **kwargs):
        if "bounce" in message.to[0]:
            raise ConnectionRefusedError("SMTP down for this one")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", send_or_fail)
    assert send(world.a) == 2

    assert statuses(fine) == {ReminderStatus.SENT}
    assert statuses(failing) == {ReminderStatus.PENDING}
    assert Notification.objects.count() == 2  # the failed ones' notifications rolled back

    monkeypatch.setattr(EmailMessage, "send", real_send)
    assert send(world.a) == 2
    assert statuses(failing) == {ReminderStatus.SENT}
    assert Notification.objects.count() == 4
    assert len(set(message_ids())) == len(message_ids()) == 4


def test_a_reminder_that_keeps_failing_is_given_up_after_the_last_attempt(world, monkeypatch):
    failing = plan_due_today(world.a, count=1, owner=make_owner(world.a, "alice-gone"), prefix="Gone")

    def always_fail(message, *args, **kwargs):
        raise ConnectionRefusedError("mailbox unavailable")

    monkeypatch.setattr(EmailMessage, "send", always_fail)
    for attempt in range(1, reminders.MAX_ATTEMPTS + 1):
        send(world.a)
        row = Reminder.objects.get(pk=failing[0].pk)
        assert row.attempts == attempt
    assert row.status == ReminderStatus.FAILED
    assert "mailbox unavailable" in row.last_error

    assert send(world.a) == 0  # no sweep claims it again
    assert Reminder.objects.get(pk=failing[0].pk).attempts == reminders.MAX_ATTEMPTS


def test_one_person_in_two_organizations_gets_each_organizations_digest(world):
    person = make_owner(world.a, "alice-both")
    MembershipFactory(user=person, organization=world.b.organization, role=Role.PROCESS_OWNER)
    rows = [
        Reminder(organization=side.organization, recipient=person, kind=ReminderKind.WEEKLY_DIGEST, occurrence=TODAY)
        for side in (world.a, world.b)
    ]
    assert reminders.plan_reminders(rows=rows) == 2
    assert reminders.plan_reminders(rows=rows) == 0


def test_sending_inside_an_open_transaction_is_refused(world):
    plan_due_today(world.a, count=1)

    with transaction.atomic(), pytest.raises(RuntimeError):
        send(world.a)


def test_two_concurrent_senders_never_send_the_same_reminder_twice(transactional_db, monkeypatch):
    world = build_world()
    planned = plan_due_today(world.a, count=10)
    monkeypatch.setenv("QSE_REMINDER_TEST_DELAY", "0.02")
    barrier, counts, errors = threading.Barrier(2), [], []

    def sender():
        try:
            barrier.wait()
            counts.append(reminders.send_pending(organization=world.a.organization))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sum(counts) == len(planned) and all(counts), counts  # both took part
    assert statuses(planned) == {ReminderStatus.SENT}
    assert Notification.objects.count() == len(planned)
    assert sorted(message_ids()) == sorted(reminders.message_id(r) for r in planned)
