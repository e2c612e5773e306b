"""Sign-in with the organization's directory, end to end against a real OpenID Connect
provider on loopback (django-oauth-toolkit in its own process, tests/oidc_provider/): the
person signs in at the provider, the app exchanges the code and checks the ID token for real.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from qse.factories import MembershipFactory, UserFactory
from qse.models import DirectoryIdentity, DirectorySignIn, Membership
from qse.oidc import encrypt_secret
from qse.roles import Role
from tests.oidc_provider.server import LoopbackDirectory

CLIENT_ID, CLIENT_SECRET = "pilote-qse", "s3cret-of-the-directory"
CALLBACK = "http://testserver/accounts/directory/callback/"
PASSWORD = "directory-pass"
GROUP_ROLES = {"QSE-Admins": "admin", "QSE-Team": "coordinator", "Workshop": "contributor"}


@pytest.fixture(scope="module")
def provider():
    directory = LoopbackDirectory()
    directory.setup({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [CALLBACK]})
    yield directory
    directory.stop()


@pytest.fixture(autouse=True)
def _honest_provider(provider):
    provider.tamper = None
    yield
    provider.tamper = None


@pytest.fixture(autouse=True)
def _fresh_start_counter():
    """The starts per address are counted in Redis for an hour: each test starts from zero."""
    from django.core.cache import cache

    cache.delete("qse:directory-start:127.0.0.1")


def person(provider, username: str, email: str, groups: list[str], **names) -> None:
    provider.setup({"users": {username: {"email": email, "password": PASSWORD, "groups": groups, **names}}})


@pytest.fixture
def directory(world, provider) -> DirectorySignIn:
    """Organization A signs in with the test directory; organization B has none."""
    return DirectorySignIn.objects.create(
        organization=world.a.organization, display_name="Annuaire Biscuiterie", issuer=provider.issuer,
        client_id=CLIENT_ID, client_secret_encrypted=encrypt_secret(CLIENT_SECRET),
        allowed_domains=["biscuiterie.test"], group_roles=GROUP_ROLES, default_role="",
    )


def start(client: Client, email: str, next: str = "") -> str:
    """The login page's directory form: a page of ours that goes on (meta refresh, or its
    link) to the per-organization link, which redirects to the provider's authorization URL."""
    page = client.post("/accounts/directory/", {"email": email, "next": next})
    assert page.status_code == 200, page.content[:300]
    content = page.content.decode()
    found = re.search(r'href="([^"]+)" data-testid="directory-continue"', content)
    assert found, content[:500]
    link = html.unescape(found.group(1))
    assert f'<meta http-equiv="refresh" content="0;url={found.group(1)}">' in content
    answer = client.get(link)
    assert answer.status_code == 302, answer.content[:300]
    return answer["Location"]


def sign_in(provider, username: str, email: str, client: Client | None = None, next: str = ""):
    """The whole flow as a browser would: the login page's form, the directory, the callback."""
    client = client or Client()
    authorize_url = start(client, email, next)
    assert authorize_url.startswith(provider.issuer), authorize_url
    back = provider.sign_in(authorize_url, username, PASSWORD)
    parts = urlsplit(back)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return client, client.get(parts.path, parse_qs(parts.query)), authorize_url


def refusal(answer) -> str:
    """The message of the refusal page, unescaped."""
    found = re.search(r'data-testid="directory-refusal">([^<]*)<', answer.content.decode())
    return html.unescape(found.group(1)) if found else ""


def logged_in_user_id(client):
    return int(client.session["_auth_user_id"]) if "_auth_user_id" in client.session else None


def membership_of(user, organization):
    return Membership.objects.filter(user=user, organization=organization).first()


def test_a_new_person_of_an_allowed_domain_gets_the_role_of_their_directory_group(provider, directory, world):
    person(provider, "claire", "claire.martin@biscuiterie.test", ["QSE-Team", "Everyone"], first_name="Claire", last_name="Martin")
    client, answer, authorize_url = sign_in(provider, "claire", "Claire.Martin@biscuiterie.test")

    assert answer.status_code == 302 and answer["Location"] == "/"
    user = get_user_model().objects.get(email="claire.martin@biscuiterie.test")
    assert (user.first_name, user.last_name, user.has_usable_password()) == ("Claire", "Martin", False)
    assert logged_in_user_id(client) == user.pk
    membership = membership_of(user, world.a.organization)
    assert (membership.role, membership.is_active) == (Role.COORDINATOR, True)
    assert membership_of(user, world.b.organization) is None
    # Authorization Code with PKCE (S256), state and nonce, and the login hint.
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"][0] and query["state"][0] and query["nonce"][0]
    assert query["login_hint"] == ["Claire.Martin@biscuiterie.test"]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    # The home page is the organization's, as for a password sign-in.
    home = client.get("/", follow=True)
    assert home.status_code == 200 and world.a.organization.name in home.content.decode()


