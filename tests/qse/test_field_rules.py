"""Field-level rules are one declaration read everywhere: an accident victim's name and a
reporter's phone number reach only who may see people (coordinators and administrators),
on the page, in the history, the CSV and XLSX exports, the filters, the sort keys, the
forms' choices, the import mapping and the API."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import timezone

from nonconformities.choices import EventType
from nonconformities.factories import EventFactory, PersonFactory
from qse.roles import Role

VICTIM = "Jeanne Victimaire"
SECOND = "Paulin Blessé"
PHONE = "06 99 88 77 66"
NOT_ALLOWED = [Role.CONTRIBUTOR, Role.AUDITOR, Role.PROCESS_OWNER, Role.MANAGEMENT]


@pytest.fixture
def accident(world):
    """A work accident whose victim was corrected once (so the history holds both names)."""
    first = PersonFactory(organization=world.a.organization, full_name=SECOND)
    victim = PersonFactory(organization=world.a.organization, full_name=VICTIM)
    event = EventFactory(
        organization=world.a.organization, site=world.a.site, process=world.a.process,
        event_type=EventType.WORK_ACCIDENT, victim=first, reporter_contact=PHONE,
        detected_by=world.a.users[Role.CONTRIBUTOR], owner=world.a.users[Role.PROCESS_OWNER],
        occurred_at=timezone.now(),
    )
    event.victim = victim
    event.reporter_contact = PHONE + " (soir)"
    event.version += 1
    event.save()
    EventFactory(organization=world.a.organization, site=world.a.site, title="Autre événement")
    return event


def _login(client, world, role):
    client.force_login(world.a.users[role])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return " ".join(str(cell.value) for row in book.active.iter_rows() for cell in row)


def assert_hidden(text: str, where: str) -> None:
    for secret in (VICTIM, SECOND, PHONE):
        assert secret not in text, (secret, where)


@pytest.mark.parametrize("role", NOT_ALLOWED)
def test_the_victim_and_the_reporters_phone_appear_nowhere_for_a_role_that_may_not_see_people(
    client, world, accident, role
):
    _login(client, world, role)
    detail = client.get(accident.get_absolute_url())
    assert detail.status_code == 200
    assert 'id="history"' in detail.content.decode()
    assert_hidden(detail.content.decode(), "detail and history")
    listing = client.get("/events/events/", {"victim": accident.victim_id})
    assert_hidden(listing.content.decode(), "list and its filters")
    assert 'name="victim"' not in listing.content.decode()
    assert_hidden(client.get("/events/events/", {"_export": "csv"}).getvalue().decode(), "csv")
    assert_hidden(_xlsx_text(client.get("/events/events/", {"_export": "xlsx"}).getvalue()), "xlsx")
    api = client.get(f"/api/v1/nonconformities/events/{accident.pk}/")
    assert api.status_code == 200
    assert "victim" not in api.json() and "reporter_contact" not in api.json()
    assert_hidden(api.content.decode(), "api")


@pytest.mark.parametrize("role", NOT_ALLOWED)
def test_filtering_and_sorting_by_victim_are_ignored_for_a_role_that_may_not_see_people(
    client, world, accident, role
):
    _login(client, world, role)
    everything = client.get("/api/v1/nonconformities/events/").json()["results"]
    by_victim = client.get("/api/v1/nonconformities/events/", {"victim": accident.victim_id}).json()["results"]
    assert len(by_victim) == len(everything) > 1  # the filter is no filter: no oracle on who the victim is
    for ordering in ("victim", "-victim", "victim__full_name", "reporter_contact"):
        sorted_api = client.get("/api/v1/nonconformities/events/", {"ordering": ordering})
        assert [e["id"] for e in sorted_api.json()["results"]] == [e["id"] for e in everything], ordering
    plain = client.get("/events/events/").content.decode()
    for sort in ("victim", "-victim", "reporter_contact"):
        assert client.get("/events/events/", {"sort": sort}).content.decode().count("<tr") == plain.count("<tr")
    reference_order = _rows(client.get("/events/events/", {"_export": "csv"}).getvalue().decode())
    assert _rows(client.get("/events/events/", {"_export": "csv", "sort": "victim"}).getvalue().decode()) == reference_order


def _rows(text: str) -> list[str]:
    return text.splitlines()


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.PROCESS_OWNER])
def test_forms_and_the_import_mapping_offer_no_victim_to_a_role_that_may_not_see_people(client, world, accident, role):
    _login(client, world, role)
    form = client.get("/events/events/add/").content.decode()
    assert 'name="victim"' not in form and 'name="reporter_contact"' not in form
    assert_hidden(form, "add form")


def test_the_coordinator_sees_the_victim_on_the_page_in_the_history_and_in_the_api(client, world, accident):
    _login(client, world, Role.COORDINATOR)
    page = client.get(accident.get_absolute_url()).content.decode()
    history = page[page.index('id="history"'):]
    assert VICTIM in history and SECOND in history
    assert PHONE in page
    api = client.get(f"/api/v1/nonconformities/events/{accident.pk}/").json()
    assert api["victim"] == accident.victim_id and api["reporter_contact"] == PHONE + " (soir)"
    ordered = client.get("/api/v1/nonconformities/events/", {"ordering": "-victim"}).json()["results"]
    # PostgreSQL sorts the events without a victim first, descending: the accident (the newest
    # event, first by default) comes last.
    assert ordered[-1]["id"] == accident.pk


def test_history_hides_the_name_of_a_related_record_the_viewer_may_not_see(client, world):
    """Beyond declared fields: a record behind a foreign key the viewer may not open (here an
    event of a site the member is not limited to) is not named in the history."""
    from qse.factories import SiteFactory
    from qse.models import Membership

    other_site = SiteFactory(organization=world.a.organization, code="ALP9", name="Site neuf")
    hidden = EventFactory(organization=world.a.organization, site=other_site, title="Fuite confidentielle")
    event = EventFactory(organization=world.a.organization, site=world.a.site, title="Fuite visible")
    event.recurrence_of = hidden
    event.version += 1
    event.save()
    auditor = world.a.users[Role.AUDITOR]
    Membership.objects.get(user=auditor, organization=world.a.organization).sites.add(world.a.site)
    _login(client, world, Role.AUDITOR)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Fuite visible" in page
    assert "Fuite confidentielle" not in page


@pytest.mark.parametrize(("role", "shown"), [(Role.CONTRIBUTOR, False), (Role.PROCESS_OWNER, False),
                                             (Role.COORDINATOR, True)])
def test_the_event_sheet_pdf_names_the_victim_only_for_who_may_see_people(world, accident, as_member, role, shown):
    from django.template.loader import render_to_string

    from nonconformities.reports import event_sheet_context

    user = as_member(role)
    html = render_to_string("nonconformities/pdf/event_sheet.html",
                            event_sheet_context(accident, user, today=timezone.localdate()))
    assert (VICTIM in html) is shown
    assert PHONE not in html or shown
