"""Generic page and API tests for events, people and hours worked (data only), plus the
event page, immediate actions, workflow buttons, linked actions and the triage queue."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement.choices import ActionOriginKind
from improvement.models import Action
from nonconformities.choices import EventStatus, EventType, ReportChannel
from nonconformities.factories import (
    EventFactory,
    HoursWorkedFactory,
    PersonFactory,
    RootCauseFactory,
)
from nonconformities.models import Event, HoursWorked, ImmediateAction
from nonconformities.views_events import EventViews, HoursWorkedViews, PersonViews
from qse.roles import Role
from qse.testing import ObjectViewsTestCase, count_queries

MONTHS = itertools.count(0)


def _event(side, **extra):
    extra.setdefault("owner", side.users.get(Role.PROCESS_OWNER) or side.users[Role.COORDINATOR])
    return EventFactory(organization=side.organization, site=side.site, process=side.process,
                        title=f"{side.organization.name} · écart {Event.objects.count()}", **extra)


class TestEventViews(ObjectViewsTestCase):
    declaration = EventViews
    edit = ("title", "Bavure sur alésage Ø32 H7")
    detail_query_budget = 40

    def make(self, world, side):
        return _event(side)

    def form_data(self, world):
        return {
            "event_type": EventType.INTERNAL_NC, "title": "Rayure sur face d'appui", "description": "Rayure 2 mm",
            "occurred_at": "2026-11-20T08:30", "detected_on": "2026-11-20", "site": world.a.site.pk,
            "process": world.a.process.pk, "detection_method": "inspection", "severity": 2,
            "cost_scrap": "120.50", "cost_rework": "0", "cost_downtime": "0", "cost_penalties": "0",
            "cost_other": "0", "days_lost": "0",
        }

    def import_rows(self, world):
        return [
            {"Type": "internal_nc", "Titre": f"Écart importé {i}", "Description": "Registre Excel 2025",
             "occurred_at": f"2025-06-0{i + 1} 10:00", "detected_on": f"0{i + 1}/06/2025", "Site": world.a.site.code,
             "Gravité": "3"}
            for i in range(3)
        ]


class TestPersonViews(ObjectViewsTestCase):
    declaration = PersonViews
    edit = ("full_name", "Jean Dupont")

    def make(self, world, side):
        return PersonFactory(organization=side.organization, site=side.site)

    def form_data(self, world):
        return {"full_name": "Marie Curie", "employee_number": "M-042", "job_title": "Régleuse", "site": world.a.site.pk}


class TestHoursWorkedViews(ObjectViewsTestCase):
    declaration = HoursWorkedViews
    edit = ("hours", Decimal("12345.5"))

    def make(self, world, side):
        month = datetime.date(2020, 1, 1) + datetime.timedelta(days=31 * next(MONTHS))
        return HoursWorkedFactory(site=side.site, month=month.replace(day=1))

    def form_data(self, world):
        month = datetime.date(2010, 1, 1) + datetime.timedelta(days=31 * next(MONTHS))
        return {"site": world.a.site.pk, "month": month.replace(day=17).isoformat(), "hours": "11800"}

    def import_rows(self, world):
        return [{"site": world.a.site.code, "month": f"15/0{i + 1}/2015", "hours": "5500"} for i in range(3)]


# --- event page -----------------------------------------------------------------------------

def test_hours_are_stored_on_the_first_day_of_the_month(client, world):
    client.force_login(world.user())
    response = client.post(reverse("nonconformities:hoursworked_add"),
                           {"site": world.a.site.pk, "month": "2026-03-17", "hours": "12000"})
    assert response.status_code == 302
    assert HoursWorked.objects.get(organization=world.a.organization).month == datetime.date(2026, 3, 1)


def test_creating_through_the_page_numbers_the_event(client, world):
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    response = client.post(reverse("nonconformities:event_add"), TestEventViews().form_data(world))
    assert response.status_code == 302
    event = Event.objects.get(title="Rayure sur face d'appui")
    assert event.reference == f"EV-{timezone.localdate().year}-0001"
    assert event.detected_by == world.a.users[Role.CONTRIBUTOR] and event.channel == ReportChannel.APP


def test_the_form_looks_for_similar_events_as_the_user_types(client, world):
    client.force_login(world.user())
    page = client.get(reverse("nonconformities:event_add")).content.decode()
    assert reverse("nonconformities:event_similar") in page and "keyup changed delay:600ms" in page
    assert 'name="recurrence_of"' in page


def test_the_event_page_groups_fields_costs_and_offers_the_pdf(client, world):
    event = world.a.event
    Event.objects.filter(pk=event.pk).update(cost_scrap=100, cost_rework=50.5)
    client.force_login(world.user())
    page = client.get(event.get_absolute_url()).content.decode()
    assert "150,50" in page or "150.50" in page
    assert reverse("qse:report_request", args=["nonconformities.event_sheet", event.pk]) in page
    assert 'id="immediate-actions"' in page and 'id="event-actions"' in page


def test_the_victim_is_shown_only_to_those_who_may_see_people(client, world):
    victim = PersonFactory(organization=world.a.organization, full_name="Paul Lemaire")
    event = _event(world.a, event_type=EventType.WORK_ACCIDENT, victim=victim, lost_time=True, days_lost=3,
                   declaration_due_at=timezone.now() - datetime.timedelta(hours=2))
    client.force_login(world.user())
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Paul Lemaire" in page and "tag late" in page
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Paul Lemaire" not in page
    assert 'name="victim"' not in client.get(reverse("nonconformities:event_edit", args=[event.pk])).content.decode()
    assert "victim" not in client.get(f"/api/v1/nonconformities/events/{event.pk}/").json()


def test_an_immediate_action_is_added_inline(client, world):
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    url = reverse("nonconformities:immediate_action_add", args=[world.a.event.pk])
    response = client.post(url, {"description": "Lot 2611 bloqué", "done_at": "2026-11-20T10:00"},
                           headers={"HX-Request": "true", "HX-Target": "immediate-actions"})
    assert response.status_code == 200 and "Lot 2611 bloqué" in response.content.decode()
    item = ImmediateAction.objects.get(event=world.a.event)
    assert item.done_by == world.a.users[Role.CONTRIBUTOR] and item.organization == world.a.organization
    client.force_login(world.b.users[Role.COORDINATOR])
    assert client.post(url, {"description": "x", "done_at": "2026-11-20T10:00"}).status_code == 404


def test_a_refused_step_is_shown_as_a_clear_message(client, world):
    event = world.a.event
    Event.objects.filter(pk=event.pk).update(status=EventStatus.ANALYSIS)
    client.force_login(world.user())
    url = reverse("nonconformities:event_transition", args=[event.pk])
    response = client.post(url, {"status": EventStatus.TREATMENT}, follow=True)
    assert "Record at least one root cause" in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.ANALYSIS
    client.force_login(world.b.users[Role.COORDINATOR])
    assert client.post(url, {"status": EventStatus.TREATMENT}).status_code == 404


def test_an_action_created_from_the_event_has_it_as_origin(client, world):
    client.force_login(world.user())
    url = reverse("nonconformities:event_action_create", args=[world.a.event.pk])
    cause = RootCauseFactory(event=world.a.event)
    response = client.post(url, {"title": "Ajouter un ébavurage à la gamme", "owner": world.user().pk,
                                 "due_on": "2026-12-31", "effectiveness_criterion": "0 bavure sur 3 mois",
                                 "purpose": "preventive", "root_cause": cause.pk})
    assert response.status_code == 302
    action = Action.objects.get(title="Ajouter un ébavurage à la gamme")
    assert action.origin == world.a.event and action.origin_kind == ActionOriginKind.NONCONFORMITY
    assert (action.event_link.purpose, action.event_link.root_cause) == ("preventive", cause)
    other_cause = RootCauseFactory(event=_event(world.a))
    refused = client.post(url, {"title": "x", "owner": world.user().pk, "due_on": "2026-12-31",
                                "purpose": "corrective", "root_cause": other_cause.pk})
    assert refused.status_code == 400
    assert action.title in client.get(world.a.event.get_absolute_url()).content.decode()


def test_the_api_moves_the_event_under_the_guards(client, world):
    client.force_login(world.user())
    url = f"/api/v1/nonconformities/events/{world.a.event.pk}/transition/"
    assert client.post(url, {"status": "analysis"}, content_type="application/json").status_code == 200
    refused = client.post(url, {"status": "treatment"}, content_type="application/json")
    assert refused.status_code == 400 and "root cause" in refused.content.decode()
    theirs = f"/api/v1/nonconformities/events/{world.b.event.pk}/transition/"
    assert client.post(theirs, {"status": "analysis"}, content_type="application/json").status_code == 404


# --- triage ---------------------------------------------------------------------------------

def test_the_triage_queue_accepts_and_rejects_reported_events(client, world):
    reported = [_event(world.a, status=EventStatus.REPORTED, owner=None) for _ in range(2)]
    theirs = _event(world.b, status=EventStatus.REPORTED)
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    assert client.get(reverse("nonconformities:event_triage")).status_code == 403
    client.force_login(world.user())
    page = client.get(reverse("nonconformities:event_triage")).content.decode()
    assert all(event.title in page for event in reported) and theirs.title not in page
    url = reverse("nonconformities:event_triage")
    client.post(url, {"event": reported[0].pk, "decision": "accept", "owner": world.user().pk,
                      "process": world.a.process.pk})
    client.post(url, {"event": reported[1].pk, "decision": "reject", "reason": ""})
    client.post(url, {"event": reported[1].pk, "decision": "reject", "reason": "Doublon de EV-2026-0003"})
    reported[0].refresh_from_db()
    reported[1].refresh_from_db()
    assert (reported[0].status, reported[0].owner) == (EventStatus.OPEN, world.user())
    assert (reported[1].status, reported[1].rejection_reason) == (EventStatus.REJECTED, "Doublon de EV-2026-0003")
    assert client.post(url, {"event": theirs.pk, "decision": "accept"}).status_code == 404


@pytest.mark.parametrize("role, sees_the_link", [
    (Role.ADMIN, True), (Role.COORDINATOR, True), (Role.MANAGEMENT, False), (Role.PROCESS_OWNER, False),
    (Role.CONTRIBUTOR, False),
])
def test_the_triage_link_shows_to_the_roles_that_may_triage(client, world, role, sees_the_link):
    client.force_login(world.a.users[role])
    page = client.get(reverse("nonconformities:event_list")).content.decode()
    assert (reverse("nonconformities:event_triage") in page) is sees_the_link


def test_the_event_page_costs_the_same_queries_for_3_or_30_related_rows(client, world):
    from improvement.factories import ActionFactory
    from nonconformities.factories import ImmediateActionFactory, RootCauseFactory

    event = world.a.event
    client.force_login(world.user())

    def add(count):
        for index in range(count):
            ImmediateActionFactory(event=event, done_by=world.user(), description=f"Confinement {index}")
            RootCauseFactory(event=event, description=f"Cause {index}")
            action = ActionFactory(organization=world.a.organization, owner=world.user(), title=f"Action {index}",
                                   origin_kind=ActionOriginKind.NONCONFORMITY)
            Action.objects.filter(pk=action.pk).update(origin_type_id=_event_type_id(), origin_id=event.pk)

    add(3)
    few = count_queries(lambda: client.get(event.get_absolute_url()))
    add(27)
    many = count_queries(lambda: client.get(event.get_absolute_url()))
    assert many == few, (few, many)


def _event_type_id():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Event).pk


def test_the_register_costs_the_same_queries_for_3_or_30_events(client, world):
    client.force_login(world.user())
    url = reverse("nonconformities:event_list")
    for _ in range(2):
        _event(world.a, victim=PersonFactory(organization=world.a.organization), recurrence_of=world.a.event)
    few = count_queries(lambda: client.get(url, {"status": "open", "q": "écart"}))
    for _ in range(27):
        _event(world.a, victim=PersonFactory(organization=world.a.organization), recurrence_of=world.a.event)
    many = count_queries(lambda: client.get(url, {"status": "open", "q": "écart"}))
    assert many == few, (few, many)
    csv_text = client.get(url, {"_export": "csv"}).getvalue().decode()
    assert csv_text.count("\n") >= 31


def test_the_register_filters_by_type_status_site_severity_and_period(client, world):
    _event(world.a, event_type=EventType.NEAR_MISS, severity=3)
    client.force_login(world.user())
    url = reverse("nonconformities:event_list")
    today = timezone.localdate()
    page = client.get(url, {"event_type": "near_miss", "status": "open", "site": world.a.site.pk, "severity": 3,
                            "occurred_from": (today - datetime.timedelta(days=10)).isoformat(),
                            "occurred_to": today.isoformat()}).content.decode()
    assert "écart" in page and world.a.event.title not in page


def test_the_triage_queue_costs_the_same_queries_for_3_or_30_events(client, world):
    client.force_login(world.user())
    url = reverse("nonconformities:event_triage")
    for _ in range(3):
        _event(world.a, status=EventStatus.REPORTED, owner=None)
    few = count_queries(lambda: client.get(url))
    for _ in range(27):
        _event(world.a, status=EventStatus.REPORTED, owner=None)
    many = count_queries(lambda: client.get(url))
    assert many == few, (few, many)


def test_an_event_created_through_the_api_is_numbered_and_marked_as_such(client, world):
    client.force_login(world.a.users[Role.AUDITOR])
    data = {**TestEventViews().form_data(world), "occurred_at": "2026-11-20T08:30:00+01:00"}
    response = client.post("/api/v1/nonconformities/events/", data, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("EV-") and body["channel"] == ReportChannel.API
    assert body["status"] == EventStatus.OPEN and Decimal(str(body["cost_total"])) == Decimal("120.50")
    refused = client.post("/api/v1/nonconformities/events/", {**data, "detected_on": "2026-11-19"},
                          content_type="application/json")
    assert refused.status_code == 400 and "detected_on" in refused.json()


def test_the_triage_link_shows_for_coordinators_only(client, world):
    client.force_login(world.user())
    assert reverse("nonconformities:event_triage") in client.get(reverse("nonconformities:event_list")).content.decode()
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert reverse("nonconformities:event_triage") not in client.get(reverse("nonconformities:event_list")).content.decode()
