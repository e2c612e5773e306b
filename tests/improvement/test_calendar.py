"""The private iCalendar feed: the signed URL is the credential."""

from __future__ import annotations

import datetime

from django.core import signing
from icalendar import Calendar

from improvement.calendar import feed_path
from improvement.choices import ActionStatus
from improvement.factories import ActionFactory
from qse.factories import MembershipFactory
from qse.models import Membership
from qse.roles import Role
from qse.testing import TODAY


def make_action(side, *, owner, title, status=ActionStatus.PLANNED, **extra):
    return ActionFactory(organization=side.organization, plan=side.plan, owner=owner, title=title,
                         status=status, due_on=TODAY + datetime.timedelta(days=10), **extra)


def events(response) -> list:
    return Calendar.from_ical(response.content).walk("VEVENT")


def summaries(response) -> set[str]:
    return {str(event["SUMMARY"]) for event in events(response)}


def test_the_feed_holds_the_users_open_actions_of_that_organization_only(client, world):
    user = world.a.users[Role.CONTRIBUTOR]
    MembershipFactory(user=user, organization=world.b.organization, role=Role.PROCESS_OWNER)
    colleague = world.a.users[Role.COORDINATOR]
    make_action(world.a, owner=user, title="Mettre à jour la FDS")
    make_action(world.a, owner=user, title="Former les caristes", status=ActionStatus.IN_PROGRESS)
    make_action(world.a, owner=user, title="Déjà faite", status=ActionStatus.DONE)
    make_action(world.a, owner=user, title="Annulée", status=ActionStatus.CANCELLED)
    make_action(world.a, owner=user, title="Archivée", archived_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    make_action(world.a, owner=colleague, title="Celle du collègue")
    make_action(world.b, owner=user, title="Action chez Beta")

    response = client.get(feed_path(user, world.a.organization))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert len(events(response)) == 2
    assert summaries(response) == {"Mettre à jour la FDS", "Former les caristes"}
    assert str(events(response)[0]["DTSTART"].dt) == str(TODAY + datetime.timedelta(days=10))


def test_the_same_user_gets_another_organizations_actions_from_that_organizations_url(client, world):
    user = world.a.users[Role.CONTRIBUTOR]
    MembershipFactory(user=user, organization=world.b.organization, role=Role.PROCESS_OWNER)
    make_action(world.a, owner=user, title="Action chez Alpha")
    make_action(world.b, owner=user, title="Action chez Beta")

    response = client.get(feed_path(user, world.b.organization))

    assert summaries(response) == {"Action chez Beta"}


def test_a_tampered_token_gives_404(client, world):
    user = world.a.users[Role.CONTRIBUTOR]
    make_action(world.a, owner=user, title="Secret")
    path = feed_path(user, world.a.organization)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    value, signature = token.rsplit(":", 1)
    other = world.a.users[Role.COORDINATOR]
    forged_value = feed_path(other, world.a.organization).rsplit("/", 1)[1].split(":")[0]

    for bad in (
        f"{value}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        f"{forged_value}:{signature}",
        value,
        "not-a-token",
        "%%%:%%%",
        f"{signing.b64_encode(b'99999999999999999999999:1').decode()}:{signature}",
    ):
        response = client.get(path.replace(token, bad))
        assert response.status_code == 404, bad
        assert b"Secret" not in response.content


def test_after_a_password_change_the_old_url_gives_404(client, world):
    user = world.a.users[Role.CONTRIBUTOR]
    make_action(world.a, owner=user, title="Secret")
    old = feed_path(user, world.a.organization)
    assert client.get(old).status_code == 200

    user.set_password("un tout autre mot de passe")
    user.save()

    assert client.get(old).status_code == 404
    assert client.get(feed_path(user, world.a.organization)).status_code == 200


def test_a_url_for_an_organization_the_user_has_left_gives_404(client, world):
    user = world.a.users[Role.CONTRIBUTOR]
    path = feed_path(user, world.a.organization)
    Membership.objects.filter(user=user, organization=world.a.organization).update(is_active=False)

    assert client.get(path).status_code == 404


def test_a_url_for_an_organization_the_user_never_belonged_to_gives_404(client, world):
    user = world.a.users[Role.CONTRIBUTOR]

    assert client.get(feed_path(user, world.b.organization)).status_code == 404


def test_a_deactivated_user_url_gives_404(client, world):
    user = world.a.users[Role.CONTRIBUTOR]
    path = feed_path(user, world.a.organization)
    user.is_active = False
    user.save()

    assert client.get(path).status_code == 404
