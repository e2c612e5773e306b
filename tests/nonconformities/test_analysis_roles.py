"""Who analyses which event, written by hand per role (not computed from qse/roles.py):
a process owner analyses the events of their processes and no other; nothing is added to a
closed or rejected event; every refusal is on screen, also in the HTMX partials."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from improvement.models import Action
from nonconformities import services
from nonconformities import services_analysis as analysis
from nonconformities.choices import CauseCategory, EventStatus
from nonconformities.factories import (
    A3ReportFactory,
    EightDFactory,
    EventFactory,
    IshikawaCauseFactory,
    RootCauseFactory,
    WhyStepFactory,
)
from nonconformities.models import CorrectiveActionLink, Event, WhyStep
from qse.factories import ProcessFactory
from qse.permissions import can
from qse.roles import Role
from qse.testing import TODAY

HTMX = {"HX-Request": "true", "HX-Target": "event-analysis"}


@pytest.fixture
def events(world):
    """``mine``: on the process owner's process (R1), in the coordinator's charge.
    ``theirs``: on another process (owned by the administrator), in the coordinator's charge."""
    coordinator = world.a.users[Role.COORDINATOR]
    other = ProcessFactory(organization=world.a.organization, code="R2", name="Expédition",
                           owner=world.a.users[Role.ADMIN])
    mine = EventFactory(organization=world.a.organization, process=world.a.process, owner=coordinator,
                        status=EventStatus.ANALYSIS, title="Bavure R1")
    theirs = EventFactory(organization=world.a.organization, process=other, owner=coordinator,
                          status=EventStatus.ANALYSIS, title="Colis écrasé R2")
    return {"mine": mine, "theirs": theirs}


def _adds(user, event):
    """Every way of adding to an event's analysis, each as a call."""
    cause = RootCauseFactory(event=event, organization=event.organization)
    return {
        "why": lambda: analysis.why_step_add(acting_user=user, event=event, question="Pourquoi ?", answer="Usure"),
        "ishikawa": lambda: analysis.ishikawa_cause_add(acting_user=user, event=event, text="Outil",
                                                        category=CauseCategory.MACHINE),
        "root cause": lambda: analysis.root_cause_create(acting_user=user, event=event,
                                                         category=CauseCategory.METHOD, description="Gamme"),
        "action": lambda: analysis.corrective_action_create(
            acting_user=user, root_cause=cause,
            data={"title": "Revoir la gamme", "owner": user, "due_on": TODAY}),
        "8D": lambda: analysis.eightd_start(acting_user=user, event=event, champion=user, leader=user),
        "A3": lambda: analysis.a3_create(acting_user=user, event=event, data={"owner": user}),
    }


# (role, event) -> may add to its analysis (every tool above), by hand.
ADD_TABLE = [
    (Role.PROCESS_OWNER, "mine", True),
    (Role.PROCESS_OWNER, "theirs", False),
    (Role.COORDINATOR, "mine", True),
    (Role.COORDINATOR, "theirs", True),
    (Role.ADMIN, "theirs", True),
    (Role.MANAGEMENT, "mine", False),
    (Role.AUDITOR, "mine", False),
    (Role.CONTRIBUTOR, "mine", False),
]


@pytest.mark.parametrize("role, which, allowed", ADD_TABLE)
def test_who_adds_to_the_analysis_of_which_event(world, as_member, events, role, which, allowed):
    user = as_member(role)
    for tool, add in _adds(user, events[which]).items():
        if allowed:
            assert add().pk, tool
        else:
            with pytest.raises(PermissionDenied):
                add()


# (role, event) -> may change the records of its analysis, for every analysis model, by hand.
CHANGE_TABLE = [
    (Role.PROCESS_OWNER, "mine", True),
    (Role.PROCESS_OWNER, "theirs", False),
    (Role.COORDINATOR, "theirs", True),
    (Role.MANAGEMENT, "mine", False),
    (Role.CONTRIBUTOR, "mine", False),
]


@pytest.mark.parametrize("role, which, allowed", CHANGE_TABLE)
def test_a_process_owner_changes_the_analysis_records_of_their_processes_events_only(
        world, as_member, events, role, which, allowed):
    event = events[which]
    someone = world.a.users[Role.AUDITOR]  # neither leader nor champion nor owner of any of them
    records = {
        "why": WhyStepFactory(event=event, organization=event.organization),
        "ishikawa": IshikawaCauseFactory(event=event, organization=event.organization),
        "root cause": RootCauseFactory(event=event, organization=event.organization),
        "8D": EightDFactory(event=event, organization=event.organization, champion=someone, leader=someone),
        "A3": A3ReportFactory(event=event, organization=event.organization, owner=someone),
    }
    user = as_member(role)
    for name, record in records.items():
        assert can(user, "change", record) is allowed, name
        assert type(record).objects.restrict(user, "change").filter(pk=record.pk).exists() is allowed, name


