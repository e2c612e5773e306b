"""The first day of a new customer, in a real Chromium, from an empty database: setup, an
invitation accepted by a second person in another browser context, their role and site
limit applied, and the getting-started checklist ticking as the data comes in."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from improvement.factories import ActionFactory, ActionPlanFactory
from qse.models import Membership, Organization, Site
from tests.browser.conftest import DESKTOP, _close_page, _open_page, shoot

PASSWORD = "Galettes-2027!"


def _add_site(page, name: str, code: str, headcount: int) -> None:
    page.goto("/org/sites/add/")
    page.fill("#id_name", name)
    page.fill("#id_code", code)
    page.fill("#id_headcount", str(headcount))
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def _done_steps(page) -> set[str]:
    page.goto("/org/todo/")
    return set(page.locator("[data-testid=checklist] li[data-done=true]").evaluate_all("els => els.map(e => e.dataset.step)"))


def test_an_empty_installation_becomes_a_working_organization_without_a_shell(browser, live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # 1. The first visit sets the installation up.
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
    shoot(page, "first-day-setup")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.get_by_test_id("checklist-progress")).to_have_text("0 étapes faites sur 7")
    shoot(page, "first-day-checklist-empty")

    # 2. Sites with their headcounts tick the first step.
    _add_site(page, "Usine de Quimper", "QMP", 60)
    _add_site(page, "Dépôt de Brest", "BRS", 9)
    assert _done_steps(page) == {"sites"}
    organization = Organization.objects.get()
    quimper, brest = Site.objects.get(code="QMP"), Site.objects.get(code="BRS")
    plan = ActionPlanFactory(organization=organization, owner=Membership.objects.get().user, title="Plan 2027")
    ActionFactory(organization=organization, plan=plan, site=quimper, title="Capoter le four 2")
    ActionFactory(organization=organization, plan=plan, site=brest, title="Baliser le quai")

    # 3. The admin invites a process owner limited to the Quimper plant.
    page.goto("/org/people/")
    page.fill("#id_invite-email", "yann@biscuiterie.example")
    page.fill("#id_invite-first_name", "Yann")
    page.select_option("#id_invite-role", "process_owner")
    page.check(f"input[name=invite-sites][value='{quimper.pk}']")
    with page.expect_navigation():
        page.click("[data-testid=invite-form] button[type=submit]")
    expect(page.get_by_test_id("invitations")).to_contain_text("yann@biscuiterie.example")
    shoot(page, "first-day-people")
    link = re.search(r"/invitations/[^/\s]+/", mail.outbox[-1].body).group(0)

    # 4. The invited person accepts in another browser (no shared cookie).
    second = _open_page(browser, live_server, viewport=DESKTOP)
    try:
        second.goto(link)
        second.fill("#id_last_name", "Kerjean")
        second.fill("#id_password1", "Crepes-au-beurre-9")
        second.fill("#id_password2", "Crepes-au-beurre-9")
        shoot(second, "first-day-accept")
        with second.expect_navigation():
            second.click("main form button[type=submit]")
        expect(second.locator(".who-role")).to_have_text("Pilote de processus")
        # 5. Their site limit applies: the Quimper action, not the Brest one.
        second.goto("/improvement/actions/")
        expect(second.locator("main")).to_contain_text("Capoter le four 2")
        expect(second.locator("main")).not_to_contain_text("Baliser le quai")
        # The invitation link worked once.
        second.goto(link)
        expect(second.get_by_test_id("link-refused")).to_be_visible()
    finally:
        _close_page(second)

    # 6. The checklist shows the progress made, from the data.
    assert _done_steps(page) == {"sites", "people", "actions"}
    expect(page.get_by_test_id("checklist-progress")).to_have_text("3 étapes faites sur 7")
    shoot(page, "first-day-checklist-progress")
    # The setup page is gone now that the installation has an organization.
    assert page.goto("/setup/").status == 404
