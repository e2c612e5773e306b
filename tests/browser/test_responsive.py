"""The shared frame on a phone, a tablet in both orientations and the desktop: the header
fits the screen (log out and FR/EN reachable without a sideways scroll), the page's content
comes first, and the navigation opens from its menu button and its links work."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from qse.roles import Role
from tests.browser.conftest import _close_page, _open_page, login, shoot

SIZES = {
    "phone": dict(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True),
    "tablet-portrait": dict(viewport={"width": 768, "height": 1024}, has_touch=True),
    "tablet-landscape": dict(viewport={"width": 1024, "height": 768}, has_touch=True),
    "desktop": dict(viewport={"width": 1366, "height": 900}),
}


def _french(text: str) -> str:
    with translation.override("fr"):
        return translation.gettext(text)


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def sized_page(request, browser, live_server, transactional_db):
    page = _open_page(browser, live_server, **SIZES[request.param])
    yield page
    _close_page(page)


def _inside_the_screen(page, locator) -> None:
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)


def test_the_header_fits_the_screen_and_the_content_comes_first(sized_page, browser_world):
    page = sized_page
    login(page, browser_world.a.users[Role.COORDINATOR], next="/improvement/actions/")

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    _inside_the_screen(page, page.locator("header form[action$='/logout/'] button"))
    _inside_the_screen(page, page.locator("header form.lang button[value=fr]"))
    _inside_the_screen(page, page.locator("header form.lang button[value=en]"))
    top = page.locator("main h1").bounding_box()["y"]
    assert top < page.viewport_size["height"] * 0.5, f"the page title starts at {top}px"
    shoot(page, "responsive-actions")


def test_the_navigation_opens_from_its_menu_button_and_its_links_work(sized_page, browser_world):
    page = sized_page
    login(page, browser_world.a.users[Role.COORDINATOR], next="/improvement/actions/")
    link = page.locator("#main-nav").get_by_role("link", name=_french("PDCA board"), exact=True)

    toggle = page.locator("header .menu-toggle")
    if page.viewport_size["width"] < 900:
        expect(link).not_to_be_visible()  # folded away: the content comes first
        _inside_the_screen(page, toggle)
        toggle.click()
    else:
        expect(toggle).not_to_be_visible()  # room enough: the sidebar is always there
    expect(link).to_be_visible()
    shoot(page, "responsive-menu")
    with page.expect_navigation():
        link.click()
    assert page.url.endswith("/improvement/board/")
    expect(page.locator("main h1")).to_be_visible()


def test_on_a_1024_tablet_the_risk_registers_key_columns_show_without_a_sideways_scroll(tablet, browser_world):
    from risks.factories import RiskFactory, RiskMatrixFactory

    side = browser_world.a
    owner = side.users[Role.PROCESS_OWNER]
    owner.first_name, owner.last_name = "Marie-Christine", "Delacroix-Fontaine"
    owner.save()
    matrix = RiskMatrixFactory(organization=side.organization, is_default=True)
    for n in range(8):
        RiskFactory(organization=side.organization, matrix=matrix, owner=owner, process=side.process, site=side.site,
                    residual_gravity=2, residual_probability=2,
                    title=f"Déversement de solvant chloré au poste de dégraissage de l'atelier {n}")
    login(tablet, browser_world.a.users[Role.COORDINATOR], next="/risks/risks/")

    container = tablet.locator("#object-table .table-container")
    hidden = container.evaluate("c => c.scrollWidth - c.clientWidth")
    assert hidden <= 0, f"the register scrolls sideways by {hidden}px"
    headers = [text.strip().lower() for text in tablet.locator("#object-table thead th").all_inner_texts()]
    for key in ("référence", "titre", "score résiduel", "responsable", "statut"):
        assert key in headers, (key, headers)
        _inside_the_screen(tablet, tablet.locator("#object-table thead th").nth(headers.index(key)))
    shoot(tablet, "responsive-risk-register")