def test_the_per_organization_link_starts_the_same_sign_in(provider, directory, world):
    person(provider, "denis", "denis@biscuiterie.test", ["Workshop"])
    client = Client()
    link = client.get(f"/accounts/directory/{world.a.organization.slug}/")
    assert link.status_code == 302 and link["Location"].startswith(provider.issuer)
    assert "login_hint" not in link["Location"]
    back = urlsplit(provider.sign_in(link["Location"], "denis", PASSWORD))
    answer = client.get(back.path, parse_qs(back.query))
    assert answer.status_code == 302
    assert membership_of(get_user_model().objects.get(email="denis@biscuiterie.test"), world.a.organization).role == Role.CONTRIBUTOR


def test_a_person_of_a_domain_not_allowed_is_refused_with_a_clear_message(provider, directory, world):
    # The directory may hold other companies' people (a group's subsidiaries, guests).
    person(provider, "guest", "guest@elsewhere.test", ["QSE-Admins"])
    DirectorySignIn.objects.filter(pk=directory.pk).update(allowed_domains=["biscuiterie.test", "elsewhere.test"])
    client = Client()
    authorize_url = start(client, "guest@elsewhere.test")
    DirectorySignIn.objects.filter(pk=directory.pk).update(allowed_domains=["biscuiterie.test"])
    back = urlsplit(provider.sign_in(authorize_url, "guest", PASSWORD))
    answer = client.get(back.path, parse_qs(back.query), HTTP_ACCEPT_LANGUAGE="fr")

    assert answer.status_code == 403
    assert refusal(answer) == (
        "Le domaine de messagerie elsewhere.test n’est pas autorisé à se connecter à Alpha Usinage. "
        "Demandez à son administrateur."
    )
    assert logged_in_user_id(client) is None
    assert not get_user_model().objects.filter(email="guest@elsewhere.test").exists()


