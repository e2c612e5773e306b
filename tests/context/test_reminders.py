"""Reminder of the yearly review of the climate-change decision: the coordinators, from 30
days before the review date; planned once, sent once, other organization untouched."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import translation

from context import reminders
from context.choices import ReminderKind
from context.factories import ClimateDecisionFactory
from qse import reminders as sweep
from qse.factories import MembershipFactory, UserFactory
from qse.models import Notification, Reminder
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import TODAY


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def plan(side, today=TODAY) -> int:
    with organization_context(side.organization):
        return reminders.plan_climate_reminders(today=today)


def decide(side, decided_on: datetime.date, **extra):
    return ClimateDecisionFactory(organization=side.organization, decided_on=decided_on,
                                  decided_by=side.users[Role.COORDINATOR], **extra)


@pytest.mark.parametrize(("offset", "expected"), [(31, False), (30, True), (0, True), (-10, True)])
def test_the_review_is_reminded_from_30_days_ahead_and_when_late(offset, expected):
    assert reminders.is_climate_review_reminded(next_review_on=TODAY + days(offset), today=TODAY) is expected


def test_every_active_coordinator_is_reminded_once_per_review_date(world):
    second = UserFactory(username="alpha-coordinator-2")
    MembershipFactory(user=second, organization=world.a.organization, role=Role.COORDINATOR)
    gone = UserFactory(username="alpha-coordinator-gone")
    MembershipFactory(user=gone, organization=world.a.organization, role=Role.COORDINATOR, is_active=False)
    decision = decide(world.a, TODAY - days(350))

    assert plan(world.a) == 2
    assert plan(world.a) == 0
    assert plan(world.a, TODAY + days(5)) == 0
    rows = Reminder.objects.filter(kind=ReminderKind.CLIMATE_REVIEW_DUE)
    assert set(rows.values_list("recipient_id", "occurrence", "object_id")) == {
        (world.a.users[Role.COORDINATOR].pk, decision.next_review_on, decision.pk),
        (second.pk, decision.next_review_on, decision.pk),
    }


def test_a_review_more_than_30_days_away_or_no_decision_plans_nothing(world):
    assert plan(world.a) == 0
    decide(world.a, TODAY - days(300))
    assert plan(world.a) == 0


def test_the_sweep_sends_one_notification_and_one_email_and_leaves_the_other_organization(world):
    decision = decide(world.a, TODAY - days(360))
    decide(world.b, TODAY - days(360))
    plan(world.a)

    assert sweep.send_pending(organization=world.a.organization) == 1
    assert sweep.send_pending(organization=world.a.organization) == 0

    coordinator = world.a.users[Role.COORDINATOR]
    assert list(Notification.objects.values_list("recipient", "url")) == [(coordinator.pk, decision.get_absolute_url())]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [coordinator.email]
    assert decision.next_review_on.strftime("%d/%m/%Y") in mail.outbox[0].subject
    assert not Reminder.objects.filter(organization=world.b.organization).exists()


def test_a_decision_superseded_since_planning_is_not_reminded(world):
    decide(world.a, TODAY - days(360))
    plan(world.a)
    decide(world.a, TODAY)

    assert sweep.send_pending(organization=world.a.organization) == 1
    assert mail.outbox == [] and not Notification.objects.exists()


def test_the_message_is_translated(world):
    decide(world.a, TODAY - days(360), is_relevant=False)
    plan(world.a)
    reminder = Reminder.objects.get()
    with organization_context(world.a.organization):
        with translation.override("en"):
            english = reminders.render_climate_reminder(reminder)
        with translation.override("fr"):
            french = reminders.render_climate_reminder(reminder)
    assert english.subject.startswith("Climate change decision: review due")
    assert "not relevant" in english.body
    assert english.url == french.url
