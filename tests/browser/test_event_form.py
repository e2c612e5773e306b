"""The event form in Chromium: its fields follow the type as it is chosen, before saving, and
the similar past events are seen right under the title and description."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nonconformities.choices import EventType
from nonconformities.models import Event
from qse.roles import Role
from tests.browser.conftest import DESKTOP, TABLET, _close_page, _open_page, login, shoot

ACCIDENT_ONLY = ("#id_victim", "#id_lost_time", "#id_days_lost", "#id_declared_on")
COMPLAINT_ONLY = ("#id_third_party", "#id_third_party_reference")


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["1366", "1024x768"])
def test_choosing_the_type_shows_the_fields_it_asks_for_and_hides_the_others(browser, live_server, browser_world,
                                                                             viewport):
    page = _open_page(browser, live_server, viewport=viewport)
    try:
        login(page, browser_world.a.users[Role.COORDINATOR], next="/events/events/add/")
        # No type chosen yet: only what every event asks for.
        for selector in (*ACCIDENT_ONLY, *COMPLAINT_ONLY, "#id_cost_scrap"):
            expect(page.locator(selector)).to_be_hidden()

        page.select_option("#id_event_type", EventType.WORK_ACCIDENT)
        for selector in ACCIDENT_ONLY:
            expect(page.locator(selector)).to_be_visible()
        for selector in (*COMPLAINT_ONLY, "#id_cost_scrap"):
            expect(page.locator(selector)).to_be_hidden()
        shoot(page, "event-form-accident")

        page.select_option("#id_event_type", EventType.CUSTOMER_COMPLAINT)
        for selector in ACCIDENT_ONLY:
            expect(page.locator(selector)).to_be_hidden()
        for selector in (*COMPLAINT_ONLY, "#id_cost_scrap"):
            expect(page.locator(selector)).to_be_visible()

        # The similar past events are in view, under the description, before anything is saved.
        page.fill("#id_title", "Carter rayé au contrôle final")
        page.fill("#id_description", "Rayure profonde sur la face d'appui")
        panel = page.locator("#similar-events-card")
        expect(panel).to_be_in_viewport()
        description = page.locator("#id_description").bounding_box()
        assert panel.bounding_box()["y"] > description["y"]
        assert panel.bounding_box()["y"] < page.locator("#id_occurred_at").bounding_box()["y"]
        shoot(page, "event-form-complaint")

        page.fill("#id_third_party", "Renault Trucks")
        page.fill("#id_occurred_at", "2026-11-20T08:30")
        page.fill("#id_detected_on", "2026-11-20")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        event = Event.objects.get(title="Carter rayé au contrôle final")
        assert event.event_type == EventType.CUSTOMER_COMPLAINT and event.third_party == "Renault Trucks"
        assert event.detected_by == browser_world.a.users[Role.COORDINATOR]
    finally:
        _close_page(page)
