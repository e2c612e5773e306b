"""Logging in and out, throttling, password reset, API tokens, the organization switcher,
users without an organization, and the production security settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client

from qse.factories import MembershipFactory, OrganizationFactory, UserFactory
from qse.models import ApiToken
from qse.roles import Role
from qse.tokens import token_create

DEMO_PASSWORD = "pilote-demo"
ACTIONS_API = "/api/v1/improvement/actions/"


def log_in(client, username: str, password: str, ip: str = "10.0.0.1", **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture(autouse=True)
def fresh_reset_counters(world):
    """The reset counters live in Redis for an hour: the tests that ask with the demo users'
    addresses from the default address start from zero on every run."""
    from django.core.cache import cache

    from qse.views.accounts import reset_counter_keys

    for user in world.a.users.values():
        cache.delete_many(reset_counter_keys(email=user.email, address="127.0.0.1"))
    cache.delete_many(reset_counter_keys(email="nobody@example.com", address="127.0.0.1"))


@pytest.fixture
def coordinator(world):
    return world.a.users[Role.COORDINATOR]


# --- Login, logout, throttling ------------------------------------------------------------

def test_the_login_page_logs_a_demo_user_in_and_redirects(client, coordinator):
    assert client.get("/accounts/login/").status_code == 200

    response = log_in(client, coordinator.username, DEMO_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_logged_in(client)
    assert client.get("/", follow=True).status_code == 200


def test_a_wrong_password_shows_the_form_again(client, coordinator):
    response = log_in(client, coordinator.username, "wrong-password")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not is_logged_in(client)


def test_the_session_cookie_is_http_only(client, coordinator):
    response = log_in(client, coordinator.username, DEMO_PASSWORD)

    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_after_five_failed_attempts_even_the_right_password_is_refused(client, coordinator):
    assert django_settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(5):
        log_in(client, coordinator.username, "wrong-password")

    response = log_in(client, coordinator.username, DEMO_PASSWORD)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert not is_logged_in(client)


def test_four_failed_attempts_do_not_lock_the_account(client, coordinator):
    for _attempt in range(4):
        log_in(client, coordinator.username, "wrong-password")

    assert log_in(client, coordinator.username, DEMO_PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_a_guesser_spreading_over_many_addresses_still_locks_the_username(client, coordinator):
    for attempt in range(5):
        log_in(Client(), coordinator.username, "wrong-password", ip=f"198.51.100.{attempt + 1}")

    response = log_in(client, coordinator.username, DEMO_PASSWORD, ip="198.51.100.99")

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_a_guesser_trying_many_usernames_from_one_address_is_locked_out(client, world, coordinator):
    for name in ("alice", "bob", "carol", "dave", "erin"):
        log_in(Client(), name, "wrong-password", ip="203.0.113.50")

    assert log_in(client, coordinator.username, DEMO_PASSWORD, ip="203.0.113.50").status_code == 429
    assert log_in(Client(), coordinator.username, DEMO_PASSWORD, ip="203.0.113.51").status_code == 302


def test_behind_the_trusted_proxy_one_persons_typos_do_not_lock_out_colleagues(client, world, coordinator, settings):
    settings.QSE_TRUSTED_PROXIES = 1
    proxy = "10.9.9.9"
    manager = world.a.users[Role.MANAGEMENT]
    for _attempt in range(5):
        log_in(Client(), manager.username, "wrong-password", ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.10")

    # The colleague comes through the same proxy from another machine; a forged left-most
    # X-Forwarded-For entry changes nothing for the locked-out one.
    assert log_in(client, coordinator.username, DEMO_PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.11").status_code == 302
    forged = log_in(Client(), "somebody", "x", ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.77, 192.0.2.10")
    assert forged.status_code == 429


def test_logging_into_another_account_does_not_wipe_the_failures_against_a_username(client, world, coordinator):
    accomplice = world.a.users[Role.CONTRIBUTOR]
    for _attempt in range(4):
        log_in(Client(), coordinator.username, "wrong-password", ip="203.0.113.60")
    assert log_in(Client(), accomplice.username, DEMO_PASSWORD, ip="203.0.113.60").status_code == 302
    log_in(Client(), coordinator.username, "wrong-password", ip="203.0.113.61")

    assert log_in(client, coordinator.username, DEMO_PASSWORD, ip="203.0.113.62").status_code == 429


def test_logout_works_with_post(client, coordinator):
    client.force_login(coordinator)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert not is_logged_in(client)
    assert client.get("/").status_code == 302


# --- Password reset -----------------------------------------------------------------------

def test_a_password_reset_mail_lets_the_user_choose_a_new_password_and_log_in(client, coordinator):
    response = client.post("/accounts/password_reset/", {"email": coordinator.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    (message,) = mail.outbox
    assert message.to == [coordinator.email]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    set_password_url = form.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": "Nouveau-Mot-2passe!", "new_password2": "Nouveau-Mot-2passe!"})
    assert done.status_code == 302

    assert log_in(client, coordinator.username, DEMO_PASSWORD).status_code == 200
    assert log_in(client, coordinator.username, "Nouveau-Mot-2passe!").status_code == 302
    assert is_logged_in(client)


def test_a_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client, world):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def _reset(email: str, ip: str):
    return Client(REMOTE_ADDR=ip).post("/accounts/password_reset/", {"email": email})


def _random_ip() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def test_password_reset_mails_to_one_account_are_capped_and_the_page_answers_the_same(world, settings):
    settings.QSE_PASSWORD_RESET_LIMITS = {"per_address": 100, "per_account": 2, "window_seconds": 60}
    user = UserFactory(username=f"reset-{uuid.uuid4().hex[:8]}")
    answers = [_reset(user.email.upper(), _random_ip()) for _ in range(4)]

    assert [a.status_code for a in answers] == [302] * 4
    assert {a["Location"] for a in answers} == {"/accounts/password_reset/done/"}
    assert len(mail.outbox) == 2


def test_password_reset_requests_from_one_address_are_capped(world, settings):
    settings.QSE_PASSWORD_RESET_LIMITS = {"per_address": 2, "per_account": 100, "window_seconds": 60}
    ip = _random_ip()
    users = [UserFactory(username=f"reset-{uuid.uuid4().hex[:8]}") for _ in range(3)]
    answers = [_reset("nobody@example.com", ip), _reset(users[0].email, ip), _reset(users[1].email, ip)]

    assert {a["Location"] for a in answers} == {"/accounts/password_reset/done/"}
    assert [m.to for m in mail.outbox] == [[users[0].email]]
    assert _reset(users[2].email, _random_ip()).status_code == 302
    assert len(mail.outbox) == 2


# --- API tokens ---------------------------------------------------------------------------

def create_token_through_the_page(client, name: str = "capteur") -> str:
    page = client.post("/org/tokens/", {"name": name})
    assert page.status_code == 200
    return re.search(r'data-testid="new-token">([^<]+)</code>', page.content.decode()).group(1)


def test_a_token_key_is_shown_once_and_only_its_digest_is_kept(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/org/tokens/").status_code == 200

    key = create_token_through_the_page(client)

    token = ApiToken.objects.get(user=coordinator)
    assert token.prefix == key[:8] and key not in token.digest
    assert key not in client.get("/org/tokens/").content.decode()


def test_a_token_authenticates_the_api_until_it_is_revoked(client, world, coordinator):
    client.force_login(coordinator)
    key = create_token_through_the_page(client)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")

    response = api.get(ACTIONS_API)
    assert response.status_code == 200
    titles = {row["title"] for row in response.json()["results"]}
    assert titles == {a.title for a in world.a.actions}

    token = ApiToken.objects.get(user=coordinator)
    assert client.post(f"/org/tokens/{token.pk}/revoke/").status_code == 302
    assert api.get(ACTIONS_API).status_code == 401


def test_a_tokens_last_use_is_written_once_a_minute_not_once_a_request(client, world, coordinator):
    import datetime

    from django.utils import timezone

    client.force_login(coordinator)
    key = create_token_through_the_page(client)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    token = ApiToken.objects.get(user=coordinator)
    assert token.last_used_at is None

    assert api.get(ACTIONS_API).status_code == 200
    first_use = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None
    assert api.get(ACTIONS_API).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first_use  # within the minute: not written again

    two_minutes_ago = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=two_minutes_ago)
    assert api.get(ACTIONS_API).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at > two_minutes_ago + datetime.timedelta(minutes=1)


def test_an_unknown_token_gets_401(world):
    assert Client(HTTP_AUTHORIZATION="Token not-a-real-key").get(ACTIONS_API).status_code == 401
    assert Client().get(ACTIONS_API).status_code == 401


def test_a_user_cannot_revoke_another_users_token(client, world, coordinator):
    key = token_create(user=world.a.users[Role.ADMIN], organization=world.a.organization, name="admin script")
    token = ApiToken.objects.get(user=world.a.users[Role.ADMIN])
    client.force_login(coordinator)

    assert client.post(f"/org/tokens/{token.pk}/revoke/").status_code == 404

    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(ACTIONS_API).status_code == 200


# --- Organization switcher and users without an organization -----------------------------

def test_a_member_of_two_organizations_switches_and_sees_only_the_chosen_ones_actions(client, world, coordinator):
    MembershipFactory(user=coordinator, organization=world.b.organization, role=Role.COORDINATOR)
    client.force_login(coordinator)
    alpha, beta = world.a.actions[0].title, world.b.actions[0].title
    page = client.get("/improvement/actions/").content.decode()
    assert alpha in page and beta not in page

    response = client.post("/org/switch/", {"organization": world.b.organization.pk})

    assert response.status_code == 302
    page = client.get("/improvement/actions/").content.decode()
    assert beta in page and alpha not in page
    titles = {row["title"] for row in client.get(ACTIONS_API).json()["results"]}
    assert titles == {a.title for a in world.b.actions}


def test_switching_to_an_organization_without_membership_answers_404(client, world, coordinator):
    gamma = OrganizationFactory(name="Gamma", slug="gamma")
    client.force_login(coordinator)

    assert client.post("/org/switch/", {"organization": gamma.pk}).status_code == 404
    assert client.post("/org/switch/", {"organization": world.b.organization.pk}).status_code == 404
    assert client.post("/org/switch/", {"organization": "not-a-number"}).status_code == 404
    assert client.post("/org/switch/", {}).status_code == 404
    page = client.get("/improvement/actions/").content.decode()
    assert world.a.actions[0].title in page


def test_a_user_without_membership_gets_a_clear_page_and_no_data(client, world):
    nobody = UserFactory(username="nobody")
    client.force_login(nobody)

    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert home.status_code == 403
    assert "not a member of any organization" in home.content.decode()
    actions = client.get("/improvement/actions/")
    assert actions.status_code == 403
    assert world.a.actions[0].title not in actions.content.decode()
    assert client.get(ACTIONS_API).status_code == 403
    assert client.get("/org/tokens/").status_code == 403
    assert client.post("/org/tokens/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.filter(user=nobody).exists()


# --- Production settings ------------------------------------------------------------------

def test_production_settings_pass_the_deploy_check_without_warning():
    # The test runner's own DJANGO_ALLOW_ASYNC_UNSAFE (for the browser tests) is not part
    # of a production environment.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "QSE_PRODUCTION": "1",
        "SECRET_KEY": "x" * 60 + "long-random-secret-key-for-the-check",
        "ALLOWED_HOSTS": "qse.example.com",
        "DEBUG": "0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=django_settings.BASE_DIR, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
