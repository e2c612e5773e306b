"""The Content-Security-Policy holds in a real browser: the main pages, both dashboards'
plotly charts, the risk heatmap, the parties map and Swagger UI run with no violation."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from context.factories import InterestedPartyFactory
from nonconformities.factories import EventFactory
from qse.roles import Role
from tests.browser.conftest import login, shoot

# Every violation, as the page sees it, kept across navigations in sessionStorage.
WATCH = """
document.addEventListener("securitypolicyviolation", (e) => {
  const seen = JSON.parse(sessionStorage.getItem("csp") || "[]");
  seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
  sessionStorage.setItem("csp", JSON.stringify(seen));
});
"""


def _violations(page, console) -> list[str]:
    seen = page.evaluate('JSON.parse(sessionStorage.getItem("csp") || "[]")')
    return seen + [text for text in console if "Content Security Policy" in text or "Refused to" in text]


def _open(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], csp


def test_the_main_pages_run_under_the_policy_with_no_violation_and_charts_draw(page, browser_world):
    a = browser_world.a
    EventFactory(organization=a.organization, site=a.site)
    InterestedPartyFactory(organization=a.organization)
    page.context.add_init_script(WATCH)
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type in ("error", "warning") else None)
    login(page, a.users[Role.COORDINATOR])

    for path in ("/", reverse("improvement:action_list"), a.actions[0].get_absolute_url(), reverse("risks:heatmap")):
        _open(page, path)
        page.wait_for_load_state("networkidle")
    for path, charts in ((reverse("improvement:dashboard"), 3), (reverse("nonconformities:dashboard"), 2),
                         (reverse("context:party_map"), 1)):
        _open(page, path)
        expect(page.locator(".chart svg.main-svg").first).to_be_visible()
        assert page.locator(".chart .plot-container").count() >= charts, path
        shoot(page, "csp-" + re.sub(r"\W+", "-", path).strip("-"))

    _open(page, reverse("api-docs"))
    # The schema of every route is built on the first request: slow on a loaded machine.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Pilote QSE API", timeout=60_000)
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()

    assert _violations(page, console) == []


def test_choosing_an_action_plan_on_the_board_still_filters_without_inline_handlers(page, browser_world):
    a = browser_world.a
    page.context.add_init_script(WATCH)
    login(page, a.users[Role.COORDINATOR])
    page.goto(reverse("improvement:board"))
    with page.expect_navigation():
        page.select_option("#board-plan", str(a.plan.pk))
    assert f"plan={a.plan.pk}" in page.url
    assert _violations(page, []) == []
