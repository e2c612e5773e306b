"""The records an event holds, as generic children of the event: nested pages and API
routes, per role (expectations written here by hand) and across organizations; and the
analysis steps of the API (root cause from a why, retained cause, validation, action)."""

from __future__ import annotations

from nonconformities.choices import EventStatus
from nonconformities.factories import (
    EventFactory,
    ImmediateActionFactory,
    IshikawaCauseFactory,
    RootCauseFactory,
    WhyStepFactory,
)
from nonconformities.models import CorrectiveActionLink, RootCause
from nonconformities.views_children import (
    ImmediateActionViews,
    IshikawaCauseViews,
    RootCauseViews,
    WhyStepViews,
)
from qse.roles import Role
from qse.testing_children import ChildViewsTestCase

R = Role
ANALYSTS = frozenset({R.ADMIN, R.COORDINATOR, R.PROCESS_OWNER})  # who leads an event's analysis


class EventChildCase(ChildViewsTestCase):
    may_add = ANALYSTS
    may_change = ANALYSTS  # the process owner through the event's process

    def make_parent(self, world, side):
        return EventFactory(organization=side.organization, site=side.site, process=side.process,
                            owner=side.users[R.COORDINATOR])


class TestWhySteps(EventChildCase):
    declaration = WhyStepViews
    edit = ("answer", "Le foret était usé")

    def make(self, world, side, parent):
        return WhyStepFactory(event=parent)

    def form_data(self, world):
        return {"question": "Pourquoi la bavure ?", "answer": "Le foret était usé"}


class TestIshikawaCauses(EventChildCase):
    declaration = IshikawaCauseViews
    edit = ("text", "Foret usé")

    def make(self, world, side, parent):
        return IshikawaCauseFactory(event=parent)

    def form_data(self, world):
        return {"category": "machine", "text": "Foret usé"}


class TestRootCauses(EventChildCase):
    declaration = RootCauseViews

    def make(self, world, side, parent):
        return RootCauseFactory(event=parent)

    def form_data(self, world):
        return {"category": "method", "description": "Pas de contrôle de l'arête"}


class TestImmediateActions(EventChildCase):
    declaration = ImmediateActionViews
    # Anyone who reports records what was done on the spot; only the analysts change it.
    may_add = frozenset({R.ADMIN, R.COORDINATOR, R.PROCESS_OWNER, R.AUDITOR, R.CONTRIBUTOR})

    def make(self, world, side, parent):
        return ImmediateActionFactory(event=parent)

    def form_data(self, world):
        return {"description": "Lot isolé", "done_at": "2026-11-20T10:00"}

    def api_data(self, world):
        return {"description": "Lot isolé", "done_at": "2026-11-20T10:00:00+01:00"}


def _api(event, path=""):
    return f"/api/v1/nonconformities/events/{event.pk}/{path}"


def test_a_why_marked_as_root_cause_through_the_api_makes_a_root_cause_to_validate(client, world):
    step = WhyStepFactory(event=world.a.event)
    client.force_login(world.user())

    response = client.post(_api(world.a.event, f"whys/{step.pk}/root-cause/"), {"category": "machine"},
                           content_type="application/json")

    assert response.status_code == 201, response.content
    cause = RootCause.objects.get(pk=response.json()["id"])
    assert (cause.why_step_id, cause.description, cause.validated_on) == (step.pk, "Parce que…", None)


def test_a_retained_ishikawa_cause_becomes_a_root_cause_once(client, world):
    cause = IshikawaCauseFactory(event=world.a.event, text="Foret usé")
    client.force_login(world.user())
    url = _api(world.a.event, f"causes/{cause.pk}/retain/")

    assert client.post(url, {}, content_type="application/json").status_code == 201
    again = client.post(url, {}, content_type="application/json")

    assert again.status_code == 400
    assert RootCause.objects.filter(ishikawa_cause=cause).count() == 1


def test_validating_a_root_cause_needs_evidence_and_keeps_who(client, world):
    cause = RootCauseFactory(event=world.a.event)
    user = world.user()
    client.force_login(user)
    url = _api(world.a.event, f"root-causes/{cause.pk}/validate/")

    assert client.post(url, {"validation_evidence": ""}, content_type="application/json").status_code == 400
    response = client.post(url, {"validation_evidence": "Reproduit sur 10 pièces"}, content_type="application/json")

    assert response.status_code == 200
    cause.refresh_from_db()
    assert cause.validated_by == user and cause.validation_evidence == "Reproduit sur 10 pièces"


def test_an_action_for_a_root_cause_is_created_per_role(client, world):
    cause = RootCauseFactory(event=world.a.event)
    body = {"title": "Contrôler l'arête", "owner": world.a.users[R.PROCESS_OWNER].pk, "due_on": "2026-12-31",
            "purpose": "preventive"}
    # Hand-written: an action and its link to the root cause (coordinators, admins, process owners).
    allowed = {R.ADMIN: 201, R.COORDINATOR: 201, R.PROCESS_OWNER: 201, R.MANAGEMENT: 403, R.AUDITOR: 403,
               R.CONTRIBUTOR: 403}
    for role, expected in allowed.items():
        client.force_login(world.a.users[role])
        response = client.post(_api(world.a.event, f"root-causes/{cause.pk}/actions/"), body,
                               content_type="application/json")
        assert response.status_code == expected, (role, response.content[:300])
    links = CorrectiveActionLink.objects.filter(root_cause=cause)
    assert links.count() == 3 and {link.purpose for link in links} == {"preventive"}


def test_the_steps_of_another_organizations_analysis_answer_404(client, world):
    step = WhyStepFactory(event=world.b.event)
    cause = IshikawaCauseFactory(event=world.b.event)
    root = RootCauseFactory(event=world.b.event)
    client.force_login(world.a.users[R.ADMIN])
    for path, body in (
        (f"whys/{step.pk}/root-cause/", {"category": "machine"}),
        (f"causes/{cause.pk}/retain/", {}),
        (f"root-causes/{root.pk}/validate/", {"validation_evidence": "x"}),
        (f"root-causes/{root.pk}/actions/", {"title": "x", "owner": world.a.users[R.ADMIN].pk, "due_on": "2026-12-31"}),
    ):
        for event in (world.b.event, world.a.event):  # their event, or ours with their record
            assert client.post(_api(event, path), body, content_type="application/json").status_code == 404, path
    assert not RootCause.objects.filter(organization=world.a.organization).exists()


def test_no_immediate_action_is_added_to_a_closed_event_through_the_api(client, world):
    event = EventFactory(organization=world.a.organization, status=EventStatus.CLOSED, site=world.a.site)
    client.force_login(world.user())

    response = client.post(_api(event, "immediate-actions/"), {"description": "x", "done_at": "2026-11-20T10:00:00Z"},
                           content_type="application/json")

    assert response.status_code == 400
