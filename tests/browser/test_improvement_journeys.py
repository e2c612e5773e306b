"""Continuous improvement, as people use it: in a real Chromium, against the live server."""

from __future__ import annotations

import io
import re

from django.utils import translation
from PIL import Image
from playwright.sync_api import expect

from improvement.choices import ActionStatus
from improvement.models import Action
from qse.models import Attachment
from qse.roles import Role
from tests.browser.conftest import login, shoot

GPS_INFO = 34853  # EXIF tag of the GPS IFD


def _label(model, field: str, language: str = "fr") -> str:
    with translation.override(language):
        text = str(model._meta.get_field(field).verbose_name)
    return text[:1].upper() + text[1:]


def _mark_document(page) -> None:
    """A flag that a full page load would wipe: HTMX swaps must keep it."""
    page.evaluate("window.__sameDocument = true")


def _same_document(page) -> bool:
    return page.evaluate("window.__sameDocument === true")


def test_a_coordinator_opens_the_dashboard_with_its_figures_and_locally_served_charts(
    page, browser_world
):
    login(page, browser_world.a.users[Role.COORDINATOR], next="/improvement/")

    assert page.url.endswith("/improvement/")
    # World A: one planned and one in-progress action due in 30 days, one done and not yet checked.
    figures = {
        key: page.get_by_test_id(f"kpi-{key}").inner_text()
        for key in ("done", "in-progress", "late", "awaiting")
    }
    assert figures == {"done": "0", "in-progress": "2", "late": "0", "awaiting": "1"}
    expect(page.locator(".chart .plot-container svg.main-svg").first).to_be_visible()
    assert page.locator(".chart .plot-container").count() == 3
    assert any(url.endswith("/static/plotly/plotly.min.js") for url in page.seen_urls)
    assert all(
        re.match(r"^(data:|blob:|http://(localhost|127\.0\.0\.1)[:/])", url)
        for url in page.seen_urls
    ), page.seen_urls
    shoot(page, "journey-dashboard")


def test_a_coordinator_creates_an_action_and_narrows_the_list_with_the_search_box(
    page, browser_world
):
    side = browser_world.a
    login(page, side.users[Role.COORDINATOR], next="/improvement/actions/add/")

    page.fill("#id_title", "Capoter la presse 3")
    page.select_option("#id_plan", str(side.plan.pk))
    page.fill("#id_deliverable", "Capotage posé et réceptionné")
    page.select_option("#id_owner", str(side.users[Role.PROCESS_OWNER].pk))
    page.select_option("#id_process", str(side.process.pk))
    page.select_option("#id_priority", "high")
    page.fill("#id_due_on", "2027-03-31")
    shoot(page, "journey-action-form")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    created = Action.objects.get(title="Capoter la presse 3")
    assert page.url.endswith(created.get_absolute_url())
    expect(page.locator("h1")).to_contain_text("Capoter la presse 3")
    assert (
        created.organization_id == side.organization.pk
        and created.owner == side.users[Role.PROCESS_OWNER]
    )

    page.goto("/improvement/actions/")
    rows = page.locator("#object-table tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator("#object-table")).to_contain_text("Capoter la presse 3")
    shoot(page, "journey-action-list")
    _mark_document(page)
    page.locator("input[name=q]").press_sequentially("presse")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Capoter la presse 3")
    assert _same_document(page), "the filter reloaded the whole page"
    assert "q=presse" in page.url


def test_a_process_owner_reports_progress_from_my_actions_on_a_touch_tablet(tablet, browser_world):
    side = browser_world.a
    planned = side.actions[0]
    login(tablet, side.users[Role.PROCESS_OWNER], next="/improvement/mine/")

    shoot(tablet, "journey-my-actions")
    card = tablet.locator(f"#action-{planned.pk}")
    _mark_document(tablet)
    card.get_by_role("button", name="50 %").tap()
    expect(card.locator("button.on")).to_have_text("50 %")
    assert _same_document(tablet), "the progress button reloaded the whole page"

    tablet.goto(planned.get_absolute_url())
    expect(tablet.locator(".status-line")).to_contain_text("50 %")

    tablet.goto("/improvement/mine/")
    card.get_by_role("button", name=re.compile(r"^(Terminé|Done)$")).tap()
    expect(card.locator(".tag.status-done")).to_be_visible()
    planned.refresh_from_db()
    assert (planned.status, planned.progress) == (ActionStatus.DONE, 100)
    tablet.goto(planned.get_absolute_url())
    expect(tablet.locator(".status-line .status-done")).to_be_visible()


def test_a_tap_on_a_card_someone_else_changed_shows_their_value_and_says_so(tablet, browser_world):
    side = browser_world.a
    action = side.actions[1]
    login(tablet, side.users[Role.PROCESS_OWNER], next="/improvement/mine/")
    card = tablet.locator(f"#action-{action.pk}")
    expect(card).to_be_visible()
    # Another user sets 40 % while the card still shows the old value.
    Action.objects.filter(pk=action.pk).update(progress=40, version=action.version + 1)
    _mark_document(tablet)
    card.get_by_role("button", name="75 %").tap()
    expect(card.get_by_role("alert")).to_contain_text("modifiée entre-temps")
    expect(card.locator(".progress-line")).to_contain_text("40 %")
    assert _same_document(tablet), "the conflict reloaded the whole page"
    shoot(tablet, "journey-my-actions-conflict")
    card.get_by_role("button", name="75 %").tap()
    expect(card.locator("button.on")).to_have_text("75 %")
    expect(card.get_by_role("alert")).to_have_count(0)


def test_a_coordinator_moves_a_card_from_plan_to_do_and_the_history_records_it(page, browser_world):
    planned = browser_world.a.actions[0]
    login(page, browser_world.a.users[Role.COORDINATOR], next="/improvement/board/")

    shoot(page, "journey-board")
    card = f"#card-{planned.pk}"
    expect(page.locator(f"[data-stage=plan] {card}")).to_be_visible()
    with page.expect_navigation():
        page.click(f"{card} button[data-move=do]")
    expect(page.locator(f"[data-stage=do] {card}")).to_be_visible()
    expect(page.locator(f"[data-stage=plan] {card}")).to_have_count(0)

    page.goto(planned.get_absolute_url())
    status = page.locator(
        "#history .diff tr", has=page.locator("td", has_text=_label(Action, "status"))
    )
    expect(status.first).to_be_visible()
    cells = status.first.locator("td").all_inner_texts()
    with translation.override("fr"):
        assert cells[1] in ("planned", str(ActionStatus.PLANNED.label)), cells
        assert cells[2] in ("in_progress", str(ActionStatus.IN_PROGRESS.label)), cells


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (180, 60, 40))
    exif = Image.Exif()
    exif[0x010F] = "Tablette atelier"  # Make
    exif.get_ifd(GPS_INFO).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif().get_ifd(GPS_INFO), (
        "the test photo must carry GPS"
    )
    return buffer.getvalue()


