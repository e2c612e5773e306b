"""The main pages at the coordinator's desktop size and on the workshop tablet: nothing
overflows the screen, every control is big enough for a finger, and a screenshot of each
page lands in /tmp/qse-shots for a person to look at."""

from __future__ import annotations

import datetime

import pytest

from improvement.choices import ActionStatus, Priority
from improvement.factories import ActionFactory
from qse.roles import Role
from tests.browser.conftest import login, shoot

FINGER = 44  # px: minimum touch target (WCAG 2.5.5, Apple and Material guidelines)

TOO_SMALL = """(finger) => [...document.querySelectorAll(
    'button, .button, select, textarea, input:not([type=hidden]):not([type=checkbox]):not([type=radio]),'
    + ' .sidebar a, .topbar a')]
  .map((e) => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => !e.closest('[aria-hidden="true"]'))  // honeypots are not for fingers
  .filter(([e, r]) => r.width > 0 && r.height > 0 && (r.width < finger || r.height < finger))
  .map(([e, r]) => `${Math.round(r.width)}x${Math.round(r.height)} ${e.outerHTML.slice(0, 90)}`)"""

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _a_working_plan(side) -> None:
    """What a coordinator's list looks like after a few weeks: late, urgent, half-done actions."""
    today = datetime.date.today()
    coordinator = side.users[Role.COORDINATOR]
    rows = [
        (
            "Mettre à jour le Document unique de l'atelier peinture",
            ActionStatus.PLANNED,
            Priority.CRITICAL,
            -12,
            0,
        ),
        (
            "Former les caristes au nouveau plan de circulation",
            ActionStatus.IN_PROGRESS,
            Priority.HIGH,
            9,
            50,
        ),
        (
            "Remplacer le dégraissant chloré par un produit aqueux",
            ActionStatus.IN_PROGRESS,
            Priority.NORMAL,
            -3,
            75,
        ),
        ("Étalonner les manomètres de la ligne 2", ActionStatus.DONE, Priority.LOW, 20, 100),
    ]
    for title, status, priority, days, progress in rows:
        ActionFactory(
            organization=side.organization,
            plan=side.plan,
            process=side.process,
            site=side.site,
            owner=coordinator,
            title=title,
            status=status,
            priority=priority,
            due_on=today + datetime.timedelta(days=days),
            progress=progress,
        )


def _check(page, name: str, *, touch: bool) -> None:
    assert page.evaluate(OVERFLOW) <= 0, f"{name}: the page scrolls sideways"
    if touch:
        small = page.evaluate(TOO_SMALL, FINGER)
        assert not small, f"{name}: controls smaller than {FINGER}px:\n" + "\n".join(small)
    shoot(page, name)


@pytest.mark.parametrize("device", ["page", "tablet"])
def test_the_main_pages_fit_the_screen_and_keep_controls_finger_sized_on_the_tablet(
    device, request, browser_world
):
    page = request.getfixturevalue(device)
    touch = device == "tablet"
    side = browser_world.a
    _a_working_plan(side)

    page.goto("/accounts/login/")
    _check(page, "login", touch=touch)
    login(page, side.users[Role.COORDINATOR])
    _check(page, "todo", touch=touch)  # the coordinator's home
    page.goto("/improvement/")
    page.locator(".chart .plot-container").first.wait_for()
    _check(page, "dashboard", touch=touch)
    for name, url in (
        ("action-list", "/improvement/actions/"),
        ("action-detail", side.actions[1].get_absolute_url()),
        ("action-form", "/improvement/actions/add/"),
        ("board", "/improvement/board/"),
        ("my-actions", "/improvement/mine/"),
    ):
        page.goto(url)
        _check(page, name, touch=touch)
