"""Real Chromium against the live server: one browser per session, one context per test.

The live server's threads connect without the test bypass of row-level security, so every
page a test opens sees only the logged-in user's organization, as in production.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# themselves (fixtures, checks) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from qse.testing import World, build_world  # noqa: E402

CHROMIUM = os.environ.get("QSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1366, "height": 900}
TABLET = {"width": 1024, "height": 768}
PASSWORD = "pilote-demo"  # qse.factories.UserFactory
SHOTS = Path("/tmp/qse-shots")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def pytest_collection_modifyitems(items):
    """Every test in this folder is a browser test (`-m "not browser"` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Browser:
    # No skip when Chromium is missing: a browser suite that silently does not run proves nothing.
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (set QSE_CHROMIUM)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _browser_before_database(browser) -> None:
    """Start Chromium before any test touches the database. Starting Playwright's sync API
    gives the test thread a fresh Django connection, which would drop the RLS bypass that
    tests/conftest.py set on the previous one; session fixtures run before function ones."""


@pytest.fixture
def browser_world(transactional_db, settings) -> World:
    """Both organizations, committed, so that the live server's threads see them.

    Passwords are hashed with a fast hasher here: PBKDF2 at full strength costs ~0.4 s per
    user (a world has 8) and per login on this machine, and proves nothing in these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def _open_page(browser: Browser, live_server, **options) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Every request and every script error of the page, checked after the test.
    page.seen_urls = []
    page.script_errors = []
    page.on("request", lambda request: page.seen_urls.append(request.url))
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    return page


def _close_page(page: Page) -> None:
    foreign = [
        url
        for url in page.seen_urls
        if urlsplit(url).scheme in ("http", "https", "ws", "wss")
        and urlsplit(url).hostname not in LOCAL_HOSTS
    ]
    errors = page.script_errors
    page.context.close()
    assert not foreign, f"requests left the machine (plants are offline): {foreign}"
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def page(browser, live_server, transactional_db) -> Page:
    """A desktop page (1366x900, French) in a fresh context: no cookie leaks between tests."""
    page = _open_page(browser, live_server, viewport=DESKTOP)
    yield page
    _close_page(page)


@pytest.fixture
def tablet(browser, live_server, transactional_db) -> Page:
    """The auditor's / owner's workshop tablet: 1024x768, touch."""
    page = _open_page(browser, live_server, viewport=TABLET, has_touch=True, is_mobile=False)
    yield page
    _close_page(page)


def login(page: Page, user, password: str = PASSWORD, next: str = "") -> None:
    """Log in through the real form, as a person would (``next``: as from a link in a reminder)."""
    page.goto(f"/accounts/login/?next={next}" if next else "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url, page.locator("main").inner_text()


def shoot(page: Page, name: str) -> Path:
    """Full-page screenshot named after the page and the viewport, for a human to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    path = SHOTS / f"{name}-{size['width']}x{size['height']}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
