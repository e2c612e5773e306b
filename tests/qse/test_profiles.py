"""Each person's preferences reach the reminders: e-mail per kind, language, digest day."""

from __future__ import annotations

import datetime

from django.core import mail

from improvement import reminders as action_reminders
from improvement.choices import ReminderKind
from qse.models import Notification, Reminder, UserProfile
from qse.tenancy import organization_context
from qse.testing import TODAY
from tests.qse.test_reminders import make_owner, plan_due_today, send


def test_a_reminder_kind_kept_in_the_app_sends_no_email_but_still_notifies(world):
    owner = make_owner(world.a, "quiet-owner")
    UserProfile.objects.create(user=owner, muted_email_kinds=[ReminderKind.DUE_TODAY])
    plan_due_today(world.a, count=1, owner=owner)

    assert send(world.a) == 1
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=owner).count() == 1


def test_a_reminder_goes_out_in_the_persons_language(world):
    owner = make_owner(world.a, "english-owner")
    UserProfile.objects.create(user=owner, language="en")
    plan_due_today(world.a, count=1, owner=owner, prefix="Clean the press")

    send(world.a)
    assert mail.outbox[0].subject.startswith("[Pilote QSE] Action due today")


def test_the_weekly_digest_comes_on_the_day_each_person_chose(world):
    from improvement.factories import ActionFactory

    thursday_person = make_owner(world.a, "thursday-owner")
    UserProfile.objects.create(user=thursday_person, digest_weekday=3)
    ActionFactory(organization=world.a.organization, plan=world.a.plan, owner=thursday_person,
                  due_on=TODAY + datetime.timedelta(days=40))
    monday, thursday = TODAY, TODAY + datetime.timedelta(days=3)
    assert monday.weekday() == 0

    def digests_on(day):
        with organization_context(world.a.organization):
            action_reminders.plan_action_reminders(today=day)
        return set(Reminder.objects.filter(kind=ReminderKind.WEEKLY_DIGEST, occurrence=day).values_list("recipient", flat=True))

    on_monday = digests_on(monday)
    assert thursday_person.pk not in on_monday and world.a.users["process_owner"].pk in on_monday
    assert digests_on(thursday) == {thursday_person.pk}


def test_the_profile_page_saves_the_preferences(client, world):
    user = world.a.users["auditor"]
    client.force_login(user)
    response = client.post("/accounts/profile/", {
        "user-first_name": "Sophie", "user-last_name": "Lefèvre", "user-email": "sophie@alpha.example",
        "pref-language": "en", "pref-digest_weekday": "4", "pref-email_kinds": [ReminderKind.OVERDUE],
    })
    assert response.status_code == 302
    profile = UserProfile.objects.get(user=user)
    assert profile.language == "en" and profile.digest_weekday == 4
    assert ReminderKind.OVERDUE not in profile.muted_email_kinds and ReminderKind.DUE_TODAY in profile.muted_email_kinds
    page = client.get("/accounts/profile/").content.decode()
    assert "Alpha Usinage" in page


def _sign_in(client, user):
    return client.post("/accounts/login/", {"username": user.username, "password": "pilote-demo"})


def test_signing_in_on_a_new_browser_speaks_the_language_the_person_chose(world, client):
    owner = make_owner(world.a, "english-speaker")
    UserProfile.objects.create(user=owner, language="en")

    response = _sign_in(client, owner)

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_signing_in_without_a_choice_of_ones_own_keeps_the_browsers_language(world, client):
    owner = make_owner(world.a, "no-choice-speaker")

    response = _sign_in(client, owner)

    assert response.status_code == 302
    assert "django_language" not in response.cookies


def test_a_failed_sign_in_sets_no_language(world, client):
    owner = make_owner(world.a, "mistyped")

    response = client.post("/accounts/login/", {"username": owner.username, "password": "wrong"})

    assert "django_language" not in response.cookies
