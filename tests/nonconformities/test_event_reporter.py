"""The reporter of an event: theirs until it is taken in charge, then read and add information.
``detected_by`` is who recorded the event, never a field a form or the API may set."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nonconformities import services
from nonconformities.choices import EventStatus, EventType, Severity
from nonconformities.models import Event
from qse.roles import Role

FORM = {
    "event_type": EventType.INTERNAL_NC, "title": "Carter rayé", "description": "Rayure sur la face d'appui",
    "occurred_at": "2026-11-20T08:30", "detected_on": "2026-11-20", "detection_method": "operator",
    "severity": Severity.MAJOR, "cost_scrap": "0", "cost_rework": "0", "cost_downtime": "0", "cost_penalties": "0",
    "cost_other": "0", "days_lost": "0",
}


def _reported_by_contributor(client, world) -> Event:
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.post(reverse("nonconformities:event_add"), {**FORM, "process": world.a.process.pk}).status_code == 302
    return Event.objects.get(title="Carter rayé")


def _take_in_charge(event, world):
    Event.objects.filter(pk=event.pk).update(owner=world.a.users[Role.PROCESS_OWNER])
    event.refresh_from_db()


def test_the_reporter_corrects_their_event_until_it_is_taken_in_charge(client, world):
    event = _reported_by_contributor(client, world)
    edit = reverse("nonconformities:event_edit", args=[event.pk])
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'href="edit/"' in page
    assert client.post(edit, {**FORM, "severity": Severity.MINOR, "version": event.version}).status_code == 302
    event.refresh_from_db()
    assert event.severity == Severity.MINOR


def test_once_taken_in_charge_the_reporter_may_not_lower_the_severity_take_it_back_or_reject_it(client, world):
    event = _reported_by_contributor(client, world)
    _take_in_charge(event, world)
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'href="edit/"' not in page and 'id="workflow"' not in page
    edit = reverse("nonconformities:event_edit", args=[event.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {**FORM, "severity": Severity.MINOR, "version": event.version}).status_code == 403
    refused = client.post(reverse("nonconformities:event_transition", args=[event.pk]),
                          {"status": EventStatus.REJECTED, "reason": "Doublon", "version": event.version}, follow=True)
    assert "You are not allowed to do this." in refused.content.decode()
    api = f"/api/v1/nonconformities/events/{event.pk}/"
    assert client.patch(api, {"severity": Severity.MINOR, "version": event.version},
                        content_type="application/json").status_code == 403
    event.refresh_from_db()
    assert (event.severity, event.status) == (Severity.MAJOR, EventStatus.OPEN)


def test_the_person_in_charge_and_the_process_owner_carry_the_event_on(client, world):
    event = _reported_by_contributor(client, world)
    _take_in_charge(event, world)
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    response = client.post(reverse("nonconformities:event_transition", args=[event.pk]),
                           {"status": EventStatus.ANALYSIS, "version": event.version})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.ANALYSIS


def test_the_reporter_adds_information_after_triage_and_it_is_in_the_history(client, world):
    event = _reported_by_contributor(client, world)
    _take_in_charge(event, world)
    page = client.get(event.get_absolute_url()).content.decode()
    url = reverse("nonconformities:event_add_information", args=[event.pk])
    assert url in page
    client.post(url, {"text": "Le même défaut apparaît sur le lot 2612."}, follow=True)
    page = client.get(event.get_absolute_url()).content.decode()
    history = page[page.index('id="history"'):]
    assert "Le même défaut apparaît sur le lot 2612." in history
    api = client.post(f"/api/v1/nonconformities/events/{event.pk}/information/", {"text": "Photo envoyée au QSE."},
                      content_type="application/json")
    assert api.status_code == 200
    assert "Photo envoyée au QSE." in client.get(event.get_absolute_url()).content.decode()


def test_information_is_refused_to_who_neither_reported_nor_may_change_the_event_and_after_closure(
        client, world, as_member):
    event = world.a.event
    client.force_login(world.a.users[Role.AUDITOR])
    url = reverse("nonconformities:event_add_information", args=[event.pk])
    assert url not in client.get(event.get_absolute_url()).content.decode()
    refused = client.post(url, {"text": "Rien"}, follow=True)
    assert "You are not allowed to do this." in refused.content.decode()
    assert client.post(f"/api/v1/nonconformities/events/{event.pk}/information/", {"text": "Rien"},
                       content_type="application/json").status_code == 403
    with pytest.raises(PermissionDenied):
        services.event_add_information(event=event, acting_user=as_member(Role.CONTRIBUTOR), text="Rien")
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CLOSED)
    event.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.event_add_information(event=event, acting_user=as_member(Role.COORDINATOR), text="Trop tard")


def test_the_reporter_is_the_acting_user_whatever_the_form_or_the_api_sends(client, world):
    contributor, auditor = world.a.users[Role.CONTRIBUTOR], world.a.users[Role.AUDITOR]
    client.force_login(contributor)
    page = client.get(reverse("nonconformities:event_add")).content.decode()
    assert 'name="detected_by"' not in page
    client.post(reverse("nonconformities:event_add"), {**FORM, "detected_by": auditor.pk})
    assert Event.objects.get(title="Carter rayé").detected_by == contributor
    created = client.post("/api/v1/nonconformities/events/", {**FORM, "title": "Par l'API", "detected_by": auditor.pk},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["detected_by"] == contributor.pk
    event = Event.objects.get(title="Par l'API")
    assert event.detected_by == contributor
    client.force_login(world.user())
    patched = client.patch(f"/api/v1/nonconformities/events/{event.pk}/",
                           {"detected_by": auditor.pk, "version": event.version}, content_type="application/json")
    assert patched.status_code == 200
    event.refresh_from_db()
    assert event.detected_by == contributor


def test_the_reporter_cannot_name_themselves_in_charge_to_keep_the_event(client, world, as_member):
    contributor = world.a.users[Role.CONTRIBUTOR]
    client.force_login(contributor)
    assert 'name="owner"' not in client.get(reverse("nonconformities:event_add")).content.decode()
    refused = client.post("/api/v1/nonconformities/events/", {**FORM, "owner": contributor.pk},
                          content_type="application/json")
    assert refused.status_code == 400 and "owner" in refused.json()
    event = _reported_by_contributor(client, world)
    assert 'name="owner"' not in client.get(reverse("nonconformities:event_edit", args=[event.pk])).content.decode()
    patched = client.patch(f"/api/v1/nonconformities/events/{event.pk}/", {"owner": contributor.pk,
                           "version": event.version}, content_type="application/json")
    assert patched.status_code == 400
    event.refresh_from_db()
    assert event.owner is None
    # The coordinator (triage) and the process owner name the person in charge.
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    assert 'name="owner"' in client.get(reverse("nonconformities:event_edit", args=[event.pk])).content.decode()
    handed = client.patch(f"/api/v1/nonconformities/events/{event.pk}/", {
        "owner": world.a.users[Role.PROCESS_OWNER].pk, "version": event.version}, content_type="application/json")
    assert handed.status_code == 200
