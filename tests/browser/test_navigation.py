"""What every page shares: the language switch, and 404 across organizations."""

from __future__ import annotations

from django.utils import translation
from playwright.sync_api import expect

from qse.roles import Role
from tests.browser.conftest import login


def _french(text: str) -> str:
    with translation.override("fr"):
        return translation.gettext(text)


def test_the_header_language_buttons_switch_the_navigation_to_english_and_back_to_french(
    page, browser_world
):
    login(page, browser_world.a.users[Role.COORDINATOR], next="/improvement/actions/")
    sidebar = page.locator(".sidebar")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    with page.expect_navigation():
        page.click("header form.lang button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/improvement/actions/")
    expect(sidebar.locator("h2", has_text="Improve")).to_have_count(1)
    expect(sidebar.get_by_role("link", name="My actions", exact=True)).to_be_visible()

    with page.expect_navigation():
        page.click("header form.lang button[value=fr]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(sidebar.get_by_role("link", name=_french("My actions"), exact=True)).to_be_visible()
    expect(sidebar.locator("h2", has_text=_french("Improve"))).to_have_count(1)


def test_a_user_of_organization_b_typing_the_url_of_an_organization_a_action_gets_a_404(
    page, browser_world
):
    theirs = browser_world.a.actions[0]
    login(page, browser_world.b.users[Role.COORDINATOR], next="/improvement/actions/")
    expect(page.locator("#object-table")).to_contain_text("Beta Chimie action 0")

    for url in (theirs.get_absolute_url(), f"{theirs.get_absolute_url()}edit/"):
        response = page.goto(url)
        assert response.status == 404, url
        assert theirs.title not in page.content()


def test_a_row_link_of_a_list_opens_the_record_as_its_own_page_not_inside_the_list(page, browser_world):
    """Only the table's sorting and paging stay inside the list; a row link is a navigation
    (a boosted row link used to swap the whole detail page, header and menu included, into
    the table's place)."""
    action = browser_world.a.actions[0]
    login(page, browser_world.a.users[Role.COORDINATOR], next="/improvement/actions/")
    page.locator("#object-table tbody").get_by_role("link", name=action.title, exact=True).click()
    page.wait_for_url(f"**{action.get_absolute_url()}")

    expect(page.locator("header.topbar, body > header")).to_have_count(1)
    expect(page.locator("#object-table")).to_have_count(0)
    expect(page.locator("h1")).to_have_count(1)
