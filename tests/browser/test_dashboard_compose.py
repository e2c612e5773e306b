"""A coordinator composes a dashboard in place: a tile dragged by its handle, another moved
with its keyboard arrows, a size chosen; each saved through the tiles' API and still there
after a reload (SortableJS, served locally)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from objectives.factories import DashboardFactory, DashboardTileFactory, IndicatorFactory
from objectives.models import DashboardTile
from qse.roles import Role
from tests.browser.conftest import login, shoot


def _names(page):
    return page.locator("[data-testid=tile] .tile-name").all_inner_texts()


def test_a_coordinator_drags_a_tile_moves_another_with_the_keyboard_and_the_order_survives_a_reload(page, browser_world):
    side = browser_world.a
    dashboard = DashboardFactory(organization=side.organization, title="Direction")
    for order, name in enumerate(("Rebut", "Accidents", "Énergie")):
        indicator = IndicatorFactory(organization=side.organization, owner=side.users[Role.COORDINATOR], name=name)
        DashboardTileFactory(dashboard=dashboard, indicator=indicator, order=order, size="small")
    login(page, side.users[Role.COORDINATOR], next=dashboard.get_absolute_url())
    assert _names(page) == ["Rebut", "Accidents", "Énergie"]

    # drag "Énergie" by its handle onto the first place
    handle = page.locator("[data-tile]", has_text="Énergie").locator(".tile-handle").bounding_box()
    first = page.locator("[data-tile]", has_text="Rebut").bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(first["x"] + 10, first["y"] + 10, steps=12)
    page.mouse.up()
    expect(page.locator("[data-tiles-status]")).to_have_text("Ordre enregistré.")
    page.reload()
    assert _names(page) == ["Énergie", "Rebut", "Accidents"]

    # the keyboard way: "Accidents" one place up, with its arrow button
    page.get_by_role("button", name="Monter Accidents").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-tiles-status]")).to_have_text("Ordre enregistré.")
    page.reload()
    assert _names(page) == ["Énergie", "Accidents", "Rebut"]
    assert list(DashboardTile.objects.filter(dashboard=dashboard).order_by("order").values_list("indicator__name", flat=True)) \
        == ["Énergie", "Accidents", "Rebut"]

    # a size chosen in place is saved and drawn
    with page.expect_navigation():
        page.locator("[data-tile]", has_text="Rebut").locator("select[data-field=size]").select_option("large")
    expect(page.locator("[data-tile]", has_text="Rebut")).to_have_class(re.compile(r"\btile-large\b"))
    assert DashboardTile.objects.get(dashboard=dashboard, indicator__name="Rebut").size == "large"
    shoot(page, "dashboard-compose")


def test_a_reader_sees_the_tiles_without_the_composing_tools(page, browser_world):
    side = browser_world.a
    dashboard = DashboardFactory(organization=side.organization, title="Direction")
    DashboardTileFactory(dashboard=dashboard, size="small",
                         indicator=IndicatorFactory(organization=side.organization, owner=side.users[Role.COORDINATOR]))
    login(page, side.users[Role.AUDITOR], next=dashboard.get_absolute_url())
    expect(page.locator("[data-testid=tile]")).to_have_count(1)
    expect(page.locator(".tile-handle")).to_have_count(0)
