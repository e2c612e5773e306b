"""The event form asks for the fields of the event's type (expectations written by hand, not
read from nonconformities/event_fields.py), keeps nothing of what the type does not use, and
shows the similar past events right under the title and description."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from nonconformities.choices import EventType
from nonconformities.factories import EventFactory
from nonconformities.models import Event
from qse.roles import Role

ACCIDENT = {"victim", "lost_time", "days_lost", "declared_on"}
THIRD_PARTY = {"supplier", "third_party", "third_party_reference"}
COSTS = {"cost_scrap", "cost_rework", "cost_downtime", "cost_penalties", "cost_other"}
PRODUCT = {"product", "quantity_affected"}
REQUIREMENT = {"requirement_kind", "requirement"}

# type -> (fields shown, fields hidden), by hand.
TABLE = [
    (EventType.WORK_ACCIDENT, ACCIDENT, THIRD_PARTY | COSTS | PRODUCT | REQUIREMENT),
    (EventType.OCCUPATIONAL_DISEASE, ACCIDENT, THIRD_PARTY | COSTS),
    (EventType.CUSTOMER_COMPLAINT, THIRD_PARTY | COSTS | PRODUCT | REQUIREMENT, ACCIDENT),
    (EventType.SUPPLIER_NC, THIRD_PARTY | COSTS | PRODUCT, ACCIDENT),
    (EventType.INTERNAL_NC, COSTS | PRODUCT | REQUIREMENT, ACCIDENT | THIRD_PARTY),
    (EventType.NEAR_MISS, PRODUCT, ACCIDENT | THIRD_PARTY | COSTS),
    (EventType.AUDIT_FINDING, REQUIREMENT, ACCIDENT | THIRD_PARTY | COSTS),
]
ALWAYS = {"event_type", "title", "description", "occurred_at", "detected_on", "site", "process", "severity", "owner"}


def _hidden_fields(html: str) -> set[str]:
    """Names of the fields whose wrapper is rendered ``hidden``."""
    return set(re.findall(r'<div class="field[^"]*" data-field-group="[a-z_]+" hidden>\s*<label for="id_([a-z_]+)"', html))


@pytest.mark.parametrize("event_type, shown, hidden", TABLE)
def test_the_edit_form_shows_the_fields_of_the_events_type_only(client, world, event_type, shown, hidden):
    event = EventFactory(organization=world.a.organization, event_type=event_type, owner=world.user())
    client.force_login(world.user())
    html = client.get(reverse("nonconformities:event_edit", args=[event.pk])).content.decode()
    rendered_hidden = _hidden_fields(html)
    assert hidden <= rendered_hidden
    assert not (shown | ALWAYS) & rendered_hidden
    for name in shown | hidden | ALWAYS:
        assert f'name="{name}"' in html, name  # hidden fields are still there for the script to show


def test_a_new_form_hides_nothing_until_a_type_is_chosen(client, world):
    client.force_login(world.user())
    assert not _hidden_fields(client.get(reverse("nonconformities:event_add")).content.decode())


def test_saving_keeps_nothing_the_type_does_not_use(client, world):
    client.force_login(world.user())
    base = {"title": "Réclamation Renault", "description": "Carters rayés", "occurred_at": "2026-11-20T08:30",
            "detected_on": "2026-11-20", "detection_method": "customer", "severity": 2, "cost_rework": "0",
            "cost_downtime": "0", "cost_penalties": "0", "cost_other": "0"}
    complaint = {**base, "event_type": EventType.CUSTOMER_COMPLAINT, "third_party": "Renault Trucks",
                 "cost_scrap": "50", "lost_time": "on", "days_lost": "3"}
    assert client.post(reverse("nonconformities:event_add"), complaint).status_code == 302
    event = Event.objects.get(title="Réclamation Renault")
    assert (event.third_party, event.cost_scrap, event.lost_time, event.days_lost) == (
        "Renault Trucks", Decimal("50"), False, 0)
    near_miss = {**complaint, "event_type": EventType.NEAR_MISS, "version": event.version, "days_lost": "0"}
    assert client.post(reverse("nonconformities:event_edit", args=[event.pk]), near_miss).status_code == 302
    event.refresh_from_db()
    assert (event.third_party, event.cost_scrap, event.cost_total) == ("", Decimal("0"), Decimal("0"))


def test_an_edit_that_keeps_the_type_leaves_stored_values_of_unused_fields_alone(client, world):
    """An imported register may hold a supplier on an internal nonconformity: editing the title
    must not wipe what the form did not show."""
    event = EventFactory(organization=world.a.organization, event_type=EventType.INTERNAL_NC, owner=world.user(),
                         third_party="Fonderie Dupuis", title="Avant")
    client.force_login(world.user())
    data = {"event_type": EventType.INTERNAL_NC, "title": "Après", "description": event.description,
            "occurred_at": "2026-11-20T08:30", "detected_on": "2026-11-20", "detection_method": "other",
            "severity": 2, "cost_scrap": "0", "cost_rework": "0", "cost_downtime": "0", "cost_penalties": "0",
            "cost_other": "0", "days_lost": "0", "owner": world.user().pk, "version": event.version}
    assert client.post(reverse("nonconformities:event_edit", args=[event.pk]), data).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.third_party) == ("Après", "Fonderie Dupuis")


def test_the_similar_events_panel_comes_right_after_the_title_and_description(client, world):
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    html = client.get(reverse("nonconformities:event_add")).content.decode()
    description, panel, occurred = (html.index('name="description"'), html.index('id="similar-events"'),
                                    html.index('name="occurred_at"'))
    assert description < panel < occurred
    assert "<script>" not in html.split('id="content"')[1]  # no inline script (Content-Security-Policy)
    assert "nonconformities/event_form.js" in html
