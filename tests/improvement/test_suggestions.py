"""Suggestions: anyone proposes, colleagues support once, the coordinator assesses and turns the
idea into an action or a project, and the author is told (in the app and by e-mail)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from improvement import selectors_ideas, services, services_suggestions
from improvement.choices import ActionOriginKind, ActionStatus, EffectivenessResult
from improvement.factories import ImprovementTeamFactory, SuggestionFactory
from improvement.models import ProjectPhase, Suggestion, SuggestionSupport
from qse.models import Notification
from qse.permissions import can
from qse.roles import Role
from qse.services import ConflictError
from qse.tenancy import scope_restored
from qse.testing import count_queries

TODAY = datetime.date(2026, 11, 23)


def _submit(world, as_member, role=Role.CONTRIBUTOR, **data):
    user = as_member(role)
    return services_suggestions.suggestion_submit(acting_user=user, data={
        "title": "Tapis anti-fatigue au contrôle", "description": "Debout 7 h sur du béton.", "site": world.a.site,
        **data,
    })


def test_a_contributor_proposes_an_idea_and_the_coordinators_are_notified(world, as_member):
    suggestion = _submit(world, as_member)
    assert (suggestion.status, suggestion.author, suggestion.channel) == ("submitted", world.a.users[Role.CONTRIBUTOR], "app")
    notified = Notification.objects.filter(url=suggestion.get_absolute_url())
    assert {n.recipient for n in notified} == {world.a.users[Role.COORDINATOR]}


def test_a_colleague_supports_an_idea_once_and_never_their_own(world, as_member):
    suggestion = _submit(world, as_member)
    auditor = as_member(Role.AUDITOR)
    services_suggestions.suggestion_support(suggestion=suggestion, acting_user=auditor)
    with pytest.raises(ValidationError, match="Vous soutenez déjà"):
        services_suggestions.suggestion_support(suggestion=suggestion, acting_user=auditor)
    author = as_member(Role.CONTRIBUTOR)
    with pytest.raises(ValidationError, match="votre propre"):
        services_suggestions.suggestion_support(suggestion=suggestion, acting_user=author)
    services_suggestions.suggestion_support(suggestion=suggestion, acting_user=as_member(Role.MANAGEMENT))
    assert selectors_ideas.suggestion_queryset().get(pk=suggestion.pk).support_count == 2
    assert SuggestionSupport.objects.filter(suggestion=suggestion).count() == 2


def test_the_author_edits_the_idea_only_until_the_review_starts(world, as_member):
    suggestion = _submit(world, as_member)
    assert can(as_member(Role.CONTRIBUTOR), "change", suggestion)
    coordinator = as_member(Role.COORDINATOR)
    reviewed = services_suggestions.suggestion_start_review(suggestion=suggestion, acting_user=coordinator,
                                                            expected_version=suggestion.version)
    assert reviewed.status == "under_review"
    assert not can(as_member(Role.CONTRIBUTOR), "change", reviewed)


def test_only_a_coordinator_assesses_even_the_author_or_management(world, as_member):
    suggestion = _submit(world, as_member)
    for role in (Role.CONTRIBUTOR, Role.MANAGEMENT, Role.PROCESS_OWNER):
        with pytest.raises(PermissionDenied):
            services_suggestions.suggestion_assess(suggestion=suggestion, acting_user=as_member(role),
                                                   decision="accepted", impact=4, effort=2, today=TODAY)
        with pytest.raises(PermissionDenied):
            services_suggestions.suggestion_start_review(suggestion=suggestion, acting_user=as_member(role))
    suggestion.refresh_from_db()
    assert suggestion.status == "submitted"


def test_a_rejection_needs_its_reason_and_the_author_is_told_by_notification_and_email(
        world, as_member, django_capture_on_commit_callbacks):
    suggestion = _submit(world, as_member)
    coordinator = as_member(Role.COORDINATOR)
    with pytest.raises(ValidationError) as refused:
        services_suggestions.suggestion_assess(suggestion=suggestion, acting_user=coordinator, decision="rejected",
                                               today=TODAY)
    assert "decision_reason" in refused.value.message_dict
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rejected = services_suggestions.suggestion_assess(
            suggestion=suggestion, acting_user=coordinator, decision="rejected", today=TODAY,
            reason="Le poste sera automatisé en mars.")
    assert (rejected.status, rejected.decision, rejected.decided_on) == ("rejected", "rejected", TODAY)
    told = Notification.objects.get(recipient=world.a.users[Role.CONTRIBUTOR])
    assert "Tapis anti-fatigue au contrôle" in told.title and told.body == "Le poste sera automatisé en mars."
    assert [message.to for message in mail.outbox] == [[world.a.users[Role.CONTRIBUTOR].email]]
    assert "Le poste sera automatisé en mars." in mail.outbox[0].body


def test_a_duplicate_names_the_idea_it_repeats(world, as_member):
    first = _submit(world, as_member)
    second = _submit(world, as_member, Role.AUDITOR)
    coordinator = as_member(Role.COORDINATOR)
    with pytest.raises(ValidationError) as refused:
        services_suggestions.suggestion_assess(suggestion=second, acting_user=coordinator, decision="duplicate",
                                               today=TODAY)
    assert "duplicate_of" in refused.value.message_dict
    done = services_suggestions.suggestion_assess(suggestion=second, acting_user=coordinator, decision="duplicate",
                                                  duplicate_of=first, today=TODAY)
    assert (done.status, done.duplicate_of) == ("rejected", first)


def test_an_accepted_idea_is_scored_and_becomes_an_action_whose_origin_is_the_idea(world, as_member):
    suggestion = _submit(world, as_member)
    coordinator = as_member(Role.COORDINATOR)
    with pytest.raises(ValidationError):  # an action is made of an accepted idea only
        services_suggestions.suggestion_to_action(suggestion=suggestion, acting_user=coordinator, data={})
    with pytest.raises(ValidationError) as refused:
        services_suggestions.suggestion_assess(suggestion=suggestion, acting_user=coordinator, decision="accepted",
                                               today=TODAY)
    assert set(refused.value.message_dict) == {"impact", "effort"}
    accepted = services_suggestions.suggestion_assess(suggestion=suggestion, acting_user=coordinator,
                                                      decision="accepted", impact=4, effort=2, today=TODAY)
    action = services_suggestions.suggestion_to_action(suggestion=accepted, acting_user=coordinator, data={
        "title": "Poser 3 tapis", "owner": world.a.users[Role.PROCESS_OWNER], "due_on": TODAY + datetime.timedelta(days=20),
        "deliverable": "Tapis posés"})
    assert action.origin_kind == ActionOriginKind.SUGGESTION and action.origin_id == suggestion.pk
    assert action.site == world.a.site
    assert list(selectors_ideas.actions_from(suggestion, coordinator)) == [action]
    told = Notification.objects.filter(recipient=world.a.users[Role.CONTRIBUTOR]).order_by("pk")
    assert [n.body for n in told][-1] == "Poser 3 tapis"  # what it became, in the last message
    assert told.count() == 2


def test_an_effective_action_puts_the_accepted_idea_in_place(world, as_member):
    suggestion = _submit(world, as_member)
    coordinator = as_member(Role.COORDINATOR)
    services_suggestions.suggestion_assess(suggestion=suggestion, acting_user=coordinator, decision="accepted",
                                           impact=3, effort=1, today=TODAY)
    action = services_suggestions.suggestion_to_action(suggestion=suggestion, acting_user=coordinator, data={
        "title": "Poser 3 tapis", "owner": coordinator, "due_on": TODAY, "deliverable": "Tapis posés"})
    done = services.action_transition(action=action, acting_user=coordinator, to_status=ActionStatus.DONE, today=TODAY)
    services.action_record_effectiveness(action=done, acting_user=as_member(Role.ADMIN),
                                         result=EffectivenessResult.EFFECTIVE, checked_on=TODAY)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.implemented_on) == ("implemented", TODAY)


def test_an_accepted_idea_becomes_a_dmaic_project_with_its_five_phases(world, as_member):
    suggestion = _submit(world, as_member)
    coordinator = as_member(Role.COORDINATOR)
    services_suggestions.suggestion_assess(suggestion=suggestion, acting_user=coordinator, decision="accepted",
                                           impact=5, effort=4, today=TODAY)
    project = services_suggestions.suggestion_to_project(suggestion=suggestion, acting_user=coordinator, data={
        "title": "Ergonomie du contrôle final", "method": "dmaic", "leader": world.a.users[Role.PROCESS_OWNER]})
    assert list(ProjectPhase.objects.filter(project=project).values_list("key", flat=True)) == [
        "define", "measure", "analyse", "improve", "control"]
    suggestion.refresh_from_db()
    assert suggestion.project == project and project.site == world.a.site
    with pytest.raises(ValidationError):
        services_suggestions.suggestion_to_project(suggestion=suggestion, acting_user=coordinator, data={
            "title": "Encore", "method": "pdca", "leader": coordinator})


def test_a_stale_decision_is_a_conflict(world, as_member):
    suggestion = _submit(world, as_member)
    coordinator = as_member(Role.COORDINATOR)
    services_suggestions.suggestion_start_review(suggestion=suggestion, acting_user=coordinator)
    with pytest.raises(ConflictError):
        services_suggestions.suggestion_assess(suggestion=suggestion, acting_user=coordinator, decision="accepted",
                                               impact=2, effort=2, today=TODAY, expected_version=suggestion.version)


def test_counts_by_state_team_and_month_in_a_constant_number_of_queries(world, as_member):
    SuggestionFactory(organization=world.b.organization, team=None)  # another organization's
    press, paint = (ImprovementTeamFactory(organization=world.a.organization, name=name) for name in ("Presses", "Peinture"))
    for team, status in ((press, "submitted"), (press, "accepted"), (press, "implemented"), (paint, "rejected"),
                         (None, "submitted")):
        SuggestionFactory(organization=world.a.organization, team=team, status=status)
    as_member(Role.COORDINATOR)
    rows = Suggestion.objects.in_current_organization()
    counts = selectors_ideas.suggestion_counts(rows)
    assert {row["status"]: row["count"] for row in counts["by_status"]} == {
        "submitted": 2, "under_review": 0, "accepted": 1, "implemented": 1, "rejected": 1}
    assert [(row["team__name"], row["total"], row["accepted"]) for row in counts["by_team"]] == [
        ("Presses", 3, 2), ("Peinture", 1, 0), (None, 1, 0)]  # the most first; no team last
    assert counts["total"] == 5
    few = count_queries(lambda: selectors_ideas.suggestion_counts(rows))
    with scope_restored():
        SuggestionFactory.create_batch(5, organization=world.a.organization, team=paint)
    assert count_queries(lambda: selectors_ideas.suggestion_counts(rows)) == few == 3


# --- pages and API ----------------------------------------------------------------------------

def test_the_coordinator_sees_the_assessment_and_the_contributor_only_the_support_button(client, world):
    suggestion = SuggestionFactory(organization=world.a.organization, author=world.a.users[Role.AUDITOR])
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    page = client.get(suggestion.get_absolute_url()).content.decode()
    assert 'data-testid="assessment"' not in page and reverse("improvement:suggestion_support", args=[suggestion.pk]) in page
    assert client.post(reverse("improvement:suggestion_support", args=[suggestion.pk])).status_code == 302
    assert "1 soutien" in client.get(suggestion.get_absolute_url()).content.decode()
    refused = client.post(reverse("improvement:suggestion_assess", args=[suggestion.pk]),
                          {"decision": "accepted", "impact": 3, "effort": 3}, follow=True)
    assert "Seul le coordinateur QSE évalue les suggestions." in refused.content.decode()
    client.force_login(world.a.users[Role.COORDINATOR])
    assert 'data-testid="assessment"' in client.get(suggestion.get_absolute_url()).content.decode()
    client.post(reverse("improvement:suggestion_assess", args=[suggestion.pk]),
                {"decision": "accepted", "impact": 3, "effort": 3, "version": suggestion.version})
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"


def test_the_api_assesses_and_turns_an_idea_into_an_action_for_the_coordinator_only(client, world):
    suggestion = SuggestionFactory(organization=world.a.organization, author=world.a.users[Role.AUDITOR],
                                   site=world.a.site)
    base = f"/api/v1/improvement/suggestions/{suggestion.pk}/"
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.post(base + "support/", content_type="application/json").json()["support_count"] == 1
    assert client.post(base + "assess/", {"decision": "accepted", "impact": 4, "effort": 2},
                       content_type="application/json").status_code == 403
    client.force_login(world.a.users[Role.COORDINATOR])
    answer = client.post(base + "assess/", {"decision": "accepted", "impact": 4, "effort": 2},
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    created = client.post(base + "action/", {"title": "Poser 3 tapis", "owner": world.a.users[Role.PROCESS_OWNER].pk,
                                             "due_on": "2027-01-15"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["origin_kind"] == "suggestion"
    theirs = SuggestionFactory(organization=world.b.organization)
    assert client.post(f"/api/v1/improvement/suggestions/{theirs.pk}/support/").status_code == 404


def test_the_dashboard_counts_per_state_and_draws_the_team_month_chart(client, world):
    team = ImprovementTeamFactory(organization=world.a.organization, name="Presses")
    SuggestionFactory.create_batch(3, organization=world.a.organization, team=team, status="accepted")
    SuggestionFactory(organization=world.b.organization, status="accepted")
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    page = client.get(reverse("improvement:suggestion_dashboard"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="kpi-accepted">3<' in html and "Presses" in html and "plotly" in html.lower()