def test_an_e_mail_domain_no_organization_declared_is_sent_back_to_the_password_form(directory):
    client = Client()
    answer = client.post("/accounts/directory/", {"email": "someone@unknown.test"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert answer.redirect_chain == [("/accounts/login/", 302)]
    assert "No organization signs in with its directory for this e-mail address" in answer.content.decode()


@pytest.mark.parametrize("tamper, reason", [
    ("signature", "bad_signature"),
    ("issuer", "Invalid claim: 'iss'"),
    ("nonce", "Invalid claim: 'nonce'"),
])
def test_an_identity_token_with_a_wrong_signature_issuer_or_nonce_is_refused(provider, directory, world, tamper, reason):
    person(provider, "mallory", "mallory@biscuiterie.test", ["QSE-Admins"])
    provider.tamper = tamper
    client, answer, _ = sign_in(provider, "mallory", "mallory@biscuiterie.test")

    assert answer.status_code == 403
    assert reason in refusal(answer), refusal(answer)
    assert logged_in_user_id(client) is None
    assert not get_user_model().objects.filter(email="mallory@biscuiterie.test").exists()


def test_a_callback_whose_state_this_browser_never_started_is_refused(provider, directory):
    person(provider, "eve", "eve@biscuiterie.test", ["QSE-Admins"])
    authorize_url = start(Client(), "eve@biscuiterie.test")
    back = urlsplit(provider.sign_in(authorize_url, "eve", PASSWORD))
    # Another browser (the attacker's victim) receives the code: login CSRF is refused.
    victim = Client()
    answer = victim.get(back.path, parse_qs(back.query))
    assert answer.status_code == 400
    assert logged_in_user_id(victim) is None


def test_a_group_change_in_the_directory_applies_at_the_next_sign_in(provider, directory, world):
    person(provider, "fanny", "fanny@biscuiterie.test", ["Workshop"])
    sign_in(provider, "fanny", "fanny@biscuiterie.test")
    user = get_user_model().objects.get(email="fanny@biscuiterie.test")
    assert membership_of(user, world.a.organization).role == Role.CONTRIBUTOR

    person(provider, "fanny", "fanny@biscuiterie.test", ["Workshop", "QSE-Admins"])
    client, answer, _ = sign_in(provider, "fanny", "fanny@biscuiterie.test")
    assert answer.status_code == 302
    assert membership_of(user, world.a.organization).role == Role.ADMIN
    assert get_user_model().objects.filter(email="fanny@biscuiterie.test").count() == 1

    # Out of every mapped group (and no default role): the access is taken away.
    person(provider, "fanny", "fanny@biscuiterie.test", ["Everyone"])
    client, answer, _ = sign_in(provider, "fanny", "fanny@biscuiterie.test")
    assert answer.status_code == 403 and logged_in_user_id(client) is None
    assert membership_of(user, world.a.organization).is_active is False

    # Back in a group: access given back, with that group's role.
    person(provider, "fanny", "fanny@biscuiterie.test", ["QSE-Team"])
    client, answer, _ = sign_in(provider, "fanny", "fanny@biscuiterie.test")
    assert answer.status_code == 302
    membership = membership_of(user, world.a.organization)
    assert (membership.role, membership.is_active) == (Role.COORDINATOR, True)


def test_the_default_role_is_given_when_no_group_maps(provider, directory, world):
    DirectorySignIn.objects.filter(pk=directory.pk).update(default_role=Role.CONTRIBUTOR)
    person(provider, "gilles", "gilles@biscuiterie.test", [])
    sign_in(provider, "gilles", "gilles@biscuiterie.test")
    user = get_user_model().objects.get(email="gilles@biscuiterie.test")
    assert membership_of(user, world.a.organization).role == Role.CONTRIBUTOR


def test_an_existing_account_with_the_same_e_mail_is_linked_not_duplicated(provider, directory, world):
    existing = UserFactory(username="h.dupont", email="Helene.Dupont@biscuiterie.test")
    MembershipFactory(user=existing, organization=world.b.organization, role=Role.AUDITOR)
    person(provider, "helene", "helene.dupont@biscuiterie.test", ["QSE-Team"])

    client, answer, _ = sign_in(provider, "helene", "helene.dupont@biscuiterie.test")

    assert answer.status_code == 302 and logged_in_user_id(client) == existing.pk
    assert get_user_model().objects.filter(email__iexact="helene.dupont@biscuiterie.test").count() == 1
    assert membership_of(existing, world.a.organization).role == Role.COORDINATOR
    assert membership_of(existing, world.b.organization).role == Role.AUDITOR  # the other one untouched
    identity = DirectoryIdentity.objects.get(user=existing)
    assert (identity.organization_id, identity.issuer) == (world.a.organization.pk, provider.issuer)
    # Her password still works: the directory is one more way in, not a replacement.
    existing.refresh_from_db()
    assert existing.check_password("pilote-demo")


def test_a_membership_an_administrator_deactivated_stays_deactivated(provider, directory, world):
    user = UserFactory(username="ines", email="ines@biscuiterie.test")
    MembershipFactory(user=user, organization=world.a.organization, role=Role.AUDITOR, is_active=False)
    person(provider, "ines", "ines@biscuiterie.test", ["QSE-Admins"])
    client, answer, _ = sign_in(provider, "ines", "ines@biscuiterie.test")
    assert answer.status_code == 403 and logged_in_user_id(client) is None
    membership = membership_of(user, world.a.organization)
    assert (membership.role, membership.is_active) == (Role.AUDITOR, False)


def test_a_disabled_directory_sign_in_starts_nothing(provider, directory):
    DirectorySignIn.objects.filter(pk=directory.pk).update(is_enabled=False)
    answer = Client().post("/accounts/directory/", {"email": "claire@biscuiterie.test"})
    assert answer.status_code == 302 and answer["Location"] == "/accounts/login/"


def test_the_page_asked_before_signing_in_is_shown_after_but_never_another_site(provider, directory, world):
    person(provider, "jules", "jules@biscuiterie.test", ["Workshop"])
    _client, answer, _ = sign_in(provider, "jules", "jules@biscuiterie.test", next="/improvement/actions/?mine=1")
    assert answer.status_code == 302 and answer["Location"] == "/improvement/actions/?mine=1"
    _client, answer, _ = sign_in(provider, "jules", "jules@biscuiterie.test", next="https://evil.test/phish")
    assert answer.status_code == 302 and answer["Location"] == "/"


def test_a_new_person_whose_groups_give_no_role_is_refused_and_no_account_is_made(provider, directory, world):
    person(provider, "karim", "karim@biscuiterie.test", ["Everyone"])
    client, answer, _ = sign_in(provider, "karim", "karim@biscuiterie.test", client=Client(HTTP_ACCEPT_LANGUAGE="en"))
    assert answer.status_code == 403 and logged_in_user_id(client) is None
    assert refusal(answer) == "Your directory groups give you no role in Alpha Usinage: ask its administrator."
    assert not get_user_model().objects.filter(email="karim@biscuiterie.test").exists()


def test_a_returning_persons_sign_in_costs_a_fixed_number_of_queries(provider, directory, world, django_assert_max_num_queries):
    person(provider, "lea", "lea@biscuiterie.test", ["QSE-Team"])
    sign_in(provider, "lea", "lea@biscuiterie.test")
    client = Client()
    back = urlsplit(provider.sign_in(start(client, "lea@biscuiterie.test"), "lea", PASSWORD))
    # Measured 2026-11-30: 28 (session, organization, directory, identity, user, membership,
    # the login's records), + 4 for the language the person chose (qse.profiles); a query per
    # group or per membership would go past it.
    with django_assert_max_num_queries(32):
        answer = client.get(back.path, parse_qs(back.query))
    assert answer.status_code == 302


def test_starts_from_one_address_are_bounded_since_each_one_calls_the_provider(provider, directory, world, settings):
    from django.core.cache import cache

    settings.QSE_OIDC_STARTS_PER_ADDRESS = 2
    address = "203.0.113.77"
    # Both addresses start clean: the counters live an hour in Redis, across test runs.
    cache.delete_many([f"qse:directory-start:{address}", "qse:directory-start:203.0.113.78"])
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    link = f"/accounts/directory/{world.a.organization.slug}/"
    assert [client.get(link).status_code for _ in range(3)] == [302, 302, 429]
    assert refusal(client.get(link)) == "Too many sign-in attempts from your address: try again in an hour."
    assert Client(REMOTE_ADDR="203.0.113.78").get(link).status_code == 302  # another address is not held back
    cache.delete(f"qse:directory-start:{address}")
