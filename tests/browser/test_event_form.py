"""The event form in Chromium: its fields follow the type as it is chosen, before saving, and
the similar past events are seen right under the title and description; a conflict in the
event's analysis is written in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nonconformities.choices import EventStatus, EventType
from nonconformities.factories import EventFactory, WhyStepFactory
from nonconformities.models import Event, WhyStep
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


def test_a_conflict_in_the_analysis_is_shown_in_place_not_dropped(page, browser_world):
    """htmx leaves 4xx answers unswapped by default: base.html's htmx-config swaps the partial
    of a refusal or a conflict, so the user reads why nothing was saved."""
    side = browser_world.a
    event = EventFactory(organization=side.organization, site=side.site, process=side.process,
                         owner=side.users[Role.COORDINATOR], status=EventStatus.ANALYSIS, title="Bavures")
    step = WhyStepFactory(event=event, organization=side.organization, answer="Outil usé")
    login(page, side.users[Role.COORDINATOR], next=event.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    edit = f"form[action$='/analysis/why/{step.pk}/']"
    page.locator(f"details:has({edit}) > summary").click()
    page.locator(f"{edit} input[name=answer]").fill("Outil mal affûté")
    WhyStep.objects.filter(pk=step.pk).update(answer="Plaquette cassée", version=step.version + 1)  # someone else
    page.locator(f"{edit} button").click()

    alert = page.locator("#event-analysis [role=alert]")
    expect(alert).to_contain_text("modifiée entre-temps")
    expect(page.locator("#event-analysis")).to_contain_text("Plaquette cassée")
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded instead of swapped"
    shoot(page, "event-analysis-conflict")
    step.refresh_from_db()
    assert step.answer == "Plaquette cassée"