def test_a_photo_attached_to_an_action_is_shown_and_downloaded_without_its_gps_position(
    page, browser_world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    action = browser_world.a.actions[1]
    login(page, browser_world.a.users[Role.COORDINATOR], next=action.get_absolute_url())

    page.set_input_files(
        "#attachments input[type=file]",
        files=[
            {"name": "fuite-presse-3.jpg", "mimeType": "image/jpeg", "buffer": _jpeg_with_gps()},
        ],
    )
    page.fill("#attachments input[name=caption]", "Fuite d'huile sous la presse 3")
    with page.expect_navigation():
        page.click("#attachments button")

    image = page.locator("#attachments img")
    expect(image).to_be_visible()
    # decode() waits for the (lazy) image and fails if the browser cannot display it.
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 640
    shoot(page, "journey-action-photo")
    with page.expect_response(re.compile(r"/org/attachments/\d+/$")) as served:
        page.get_by_role("link", name="fuite-presse-3.jpg").click()
    assert served.value.status == 200
    downloaded = Image.open(io.BytesIO(served.value.body()))
    assert downloaded.format == "JPEG" and downloaded.size == (640, 480)
    exif = downloaded.getexif()
    assert GPS_INFO not in exif and not exif.get_ifd(GPS_INFO)
    assert Attachment.objects.get().organization_id == browser_world.a.organization.pk


def test_the_owner_of_a_done_action_waits_for_a_coordinator_who_records_the_check(page, browser_world):
    side = browser_world.a
    done = side.actions[2]  # owned by the process owner
    login(page, side.users[Role.PROCESS_OWNER], next=done.get_absolute_url())
    expect(page.locator("#effectiveness")).to_contain_text("en attente")
    expect(page.get_by_role("button", name="Enregistrer la vérification")).to_have_count(0)
    shoot(page, "journey-effectiveness-owner")

    page.context.clear_cookies()
    login(page, side.users[Role.COORDINATOR], next=done.get_absolute_url())
    page.select_option("#id_result", "effective")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la vérification").click()
    expect(page.locator(".status-line")).to_contain_text("efficace")
    shoot(page, "journey-effectiveness-coordinator")
    done.refresh_from_db()
    assert done.is_closed and done.effectiveness_checked_by == side.users[Role.COORDINATOR]
