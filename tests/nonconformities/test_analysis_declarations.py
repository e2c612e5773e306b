"""The 8D and A3 pages and API through the generic declaration tests, plus the 8D page's
step controls and the advance endpoint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nonconformities.factories import A3ReportFactory, EightDFactory, EventFactory
from nonconformities.views_analysis import A3ReportViews, EightDViews
from qse.roles import Role
from qse.testing import ObjectViewsTestCase


def _event_every_adder_may_analyse(world):
    """Starting an 8D or an A3 takes the right to change its event: this one is management's (in
    charge) and on the process owner's process, so every role that may add one may start it here."""
    return EventFactory(organization=world.a.organization, process=world.a.process,
                        owner=world.a.users[Role.MANAGEMENT])


class TestEightDViews(ObjectViewsTestCase):
    declaration = EightDViews
    edit = ("external_members", "M. Laurent (SQA client)")

    def make(self, world, side):
        owner = side.users.get(Role.PROCESS_OWNER) or side.users[Role.COORDINATOR]
        event = EventFactory(organization=side.organization, site=side.site, process=side.process, owner=owner)
        return EightDFactory(event=event, champion=owner, leader=owner)

    def form_data(self, world):
        user = world.a.users[Role.PROCESS_OWNER]
        event = _event_every_adder_may_analyse(world)
        return {"event": event.pk, "champion": user.pk, "leader": user.pk, "team": [world.a.users[Role.AUDITOR].pk],
                "external_members": "Client"}


class TestA3ReportViews(ObjectViewsTestCase):
    declaration = A3ReportViews
    edit = ("goal", "Rebut sous 1 %")

    def make(self, world, side):
        owner = side.users.get(Role.PROCESS_OWNER) or side.users[Role.COORDINATOR]
        event = EventFactory(organization=side.organization, site=side.site, process=side.process, owner=owner)
        return A3ReportFactory(event=event, owner=owner, goal="Objectif")

    def form_data(self, world):
        event = _event_every_adder_may_analyse(world)
        return {"event": event.pk, "owner": world.a.users[Role.PROCESS_OWNER].pk, "goal": "Objectif"}


def test_the_8d_page_says_what_blocks_the_step_and_the_button_completes_it_when_allowed(client, world):
    eightd = EightDFactory(event=world.a.event, champion=world.user(), leader=world.user())
    client.force_login(world.user())
    page = client.get(eightd.get_absolute_url()).content.decode()
    assert "Describe the emergency response" in page and "disabled" in page
    advance = reverse("nonconformities:eightd_advance", args=[eightd.pk])
    client.post(advance)
    eightd.refresh_from_db()
    assert eightd.step == 0
    type(eightd).objects.filter(pk=eightd.pk).update(emergency_response="Stock bloqué")
    assert client.post(advance, {"version": eightd.version}).status_code == 302
    eightd.refresh_from_db()
    assert eightd.step == 1 and eightd.d0_done_on is not None


def test_the_api_advances_an_8d_under_the_same_guards(client, world):
    eightd = EightDFactory(event=world.a.event, champion=world.user(), leader=world.user())
    client.force_login(world.user())
    url = f"/api/v1/nonconformities/8d/{eightd.pk}/advance/"
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 400 and "emergency" in refused.content.decode()
    type(eightd).objects.filter(pk=eightd.pk).update(emergency_response="Stock bloqué")
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["step"] == 1
    theirs = EightDFactory(event=world.b.event)
    assert client.post(f"/api/v1/nonconformities/8d/{theirs.pk}/advance/", {},
                       content_type="application/json").status_code == 404


@pytest.mark.parametrize("factory", [EightDFactory, A3ReportFactory])
def test_a_second_8d_or_a3_on_the_same_event_is_refused_with_a_message(client, world, factory):
    existing = factory(event=world.a.event)
    model = type(existing)
    client.force_login(world.user())
    user = world.user()
    name = "eightd_add" if model.__name__ == "EightD" else "a3report_add"
    data = {"event": world.a.event.pk, "champion": user.pk, "leader": user.pk, "owner": user.pk}
    response = client.post(reverse(f"nonconformities:{name}"), data)
    assert response.status_code == 400 and "invalid" in response.content.decode()
    assert model.objects.filter(event=world.a.event).count() == 1
