"""Objectives in Chromium: a process owner enters a value from the indicator's card on the
workshop tablet; management lands on its dashboard with drawn charts; the Gantt's drag asks
what moves and saves it through the API (frappe-gantt, served locally)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from playwright.sync_api import expect

from improvement.factories import ActionFactory, ActionPlanFactory
from improvement.models import Action
from objectives.factories import (
    ActionDependencyFactory,
    DashboardFactory,
    DashboardTileFactory,
    IndicatorFactory,
    MeasurementFactory,
)
from objectives.models import Measurement
from qse.roles import Role
from tests.browser.conftest import login


def _indicator(world):
    indicator = IndicatorFactory(organization=world.a.organization, owner=world.a.users[Role.PROCESS_OWNER],
                                 process=world.a.process, code="REB", name="Taux de rebut", unit="%",
                                 direction="lower", target=Decimal("1.5"), green_threshold=Decimal("1.5"),
                                 red_threshold=Decimal("2.5"))
    for month in range(1, 10):
        MeasurementFactory(indicator=indicator, period_on=datetime.date(2026, month, 1), value=Decimal("1.4") + Decimal(month) / 10)
    return indicator


def test_a_process_owner_enters_a_value_on_the_tablet(tablet, browser_world):
    indicator = _indicator(browser_world)
    login(tablet, browser_world.a.users[Role.PROCESS_OWNER], next=indicator.get_absolute_url())
    expect(tablet.locator("[data-testid=indicator-status]")).to_be_visible()
    form = tablet.locator("[data-testid=measure-form]")
    form.locator("input[name=period_on]").fill("2026-10-15")
    form.locator("input[name=value]").fill("1,2")
    form.get_by_role("button", name="Enregistrer la valeur").click()
    expect(tablet.locator(".messages")).to_contain_text("Valeur enregistrée")
    expect(tablet.locator("[data-testid=latest-value]")).to_contain_text("1,2")
    assert Measurement.objects.get(indicator=indicator, period_on=datetime.date(2026, 10, 1)).value == Decimal("1.2")
    assert tablet.locator(".js-plotly-plot").count() >= 2  # trend and control chart drawn


def test_management_reads_its_dashboard_as_its_home(page, browser_world):
    dashboard = DashboardFactory(organization=browser_world.a.organization, title="Tableau de bord de direction")
    DashboardTileFactory(dashboard=dashboard, indicator=_indicator(browser_world), size="large")
    login(page, browser_world.a.users[Role.MANAGEMENT])
    expect(page).to_have_url(f"{page.context.pages[0].url.split('/objectives')[0]}{dashboard.get_absolute_url()}")
    expect(page.locator("[data-testid=tile]")).to_have_count(1)
    expect(page.locator(".js-plotly-plot")).to_have_count(1)


def test_dragging_a_task_on_the_gantt_shows_what_moves_then_saves_it(page, browser_world):
    side = browser_world.a
    owner = side.users[Role.PROCESS_OWNER]
    plan = ActionPlanFactory(organization=side.organization, owner=owner, process=side.process, title="Plan bruit")
    today = datetime.date.today()
    first = ActionFactory(organization=side.organization, plan=plan, owner=owner, process=side.process, title="Mesurer",
                          start_on=today, due_on=today + datetime.timedelta(days=6))
    second = ActionFactory(organization=side.organization, plan=plan, owner=owner, process=side.process, title="Capoter",
                           start_on=today + datetime.timedelta(days=7), due_on=today + datetime.timedelta(days=13))
    ActionDependencyFactory(predecessor=first, successor=second)
    login(page, owner, next=f"/objectives/plans/{plan.pk}/gantt/")
    bar = page.locator(f".bar-wrapper[data-id='{first.pk}'] .bar")
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 120, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    preview = page.locator("[data-testid=move-preview]")
    expect(preview).to_be_visible()
    expect(preview.locator("li")).to_have_count(2)  # the task and the one that follows it
    expect(preview.locator("li.pushed")).to_have_count(2)
    with page.expect_navigation():  # saved, then the page reloads with the new dates
        preview.get_by_role("button", name="Enregistrer les déplacements").click()
    expect(page.locator("[data-testid=gantt-table]")).to_contain_text("Capoter")
    assert Action.objects.get(pk=second.pk).due_on > second.due_on
