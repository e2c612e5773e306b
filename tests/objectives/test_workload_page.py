"""The workload as a coordinator reads it: the busiest people first (their heaviest week, then
their hours over the weeks shown), a page of them at a time, filtered by site, process, owner
or overload; the loads aggregated in one query whatever the number of people, and a page that
no longer grows with them. Every expected load is worked out by hand below."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from improvement.factories import ActionFactory
from objectives import views_pages
from objectives.planning import workload
from qse.factories import MembershipFactory, ProcessFactory, SiteFactory, UserFactory
from qse.roles import Role

D = datetime.date
MONDAY = D(2027, 11, 29)  # an ISO week's Monday, far from the world's own actions


def _person(world, first, last):
    """A member of organization A (the owner filter offers the members)."""
    user = UserFactory(username=f"{first}.{last}".lower(), first_name=first, last_name=last)
    MembershipFactory(user=user, organization=world.a.organization, role=Role.CONTRIBUTOR)
    return user


def _action(world, owner, start, due, hours=None, **extra):
    side = world.a
    return ActionFactory(organization=side.organization, owner=owner, process=extra.pop("process", side.process),
                         site=extra.pop("site", side.site), start_on=start, due_on=due, estimated_hours=hours, **extra)


@pytest.fixture
def people(world):
    """Four owners over three weeks from ``MONDAY``:
    Durand 20 h in week 1 (one action of the whole week);
    Bernard 6 h in week 1 and 10 h in week 2 (peak 10, total 16);
    Chevalier 10 h in week 2 and 2 h in week 3 (peak 10, total 12), on another site;
    Aubert one action without an estimate in week 3 (4 h), of another process."""
    durand, bernard = _person(world, "Alice", "Durand"), _person(world, "Bruno", "Bernard")
    chevalier, aubert = _person(world, "Chloé", "Chevalier"), _person(world, "Denis", "Aubert")
    week = datetime.timedelta(weeks=1)
    _action(world, durand, MONDAY, MONDAY + datetime.timedelta(days=6), "20")
    _action(world, bernard, MONDAY, MONDAY, "6")
    _action(world, bernard, MONDAY + week, MONDAY + week, "10")
    other_site = SiteFactory(organization=world.a.organization, code="LYO", name="Site de Lyon")
    _action(world, chevalier, MONDAY + week, MONDAY + week, "10", site=other_site)
    _action(world, chevalier, MONDAY + 2 * week, MONDAY + 2 * week, "2", site=other_site)
    other_process = ProcessFactory(organization=world.a.organization, code="R2", name="Achats")
    _action(world, aubert, MONDAY + 2 * week, MONDAY + 2 * week, process=other_process)
    return {"durand": durand, "bernard": bernard, "chevalier": chevalier, "aubert": aubert,
            "site": other_site, "process": other_process}


def _owners(data):
    return [(owner, [cell.hours for cell in cells.values()]) for owner, cells in data["cells"].items()]


def test_the_workload_puts_the_busiest_first_and_pages_them_in_one_query(world, people, as_member):
    user = as_member(Role.COORDINATOR)
    workload(user=user, first_monday=MONDAY, weeks=1)  # the membership's sites, read once a request
    with CaptureQueriesContext(connection) as queries:
        first = workload(user=user, first_monday=MONDAY, weeks=3, limit=2)
    assert len(queries.captured_queries) == 1
    assert first["count"] == 4
    assert _owners(first) == [(people["durand"].pk, [20.0]), (people["bernard"].pk, [6.0, 10.0])]
    rest = workload(user=user, first_monday=MONDAY, weeks=3, limit=2, offset=2)
    assert _owners(rest) == [(people["chevalier"].pk, [10.0, 2.0]), (people["aubert"].pk, [4.0])]
    assert rest["count"] == 4
    beyond = workload(user=user, first_monday=MONDAY, weeks=3, limit=2, offset=10)
    assert beyond["cells"] == {} and beyond["count"] == 4


def test_the_workload_keeps_only_the_overloaded_when_asked(world, people, as_member):
    user = as_member(Role.COORDINATOR)
    data = workload(user=user, first_monday=MONDAY, weeks=3, overloaded_only=True)
    assert _owners(data) == [(people["durand"].pk, [20.0])] and data["count"] == 1


def test_the_workload_api_filters_by_site_process_owner_and_pages(client, world, people):
    client.force_login(world.a.users[Role.COORDINATOR])
    url, start = "/api/v1/objectives/workload/", {"start": MONDAY.isoformat(), "weeks": 3}
    everyone = client.get(url, start).json()
    assert [row["owner"] for row in everyone["owners"]] == [people[k].pk for k in ("durand", "bernard", "chevalier", "aubert")]
    assert everyone["count"] == 4
    by_site = client.get(url, {**start, "site": people["site"].pk}).json()
    assert [(row["owner"], row["hours"]) for row in by_site["owners"]] == [(people["chevalier"].pk, [0.0, 10.0, 2.0])]
    by_process = client.get(url, {**start, "process": people["process"].pk}).json()
    assert [(row["owner"], row["unestimated"]) for row in by_process["owners"]] == [(people["aubert"].pk, [0, 0, 1])]
    by_owner = client.get(url, {**start, "owner": people["bernard"].pk}).json()
    assert [row["owner"] for row in by_owner["owners"]] == [people["bernard"].pk]
    second = client.get(url, {**start, "limit": 2, "offset": 2}).json()
    assert [row["owner"] for row in second["owners"]] == [people["chevalier"].pk, people["aubert"].pk]
    overloaded = client.get(url, {**start, "overloaded": "1"}).json()
    assert [row["owner"] for row in overloaded["owners"]] == [people["durand"].pk]
    assert client.get(url, {**start, "site": 999_999}).status_code == 400


def _this_monday():
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def _names_in_rows(html):
    body = html.split('data-testid="workload"', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr><td>([^<]*)</td>", body)


def test_the_workload_page_lists_the_busiest_a_page_at_a_time(client, world, monkeypatch):
    monkeypatch.setattr(views_pages, "WORKLOAD_PER_PAGE", 2)
    monday = _this_monday()
    for first, last, hours in (("Emma", "Roux", "30"), ("Hugo", "Petit", "20"), ("Inès", "Morel", "10")):
        _action(world, _person(world, first, last), monday, monday, hours)
    _action(world, _person(world, "Jules", "Fabre"), monday + datetime.timedelta(weeks=1), monday + datetime.timedelta(weeks=1), "1")
    owner = world.a.users[Role.PROCESS_OWNER]
    owner.first_name, owner.last_name = "Paul", "Pilote"
    owner.save()
    client.force_login(world.a.users[Role.COORDINATOR])
    # The world's process owner has two open actions without an estimate due in 30 days: 8 h.
    page = client.get("/objectives/workload/").content.decode()
    assert _names_in_rows(page) == ["Emma Roux", "Hugo Petit"]
    assert "Page 1 sur 3 (5 personnes)" in page
    assert _names_in_rows(client.get("/objectives/workload/", {"page": 2}).content.decode()) == ["Inès Morel", "Paul Pilote"]
    assert _names_in_rows(client.get("/objectives/workload/", {"page": 3}).content.decode()) == ["Jules Fabre"]
    # A page past the end shows the last one; a filter keeps the overloaded (from 18 h).
    assert _names_in_rows(client.get("/objectives/workload/", {"page": 40}).content.decode()) == ["Jules Fabre"]
    overloaded = client.get("/objectives/workload/", {"overloaded": "1"}).content.decode()
    assert _names_in_rows(overloaded) == ["Emma Roux", "Hugo Petit"] and "Page 1" not in overloaded


def test_the_workload_page_does_not_grow_with_the_people(client, world, monkeypatch):
    monkeypatch.setattr(views_pages, "WORKLOAD_PER_PAGE", 3)
    monday = _this_monday()
    client.force_login(world.a.users[Role.COORDINATOR])

    def add_people(count, offset):
        for index in range(count):
            _action(world, _person(world, f"Prénom{offset + index}", "Porteur"), monday, monday, str(3 + index))

    add_people(3, 0)
    with CaptureQueriesContext(connection) as few:
        small = client.get("/objectives/workload/").content.decode()
    add_people(9, 10)
    with CaptureQueriesContext(connection) as many:
        large = client.get("/objectives/workload/").content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(_names_in_rows(large)) == 3
    # The busiest three of the thirteen (11, 10 and 9 h; the world's process owner has 8):
    # three rows of twelve weeks, whatever the number of people.
    assert _names_in_rows(large) == ["Prénom18 Porteur", "Prénom17 Porteur", "Prénom16 Porteur"]
    for page in (small, large):
        body = page.split('data-testid="workload"', 1)[1].split("</tbody>", 1)[0].split("<tbody>", 1)[1]
        assert body.count("<tr>") == 3 and body.count("<td") == 3 * 13
