"""Events as people meet them: a worker reports from a phone without an account, the
coordinator triages and analyses on the tablet, in a real Chromium against the live server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nonconformities.choices import EventStatus, ReportChannel
from nonconformities.factories import EventFactory, ReportingPointFactory
from nonconformities.models import Event, WhyStep
from qse.roles import Role
from tests.browser.conftest import _close_page, _open_page, login, shoot
from tests.browser.test_layout import FINGER, OVERFLOW, TOO_SMALL

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server, transactional_db):
    page = _open_page(browser, live_server, viewport=PHONE, has_touch=True, is_mobile=True)
    yield page
    _close_page(page)


def _fits_a_finger(page, name: str) -> None:
    assert page.evaluate(OVERFLOW) <= 0, f"{name}: the page scrolls sideways"
    small = page.evaluate(TOO_SMALL, FINGER)
    assert not small, f"{name}: controls smaller than {FINGER}px:\n" + "\n".join(small)
    shoot(page, name)


def test_a_worker_reports_a_danger_from_the_qr_code_on_a_phone_and_it_waits_in_triage(phone, browser_world):
    side = browser_world.a
    point = ReportingPointFactory(organization=side.organization, site=side.site, label="Atelier 5 axes")

    phone.goto(f"/report/{point.token}/")
    expect(phone.get_by_text("Atelier 5 axes").first).to_be_visible()
    _fits_a_finger(phone, "public-report")
    phone.locator("input[name=event_type]").first.check()
    phone.fill("textarea[name=description]", "Flaque d'huile devant le centre DMU 3, personne n'a glissé.")
    phone.fill("input[name=name]", "Paul")
    phone.wait_for_timeout(3200)  # people take more than 3 seconds; robots do not (signed stamp)
    with phone.expect_navigation():
        phone.click("button[type=submit]")

    event = Event.objects.get(organization=side.organization, channel=ReportChannel.PUBLIC_FORM)
    expect(phone.locator("main, body").first).to_contain_text(event.reference)
    assert event.status == EventStatus.REPORTED and event.site == side.site
    assert not Event.objects.filter(organization=browser_world.b.organization, channel=ReportChannel.PUBLIC_FORM)


def test_a_coordinator_adds_a_why_on_the_tablet_without_leaving_the_event_page(tablet, browser_world):
    side = browser_world.a
    event = EventFactory(organization=side.organization, site=side.site, process=side.process,
                         owner=side.users[Role.COORDINATOR], status=EventStatus.ANALYSIS,
                         title="Bavures sur l'alésage du carter")
    login(tablet, side.users[Role.COORDINATOR], next=event.get_absolute_url())
    _fits_a_finger(tablet, "event-detail")
    tablet.evaluate("window.__sameDocument = true")

    tablet.locator("#event-analysis details summary").first.click()
    form = tablet.locator("#event-analysis form[action$='/analysis/why/']").first
    form.locator("input[name=answer]").fill("L'outil d'alésage a dépassé sa durée de vie")
    form.locator("button").click()

    expect(tablet.locator("#event-analysis")).to_contain_text("L'outil d'alésage a dépassé sa durée de vie")
    assert tablet.evaluate("window.__sameDocument === true"), "the page was reloaded instead of swapped"
    assert WhyStep.objects.get(event=event).answer == "L'outil d'alésage a dépassé sa durée de vie"


@pytest.mark.parametrize("name,url", [
    ("events-list", "/events/events/"), ("events-dashboard", "/events/dashboard/"), ("triage", "/events/triage/"),
])
def test_the_event_pages_fit_the_tablet(tablet, browser_world, name, url):
    side = browser_world.a
    EventFactory(organization=side.organization, site=side.site, process=side.process, status=EventStatus.REPORTED)
    login(tablet, side.users[Role.COORDINATOR], next=url)
    _fits_a_finger(tablet, name)


def test_typing_a_new_event_shows_a_closed_look_alike_of_the_same_process_as_a_possible_recurrence(
    page, browser_world
):
    side = browser_world.a
    past = EventFactory(organization=side.organization, site=side.site, process=side.process,
                        status=EventStatus.CLOSED, title="Bavures dans l'alésage du carter CX-200")
    login(page, side.users[Role.COORDINATOR], next="/events/events/add/")
    page.select_option("#id_process", str(side.process.pk))
    page.fill("#id_title", "Bavure sur alésage carter CX-200")
    page.locator("#id_title").press("End")  # a keyup, as typing gives

    similar = page.locator("#similar-events")
    expect(similar).to_contain_text(past.reference)
    expect(similar.locator(f"a[href='{past.get_absolute_url()}']")).to_be_visible()
    expect(similar).to_contain_text("récurrence")
