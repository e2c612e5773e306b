"""Issue 9's "done means", in one journey in a real Chromium, from an empty database and
without a shell: the setup, an invitation accepted by a second person in another browser
context with their role and site limit applied, the directory sign-in of a third person with
a group-mapped role (a real OpenID Connect provider on loopback), the plant's Document unique
spreadsheet brought in through the import screens, and the checklist showing the progress."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from improvement.models import Action
from qse.models import Membership, Organization, Site
from qse.roles import Role
from risks.models import OccupationalRisk
from tests.browser.conftest import DESKTOP, _close_page, _open_page, shoot
from tests.browser.test_directory_sign_in import CLIENT_ID, CLIENT_SECRET, provider  # noqa: F401 (fixture)
from tests.browser.test_first_day import PASSWORD, _add_site, _done_steps
from tests.browser.test_import_journey import _upload_and_confirm_columns


def _setup(page) -> None:
    page.goto("/")
    assert page.url.endswith("/setup/")
    page.fill("#id_name", "Biscuiterie de l'Ouest")
    page.fill("#id_siret", "732 829 320 00074")
    page.select_option("#id_sector", "agrifood")
    page.fill("#id_headcount", "85")
    page.fill("#id_first_name", "Anne")
    page.fill("#id_last_name", "Le Goff")
    page.fill("#id_email", "anne@biscuiterie.example")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def _invite_and_accept(page, browser, live_server, site) -> None:
    page.goto("/org/people/")
    page.fill("#id_invite-email", "yann@biscuiterie.example")
    page.fill("#id_invite-first_name", "Yann")
    page.select_option("#id_invite-role", "process_owner")
    page.check(f"input[name=invite-sites][value='{site.pk}']")
    with page.expect_navigation():
        page.click("[data-testid=invite-form] button[type=submit]")
    link = re.search(r"/invitations/[^/\s]+/", mail.outbox[-1].body).group(0)
    second = _open_page(browser, live_server, viewport=DESKTOP)
    try:
        second.goto(link)
        second.fill("#id_last_name", "Kerjean")
        second.fill("#id_password1", "Crepes-au-beurre-9")
        second.fill("#id_password2", "Crepes-au-beurre-9")
        with second.expect_navigation():
            second.click("main form button[type=submit]")
        expect(second.locator(".who-role")).to_have_text("Pilote de processus")
    finally:
        _close_page(second)


def _configure_directory(page, issuer: str) -> None:
    page.goto("/org/directory/")
    page.fill("#id_display_name", "Annuaire Biscuiterie")
    page.fill("#id_issuer", issuer)
    page.fill("#id_client_id", CLIENT_ID)
    page.fill("#id_client_secret", CLIENT_SECRET)
    page.fill("#id_allowed_domains", "biscuiterie.test")
    page.fill("#id_group_roles", "QSE-Team = coordinator")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    shoot(page, "journey-directory-settings")


def _directory_sign_in(browser, live_server, provider) -> None:  # noqa: F811
    third = _open_page(browser, live_server, viewport=DESKTOP)
    try:
        third.goto("/accounts/login/")
        third.get_by_label("Votre e-mail professionnel").fill("nadia.benali@biscuiterie.test")
        third.get_by_role("button", name="Continuer avec mon annuaire").click()
        third.wait_for_url(f"{provider.base_url}/accounts/login/**")
        third.fill("#provider-username", "nadia")
        third.fill("#provider-password", "directory-pass")
        third.get_by_role("button", name="Sign in to the directory").click()
        third.wait_for_url(f"{live_server.url}/org/**")
        expect(third.locator(".who-role")).to_have_text("Coordinateur QSE")
    finally:
        _close_page(third)


def test_a_new_customer_starts_without_a_shell_up_to_its_document_unique(browser, live_server, page, provider, settings):  # noqa: F811
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.delete("qse:directory-start:127.0.0.1")
    _setup(page)
    expect(page.get_by_test_id("checklist-progress")).to_have_text("0 étapes faites sur 7")
    _add_site(page, "Usine de Quimper", "QMP", 60)
    _add_site(page, "Dépôt de Brest", "BRS", 9)
    organization = Organization.objects.get()
    quimper = Site.objects.get(code="QMP")

    _invite_and_accept(page, browser, live_server, quimper)
    yann = Membership.objects.get(user__email="yann@biscuiterie.example")
    assert yann.role == Role.PROCESS_OWNER and list(yann.sites.all()) == [quimper]

    _configure_directory(page, provider.issuer)
    _directory_sign_in(browser, live_server, provider)
    nadia = Membership.objects.get(user__email="nadia.benali@biscuiterie.test")
    assert nadia.role == Role.COORDINATOR and nadia.organization == organization

    # A risk matrix from the library, then the plant's Document unique through the import screens.
    page.goto("/risks/library/")
    four_by_four = page.locator("form", has=page.locator("input[name=library_id][value=matrix-4x4]"))
    with page.expect_navigation():  # the plant's file scores on 4 levels
        four_by_four.get_by_role("button", name="Copier dans mon organisation").click()
    _upload_and_confirm_columns(page, wrong=False, shots=False)
    new_units_site = page.locator("select[name=site]")
    if new_units_site.count():  # the site the missing work units are created on
        new_units_site.select_option(str(quimper.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Importer", exact=True).click()
    assert "40 lignes importées." in page.locator("main").inner_text(), page.locator("main").inner_text()[:3000]
    assert OccupationalRisk.objects.filter(organization=organization).count() == 40
    assert Action.objects.filter(organization=organization, origin_id__isnull=False).count() == 40

    assert {"sites", "people", "matrix", "duerp"} <= _done_steps(page)
    shoot(page, "journey-checklist")
