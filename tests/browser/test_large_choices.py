"""A choice among many records, as a coordinator of a large group uses it in Chromium: type a
few letters, pick the match, the list filters on it."""

from __future__ import annotations

from playwright.sync_api import expect

from improvement.factories import ActionFactory
from qse.factories import ProcessFactory
from qse.roles import Role
from tests.browser.conftest import login, shoot


def test_a_coordinator_finds_a_process_among_many_by_typing_and_the_list_filters_on_it(page, browser_world, settings):
    settings.QSE_CHOICES_INLINE = 3
    organization = browser_world.a.organization
    for i in range(6):
        ProcessFactory(organization=organization, name=f"Usinage cellule {i}", code=f"U{i}")
    laser = ProcessFactory(organization=organization, name="Découpe laser", code="DL1")
    ActionFactory(organization=organization, process=laser, title="Régler la puissance du laser")
    ActionFactory(organization=organization, title="Action d'une autre cellule")
    login(page, browser_world.a.users[Role.COORDINATOR], next="/improvement/actions/")
    select = page.locator("form.filters select[name=process]")
    expect(select.locator("option")).to_have_count(1)  # only the empty choice until one searches
    page.locator("form.filters [data-search-for=id_process]").fill("laser")
    expect(select.locator("option")).to_have_count(2)
    with page.expect_response(lambda response: "process=" in response.url):
        select.select_option(label="DL1 · Découpe laser")
    expect(page.locator("#object-table")).to_contain_text("Régler la puissance du laser")
    expect(page.locator("#object-table")).not_to_contain_text("Action d'une autre cellule")
    shoot(page, "large-choices-filter")
