"""A third person signs in through their company's directory in Chromium: the login page's
directory form, the real OpenID Connect provider's own sign-in page (tests/oidc_provider/),
back to Pilote QSE with the role their directory group gives."""

from __future__ import annotations

import pytest

from qse.models import DirectorySignIn, Membership
from qse.oidc import encrypt_secret
from qse.roles import Role
from tests.browser.conftest import TABLET, login, shoot
from tests.oidc_provider.server import LoopbackDirectory

CLIENT_ID, CLIENT_SECRET = "pilote-qse-browser", "browser-secret"


@pytest.fixture(scope="module")
def provider(live_server):
    directory = LoopbackDirectory()
    directory.setup({
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{live_server.url}/accounts/directory/callback/"],
    })
    directory.setup({"users": {"nadia": {
        "email": "nadia.benali@biscuiterie.test", "password": "directory-pass", "groups": ["QSE-Team", "Tous"],
        "first_name": "Nadia", "last_name": "Benali",
    }}})
    yield directory
    directory.stop()


def test_a_person_signs_in_through_the_directory_with_the_role_of_their_group(page, live_server, browser_world, provider):
    from django.core.cache import cache

    cache.delete("qse:directory-start:127.0.0.1")  # starts per address, counted for an hour
    organization = browser_world.a.organization
    DirectorySignIn.objects.create(
        organization=organization, display_name="Annuaire Biscuiterie", issuer=provider.issuer,
        client_id=CLIENT_ID, client_secret_encrypted=encrypt_secret(CLIENT_SECRET),
        allowed_domains=["biscuiterie.test"], group_roles={"QSE-Team": "coordinator"},
    )
    page.goto("/accounts/login/")
    shoot(page, "directory-login")
    page.get_by_label("Votre e-mail professionnel").fill("nadia.benali@biscuiterie.test")
    page.get_by_role("button", name="Continuer avec mon annuaire").click()
    # A page of ours names the directory, then goes on by itself (CSP form-action, see the view).

    # Through a page of ours (CSP form-action), to the directory's own sign-in page.
    page.wait_for_url(f"{provider.base_url}/accounts/login/**")
    page.fill("#provider-username", "nadia")
    page.fill("#provider-password", "directory-pass")
    page.get_by_role("button", name="Sign in to the directory").click()

    page.wait_for_url(f"{live_server.url}/org/**")
    assert organization.name in page.locator("body").inner_text()
    membership = Membership.objects.select_related("user").get(organization=organization, user__email="nadia.benali@biscuiterie.test")
    assert membership.role == Role.COORDINATOR and membership.user.get_full_name() == "Nadia Benali"
    # A coordinator's navigation: the registers they keep, not the admin's directory settings.
    nav = page.locator("nav").first.inner_text()
    assert "Connexion par l’annuaire" not in nav
    shoot(page, "directory-signed-in")


def test_the_admin_page_shows_what_to_register_in_the_directory(browser, live_server, browser_world):
    for viewport in ({"width": 1366, "height": 768}, TABLET):
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=viewport)
        page = context.new_page()
        login(page, browser_world.a.users[Role.ADMIN])
        page.goto("/org/directory/")
        assert page.get_by_test_id("redirect-uri").inner_text() == f"{live_server.url}/accounts/directory/callback/"
        page.get_by_role("link", name="Connexion par l’annuaire").first.wait_for()
        shoot(page, "directory-settings")
        context.close()
    # The login page, as on a phone (where the workshop's people sign in).
    phone = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    page.goto("/accounts/login/")
    assert page.get_by_role("button", name="Continuer avec mon annuaire").is_visible()
    shoot(page, "directory-login")
    phone.close()