def test_the_8d_and_a3_forms_offer_only_the_events_the_user_may_analyse(client, world, events):
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    for name in ("nonconformities:eightd_add", "nonconformities:a3report_add"):
        choices = client.get(reverse(name)).context["form"].fields["event"].queryset
        assert events["mine"] in choices and events["theirs"] not in choices, name


def test_the_analysis_partial_offers_no_tool_on_another_process_and_a_forced_post_says_why(client, world, events):
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    theirs = events["theirs"]
    add = reverse("nonconformities:why_add", args=[theirs.pk])
    page = client.get(reverse("nonconformities:event_analysis", args=[theirs.pk])).content.decode()
    assert add not in page and reverse("nonconformities:root_cause_add", args=[theirs.pk]) not in page
    assert add.replace(str(theirs.pk), str(events["mine"].pk)) in client.get(
        reverse("nonconformities:event_analysis", args=[events["mine"].pk])).content.decode()
    response = client.post(add, {"question": "Pourquoi ?", "answer": "Usure"}, headers=HTMX)
    assert response.status_code == 403
    assert 'role="alert"' in response.content.decode()
    assert "You are not allowed to do this." in response.content.decode()
    assert not WhyStep.objects.filter(event=theirs).exists()


def test_a_conflict_in_the_analysis_partial_is_a_409_with_a_message(client, world, events):
    step = WhyStepFactory(event=events["mine"], organization=world.a.organization, answer="Usure")
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    url = reverse("nonconformities:why_edit", args=[events["mine"].pk, step.pk])
    assert client.post(url, {"question": "Pourquoi ?", "answer": "Outil usé", "version": step.version},
                       headers=HTMX).status_code == 200
    stale = client.post(url, {"question": "Pourquoi ?", "answer": "Autre", "version": step.version}, headers=HTMX)
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode() and "Outil usé" in stale.content.decode()


# --- closed and rejected events ----------------------------------------------------------------


@pytest.mark.parametrize("status", [EventStatus.CLOSED, EventStatus.REJECTED])
def test_no_corrective_action_is_added_to_a_closed_or_rejected_event(client, world, as_member, status):
    event = world.a.event
    cause = RootCauseFactory(event=event, organization=world.a.organization)
    Event.objects.filter(pk=event.pk).update(status=status)
    event.refresh_from_db()
    user = as_member(Role.COORDINATOR)
    before = Action.objects.count()
    with pytest.raises(ValidationError, match="closed or rejected"):
        services.event_action_create(event=event, acting_user=user, data={"title": "Trop tard", "owner": user,
                                                                         "due_on": TODAY})
    with pytest.raises(ValidationError, match="closed or rejected"):
        analysis.corrective_action_create(acting_user=user, root_cause=cause,
                                          data={"title": "Trop tard", "owner": user, "due_on": TODAY})
    assert Action.objects.count() == before and not CorrectiveActionLink.objects.exists()


@pytest.mark.parametrize("status", [EventStatus.CLOSED, EventStatus.REJECTED])
def test_the_pages_offer_no_action_on_a_closed_or_rejected_event_and_refuse_it_with_a_message(client, world, status):
    event = world.a.event
    cause = RootCauseFactory(event=event, organization=world.a.organization)
    Event.objects.filter(pk=event.pk).update(status=status)
    client.force_login(world.user())
    create = reverse("nonconformities:event_action_create", args=[event.pk])
    for_cause = reverse("nonconformities:root_cause_action", args=[event.pk, cause.pk])
    page = client.get(event.get_absolute_url()).content.decode()
    assert create not in page and for_cause not in page
    for url in (create, for_cause):
        response = client.post(url, {"title": "Trop tard", "owner": world.user().pk, "due_on": "2026-12-31",
                                     "purpose": "corrective"}, follow=True)
        assert "Actions cannot be added to a closed or rejected event." in response.content.decode(), url
    assert not Action.objects.filter(title="Trop tard").exists()


# --- silent refusals on the event page ----------------------------------------------------------


def test_management_is_not_offered_the_immediate_action_form_and_a_forced_post_says_why(client, world):
    event = world.a.event
    url = reverse("nonconformities:immediate_action_add", args=[event.pk])
    client.force_login(world.a.users[Role.MANAGEMENT])
    page = client.get(event.get_absolute_url()).content.decode()
    assert url not in page and 'name="done_at"' not in page
    response = client.post(url, {"description": "Lot bloqué", "done_at": "2026-11-20T10:00"},
                           headers={"HX-Request": "true", "HX-Target": "immediate-actions"})
    assert response.status_code == 403
    body = response.content.decode()
    assert 'id="immediate-actions"' in body and 'role="alert"' in body and "You are not allowed to do this." in body
    plain = client.post(url, {"description": "Lot bloqué", "done_at": "2026-11-20T10:00"}, follow=True)
    assert "You are not allowed to do this." in plain.content.decode()
    assert not event.immediate_actions.exists()
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert url in client.get(event.get_absolute_url()).content.decode()
