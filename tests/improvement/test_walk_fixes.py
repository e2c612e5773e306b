"""What walking the improvement pages as each role found: a refusal names the fields it is
about (once), a reader is offered no form they cannot send, a project's figures read as typed."""

from decimal import Decimal

from django.urls import reverse

from improvement.factories import (
    ImprovementProjectFactory,
    ImprovementTeamFactory,
    SessionAttendanceFactory,
    SuggestionFactory,
    WorkSessionFactory,
)
from qse.roles import Role


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_an_incomplete_project_action_is_refused_naming_the_missing_fields(client, world):
    project = ImprovementProjectFactory(organization=world.a.organization, leader=world.a.users[Role.COORDINATOR])
    client.force_login(world.a.users[Role.COORDINATOR])
    response = client.post(reverse("improvement:improvementproject_action", args=[project.pk]),
                           {"owner": world.a.users[Role.COORDINATOR].pk}, follow=True, HTTP_ACCEPT_LANGUAGE="fr")
    said = _messages(response)
    assert "Titre: Ce champ est obligatoire." in said
    assert "Échéance: Ce champ est obligatoire." in said


def test_an_accepted_suggestion_without_scores_is_refused_with_its_reason_said_once(client, world):
    suggestion = SuggestionFactory(organization=world.a.organization, status="under_review",
                                   author=world.a.users[Role.CONTRIBUTOR])
    client.force_login(world.a.users[Role.COORDINATOR])
    response = client.post(reverse("improvement:suggestion_assess", args=[suggestion.pk]),
                           {"decision": "accepted", "version": suggestion.version}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    said = _messages(response)
    assert said.count("An accepted suggestion is scored from 1 to 5.") == 1


def test_a_reader_of_a_session_sees_the_attendance_but_no_form_to_send(client, world):
    team = ImprovementTeamFactory(organization=world.a.organization, leader=world.a.users[Role.CONTRIBUTOR])
    session = WorkSessionFactory(team=team)
    SessionAttendanceFactory(session=session, person=world.a.users[Role.AUDITOR], status="present")
    url = reverse("improvement:worksession_detail", args=[team.pk, session.pk])
    attendance = reverse("improvement:worksession_attendance", args=[team.pk, session.pk])
    client.force_login(world.a.users[Role.AUDITOR])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Présent" in page and attendance not in page
    client.force_login(world.a.users[Role.CONTRIBUTOR])  # the team leader records it
    assert attendance in client.get(url).content.decode()


def test_the_project_form_shows_its_figures_without_trailing_zeros(client, world):
    project = ImprovementProjectFactory(organization=world.a.organization, leader=world.a.users[Role.COORDINATOR],
                                        baseline=Decimal("41"), target=Decimal("2.5"))
    client.force_login(world.a.users[Role.COORDINATOR])
    page = client.get(reverse("improvement:improvementproject_edit", args=[project.pk])).content.decode()
    assert 'value="41"' in page and 'value="2.5"' in page and "41.0000" not in page
