"""The 5 whys, the Ishikawa diagram, root causes and their actions: services, the in-place
editing endpoints (HTMX and plain), scoping across organizations and query counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from improvement.factories import ActionFactory
from improvement.models import Action
from nonconformities import selectors_analysis as selectors
from nonconformities import services_analysis as services
from nonconformities.choices import CauseCategory
from nonconformities.factories import (
    EightDFactory,
    EventFactory,
    IshikawaCauseFactory,
    RootCauseFactory,
    WhyStepFactory,
)
from nonconformities.models import CorrectiveActionLink, Event, IshikawaCause, RootCause, WhyStep
from qse.roles import Role
from qse.testing import TODAY, count_queries

HTMX = {"HX-Request": "true", "HX-Target": "event-analysis"}


def url(name, event, *args):
    return reverse(f"nonconformities:{name}", args=[event.pk, *args])


# --- services ----------------------------------------------------------------------------


def test_a_5_whys_branch_ends_on_a_root_cause_to_validate(world, as_member):
    user = as_member(Role.COORDINATOR)
    event = world.a.event
    first = services.why_step_add(acting_user=user, event=event, question="Pourquoi ?", answer="Outil usé")
    leaf = services.why_step_add(acting_user=user, event=event, parent=first, question="Pourquoi ?",
                                 answer="Compteur désactivé")
    branch = services.why_step_add(acting_user=user, event=event, parent=first, question="Pourquoi ?",
                                   answer="Pas de contrôle")
    assert (leaf.position, branch.position) == (0, 1)
    with pytest.raises(ValidationError, match="last answer"):
        services.why_step_mark_root_cause(step=first, acting_user=user, category=CauseCategory.MACHINE)

    cause = services.why_step_mark_root_cause(step=leaf, acting_user=user, category=CauseCategory.MACHINE)

    leaf.refresh_from_db()
    assert leaf.is_root_cause and cause.why_step == leaf and cause.description == "Compteur désactivé"
    assert not cause.is_validated
    with pytest.raises(ValidationError, match="root cause"):
        services.why_step_add(acting_user=user, event=event, parent=leaf, question="?", answer="!")
    with pytest.raises(ValidationError, match="Say how"):
        services.root_cause_validate(root_cause=cause, acting_user=user, evidence=" ", today=TODAY)
    cause = services.root_cause_validate(root_cause=cause, acting_user=user, evidence="Essai", today=TODAY)
    assert (cause.validated_on, cause.validated_by) == (TODAY, user)


def test_ishikawa_sub_causes_take_their_parents_bone_and_a_retained_cause_becomes_a_root_cause(world, as_member):
    user = as_member(Role.PROCESS_OWNER)
    event = world.a.event
    parent = services.ishikawa_cause_add(acting_user=user, event=event, category=CauseCategory.MATERIAL, text="Fil")
    child = services.ishikawa_cause_add(acting_user=user, event=event, parent=parent, category="machine",
                                        text="Étuve en panne")
    assert child.category == CauseCategory.MATERIAL
    with pytest.raises(ValidationError):
        services.ishikawa_cause_add(acting_user=user, event=event, parent=child, text="Trop profond")
    with pytest.raises(ValidationError, match="6M"):
        services.ishikawa_cause_add(acting_user=user, event=event, category="money", text="Budget")

    cause = services.ishikawa_cause_retain(cause=child, acting_user=user)

    assert cause.category == CauseCategory.MATERIAL and cause.description == "Fil : Étuve en panne"
    with pytest.raises(ValidationError, match="already"):
        services.ishikawa_cause_retain(cause=IshikawaCause.objects.get(pk=child.pk), acting_user=user)


def test_removing_an_answer_archives_its_branch_but_keeps_what_led_to_a_root_cause(world, as_member):
    user = as_member(Role.COORDINATOR)
    event = world.a.event
    first = services.why_step_add(acting_user=user, event=event, question="?", answer="A")
    second = services.why_step_add(acting_user=user, event=event, parent=first, question="?", answer="B")
    services.why_step_add(acting_user=user, event=event, parent=second, question="?", answer="C")
    services.analysis_item_remove(item=second, acting_user=user)
    assert WhyStep.objects.filter(event=event, archived_at__isnull=True).count() == 1

    leaf = services.why_step_add(acting_user=user, event=event, parent=first, question="?", answer="D")
    services.why_step_mark_root_cause(step=leaf, acting_user=user, category=CauseCategory.METHOD)
    with pytest.raises(ValidationError, match="evidence"):
        services.analysis_item_remove(item=first, acting_user=user)


def test_a_corrective_action_is_an_improvement_action_from_the_event_tied_to_its_root_cause(world, as_member):
    user = as_member(Role.COORDINATOR)
    cause = RootCauseFactory(event=world.a.event)
    link = services.corrective_action_create(acting_user=user, root_cause=cause, purpose="preventive", data={
        "title": "Verrouiller", "deliverable": "Paramètre", "owner": user, "due_on": TODAY})
    action = Action.objects.get(pk=link.action_id)
    assert action.origin_id == world.a.event.pk and action.origin_kind == "nonconformity"
    assert action.process == world.a.event.process
    assert (link.root_cause, link.purpose, link.event) == (cause, "preventive", world.a.event)


def test_a_contributor_reads_the_analysis_but_cannot_write_it(world, as_member):
    user = as_member(Role.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        services.why_step_add(acting_user=user, event=world.a.event, question="?", answer="!")
    with pytest.raises(PermissionDenied):
        services.root_cause_create(acting_user=user, event=world.a.event, category="method", description="x")


# --- pages ---------------------------------------------------------------------------------


def test_the_5_whys_editor_answers_htmx_with_the_partial_and_plain_posts_with_a_redirect(client, world):
    client.force_login(world.user())
    event = world.a.event
    response = client.post(url("why_add", event), {"question": "Pourquoi ?", "answer": "Outil usé"}, headers=HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="event-analysis"' in page and "Outil usé" in page and "<html" not in page
    step = WhyStep.objects.get(event=event)

    response = client.post(url("why_root_cause", event, step.pk), {"category": "machine", "description": ""})
    assert response.status_code == 302 and response["Location"] == url("event_analysis", event)
    assert RootCause.objects.get(event=event).why_step == step

    bad = client.post(url("why_add", event), {"question": "Pourquoi ?", "answer": ""}, headers=HTMX)
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()


def test_the_analysis_page_shows_the_fishbone_and_offers_each_tool(client, world):
    IshikawaCauseFactory(event=world.a.event, text="Broche <faux-rond>", is_root_cause=True)
    client.force_login(world.user())
    page = client.get(url("event_analysis", world.a.event)).content.decode()
    assert "<svg" in page and "Broche &lt;faux-rond&gt;" in page
    for name in ("why_add", "cause_add", "root_cause_add"):
        assert url(name, world.a.event) in page
    assert reverse("nonconformities:eightd_add") + f"?event={world.a.event.pk}" in page


def test_causes_are_added_retained_and_validated_through_the_page(client, world):
    client.force_login(world.user())
    event = world.a.event
    client.post(url("cause_add", event), {"category": "measurement", "text": "Contrôle visuel"}, headers=HTMX)
    cause = IshikawaCause.objects.get(event=event)
    client.post(url("cause_add", event), {"parent": cause.pk, "text": "Sans loupe"}, headers=HTMX)
    assert IshikawaCause.objects.get(parent=cause).category == "measurement"
    client.post(url("cause_retain", event, cause.pk), headers=HTMX)
    root = RootCause.objects.get(event=event)
    response = client.post(url("root_cause_validate", event, root.pk), {"validation_evidence": "Test R&R",
                                                                        "version": root.version}, headers=HTMX)
    assert response.status_code == 200
    root.refresh_from_db()
    assert root.is_validated and root.validated_by == world.user()


def test_the_action_form_creates_the_action_and_the_link(client, world):
    client.force_login(world.user())
    event = world.a.event
    root = RootCauseFactory(event=event)
    form_url = url("root_cause_action", event, root.pk)
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"title": "Former les régleurs", "deliverable": "Feuille d'émargement",
                                      "owner": world.user().pk, "due_on": "2026-12-15", "priority": "normal",
                                      "purpose": "corrective"})
    assert response.status_code == 302
    link = CorrectiveActionLink.objects.get(root_cause=root)
    assert link.action.title == "Former les régleurs"


def test_another_organizations_event_and_its_causes_answer_404(client, world):
    theirs = world.b.event
    step = WhyStepFactory(event=theirs)
    cause = IshikawaCauseFactory(event=theirs)
    root = RootCauseFactory(event=theirs)
    eightd = EightDFactory(event=theirs)
    client.force_login(world.user())
    assert client.get(url("event_analysis", theirs)).status_code == 404
    for name, args, data in [
        ("why_add", (), {"question": "?", "answer": "!"}),
        ("why_root_cause", (step.pk,), {"category": "method"}),
        ("cause_add", (), {"category": "method", "text": "x"}),
        ("cause_retain", (cause.pk,), {}),
        ("root_cause_validate", (root.pk,), {"validation_evidence": "x"}),
        ("root_cause_action", (root.pk,), {}),
        ("analysis_item_remove", ("why", step.pk), {}),
    ]:
        assert client.post(url(name, theirs, *args), data).status_code == 404, name
    # Their step through our event: still 404.
    assert client.post(url("why_root_cause", world.a.event, step.pk), {"category": "method"}).status_code == 404
    assert client.post(reverse("nonconformities:eightd_advance", args=[eightd.pk])).status_code == 404
    assert WhyStep.objects.filter(event=theirs).count() == 1 and not RootCause.objects.get(pk=root.pk).is_validated


def test_a_contributor_sees_the_analysis_without_the_editing_controls_and_is_refused_on_post(client, world):
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    page = client.get(url("event_analysis", world.a.event)).content.decode()
    assert url("why_add", world.a.event) not in page
    assert client.post(url("why_add", world.a.event), {"question": "?", "answer": "!"}).status_code == 403


# --- query counts ----------------------------------------------------------------------------


def populate(event, n: int, user) -> None:
    parent = None
    for i in range(n):
        parent = WhyStepFactory(event=event, parent=parent if i % 2 else None, answer=f"Réponse {i}")
        cause = IshikawaCauseFactory(event=event, category=CauseCategory.values[i % 6], text=f"Cause {i}")
        IshikawaCauseFactory(event=event, category=cause.category, parent=cause, text=f"Sous-cause {i}")
        root = RootCauseFactory(event=event, validated_on=TODAY, validated_by=user)
        action = ActionFactory(organization=event.organization, owner=user, title=f"Action {i}")
        CorrectiveActionLink.objects.create(organization=event.organization, event=event, action=action, root_cause=root)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PROCESS_OWNER])
def test_event_analysis_costs_the_same_queries_for_3_or_30_causes(world, as_member, role):
    user = as_member(role)
    few_event, many_event = world.a.event, EventFactory(organization=world.a.organization, owner=user,
                                                       process=world.a.process)
    populate(few_event, 3, user)
    populate(many_event, 30, user)
    few_event, many_event = (Event.objects.select_related("process").get(pk=e.pk) for e in (few_event, many_event))
    selectors.event_analysis(user=user, event=few_event)  # warm the per-request caches
    few = count_queries(lambda: selectors.event_analysis(user=user, event=few_event))
    many = count_queries(lambda: selectors.event_analysis(user=user, event=many_event))
    assert few == many <= 9, (few, many)
    data = selectors.event_analysis(user=user, event=many_event)
    assert data["why_count"] == 30 and data["ishikawa_count"] == 60 and len(data["root_causes"]) == 30


def test_the_event_page_includes_the_analysis_with_its_fishbone(client, world):
    IshikawaCauseFactory(event=world.a.event, text="Outil usé")
    client.force_login(world.user())
    page = client.get(world.a.event.get_absolute_url()).content.decode()
    assert 'id="event-analysis"' in page and "Outil usé" in page and url("why_add", world.a.event) in page
