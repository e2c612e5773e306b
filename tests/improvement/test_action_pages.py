"""The action pages' one-tap updates: redirects stay on the site, conflicts and refusals are
shown (also in the HTMX partials), and nothing is offered that would be refused."""

import pytest
from django.db.models import F

from improvement.choices import ActionStatus
from improvement.factories import ActionFactory
from improvement.models import Action
from qse.roles import Role

HTMX = {"HX-Request": "true"}
CONFLICT_FR = "modifiée entre-temps par quelqu"  # the apostrophe is HTML-escaped in pages


def _changed_by_someone_else(action, **fields) -> None:
    """What another user's save does to the row: new values, version bumped."""
    Action.objects.filter(pk=action.pk).update(version=F("version") + 1, **fields)


# --- open redirect ------------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "//evil.example/phish", "https://evil.example/", "/\\evil.example", "///evil.example", "http:/evil.example",
])
def test_the_progress_form_never_sends_the_user_to_another_site(client, world, target):
    action = world.a.actions[0]
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    response = client.post(f"/improvement/actions/{action.pk}/progress/",
                           {"progress": 30, "version": action.version, "next": target})
    assert response.status_code == 302
    assert response["Location"] == f"/improvement/actions/{action.pk}/"


def test_the_progress_form_follows_a_next_page_on_the_site(client, world):
    action = world.a.actions[0]
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    response = client.post(f"/improvement/actions/{action.pk}/progress/",
                           {"progress": 30, "version": action.version, "next": "/improvement/mine/?page=2"})
    assert response["Location"] == "/improvement/mine/?page=2"


# --- lost update on "My actions" ------------------------------------------------------------

def test_a_tap_on_a_card_changed_meanwhile_shows_their_value_and_a_conflict_message(client, world):
    owner = world.a.users[Role.PROCESS_OWNER]
    action = world.a.actions[1]  # in progress
    seen_version = action.version
    _changed_by_someone_else(action, progress=40)
    client.force_login(owner)
    response = client.post(f"/improvement/actions/{action.pk}/progress/",
                           {"progress": 75, "version": seen_version, "card": "1"}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 409
    assert f'id="action-{action.pk}"' in page and "40 %" in page
    assert CONFLICT_FR in page and 'role="alert"' in page
    action.refresh_from_db()
    assert action.progress == 40
    # Shown once, in the card: the message does not come back on the next page.
    assert CONFLICT_FR not in client.get("/improvement/mine/").content.decode()


def test_the_redrawn_card_carries_the_new_version_so_the_next_tap_applies(client, world):
    owner = world.a.users[Role.PROCESS_OWNER]
    action = world.a.actions[1]
    _changed_by_someone_else(action, progress=40)
    client.force_login(owner)
    client.post(f"/improvement/actions/{action.pk}/progress/",
                {"progress": 75, "version": action.version, "card": "1"}, headers=HTMX)
    action.refresh_from_db()
    response = client.post(f"/improvement/actions/{action.pk}/progress/",
                           {"progress": 75, "version": action.version, "card": "1"}, headers=HTMX)
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.progress == 75


def test_every_card_tap_carries_the_version(client, world):
    owner = world.a.users[Role.PROCESS_OWNER]
    client.force_login(owner)
    page = client.get("/improvement/mine/").content.decode()
    for action in world.a.actions[:2]:
        action.refresh_from_db()
        assert f'name="version" value="{action.version}"' in page


def test_a_board_move_of_a_card_changed_meanwhile_is_a_visible_conflict(client, world):
    action = world.a.actions[0]  # planned
    seen_version = action.version
    _changed_by_someone_else(action, status=ActionStatus.CANCELLED)
    client.force_login(world.user())
    response = client.post(f"/improvement/actions/{action.pk}/move/",
                           {"stage": "do", "version": seen_version}, follow=True)
    assert CONFLICT_FR in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED


def test_the_board_cards_carry_their_version(client, world):
    client.force_login(world.user())
    page = client.get("/improvement/board/").content.decode()
    action = world.a.actions[0]
    action.refresh_from_db()
    assert f'name="version" value="{action.version}"' in page


def test_a_refused_tap_in_a_card_is_shown_in_the_card(client, world):
    owner = world.a.users[Role.PROCESS_OWNER]
    action = ActionFactory(organization=world.a.organization, owner=owner, process=world.a.process, deliverable="",
                           status=ActionStatus.IN_PROGRESS)
    client.force_login(owner)
    response = client.post(f"/improvement/actions/{action.pk}/progress/",
                           {"progress": 100, "version": action.version, "card": "1"}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in page and "livrable" in page


def test_a_tap_the_user_may_no_longer_make_is_refused_visibly_in_the_card(client, world):
    contributor = world.a.users[Role.CONTRIBUTOR]
    action = ActionFactory(organization=world.a.organization, owner=contributor, status=ActionStatus.IN_PROGRESS)
    client.force_login(contributor)
    assert f'id="action-{action.pk}"' in client.get("/improvement/mine/").content.decode()
    Action.objects.filter(pk=action.pk).update(owner=world.a.users[Role.AUDITOR])  # reassigned meanwhile
    response = client.post(f"/improvement/actions/{action.pk}/progress/",
                           {"progress": 50, "version": action.version, "card": "1"}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 403 and 'role="alert"' in page and "pas autorisé" in page
    assert "hx-post" not in page  # the redrawn card offers nothing the user may not do
