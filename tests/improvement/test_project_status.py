"""A project's status moves only through its steps' guards: "closed" is reached through the close
step (which asks for the measured result), never by editing the project, on the page or in the API."""

from decimal import Decimal

from django.urls import reverse

from improvement.factories import ImprovementProjectFactory
from improvement.models import ImprovementProject
from qse.roles import Role

D = Decimal


def _project(world, **extra):
    return ImprovementProjectFactory(organization=world.a.organization, leader=world.a.users[Role.PROCESS_OWNER],
                                     site=world.a.site, **extra)


def _form(world, project, status):
    return {"title": project.title, "method": project.method, "leader": project.leader_id, "status": status,
            "direction": "higher", "members": [], "version": project.version}


def _api(project=None):
    return f"/api/v1/improvement/projects/{project.pk}/" if project else "/api/v1/improvement/projects/"


def test_the_project_form_refuses_to_set_closed_and_says_to_use_the_close_step(client, world):
    project = _project(world)
    client.force_login(world.a.users[Role.COORDINATOR])
    response = client.post(reverse("improvement:improvementproject_edit", args=[project.pk]),
                           _form(world, project, "closed"))
    assert response.status_code == 400
    assert "bouton « Clôturer le projet »" in response.content.decode()
    assert ImprovementProject.objects.get(pk=project.pk).status == "open"


def test_the_project_form_offers_only_the_statuses_an_edit_may_set(client, world):
    project = _project(world)
    client.force_login(world.a.users[Role.COORDINATOR])
    page = client.get(reverse("improvement:improvementproject_edit", args=[project.pk])).content.decode()
    assert 'value="cancelled"' in page and 'value="closed"' not in page
    closed = _project(world, status="closed", baseline=D("5"), result=D("3"))
    page = client.get(reverse("improvement:improvementproject_edit", args=[closed.pk])).content.decode()
    assert 'name="status"' in page and "disabled" in page.split('name="status"')[1].split(">")[0]


def test_a_new_project_is_created_in_progress_whatever_status_is_posted(client, world):
    client.force_login(world.a.users[Role.COORDINATOR])
    assert 'name="status"' not in client.get(reverse("improvement:improvementproject_add")).content.decode()
    response = client.post(reverse("improvement:improvementproject_add"), {
        "title": "Rebuts L2", "method": "dmaic", "leader": world.a.users[Role.PROCESS_OWNER].pk, "status": "closed",
        "direction": "lower", "members": []})
    assert response.status_code == 302
    assert ImprovementProject.objects.get(title="Rebuts L2").status == "open"


def test_a_project_edit_may_still_cancel_and_reopen_it(client, world):
    project = _project(world)
    client.force_login(world.a.users[Role.COORDINATOR])
    url = reverse("improvement:improvementproject_edit", args=[project.pk])
    assert client.post(url, _form(world, project, "cancelled")).status_code == 302
    project.refresh_from_db()
    assert project.status == "cancelled"
    assert client.post(url, _form(world, project, "open")).status_code == 302
    assert ImprovementProject.objects.get(pk=project.pk).status == "open"


def test_the_api_refuses_to_close_a_project_by_patching_its_status(client, world):
    project = _project(world, baseline=D("6.2"))
    client.force_login(world.a.users[Role.COORDINATOR])
    response = client.patch(_api(project), {"status": "closed", "version": project.version},
                            content_type="application/json", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json()["status"] == [
        "A project is closed with the “Close the project” button (or the API's close step), "
        "which checks its measured result."]
    assert ImprovementProject.objects.get(pk=project.pk).status == "open"


def test_the_api_refuses_to_reopen_a_closed_project_or_create_one_closed(client, world):
    closed = _project(world, status="closed", baseline=D("5"), result=D("3"))
    client.force_login(world.a.users[Role.COORDINATOR])
    response = client.patch(_api(closed), {"status": "open", "version": closed.version},
                            content_type="application/json", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json()["status"] == ["A closed project keeps its status."]
    created = client.post(_api(), {"title": "Rebuts L2", "method": "dmaic", "status": "closed",
                                   "leader": world.a.users[Role.PROCESS_OWNER].pk},
                          content_type="application/json", headers={"Accept-Language": "en"})
    assert created.status_code == 400 and "status" in created.json()
    assert not ImprovementProject.objects.filter(title="Rebuts L2").exists()


def test_the_api_close_step_still_closes_a_measured_project(client, world):
    project = _project(world, baseline=D("6.2"), result=D("3.5"))
    client.force_login(world.a.users[Role.COORDINATOR])
    response = client.post(_api(project) + "close/", {"version": project.version}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
