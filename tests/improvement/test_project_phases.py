"""A method's phases are stored by their key and shown in each reader's language: a French
coordinator's DMAIC project reads "Define" to an English colleague; only a name typed over the
method's stays as written."""

import importlib
from pathlib import Path
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import translation

import improvement
from improvement import services_projects
from improvement.factories import ImprovementProjectFactory, ProjectPhaseFactory
from improvement.models import ProjectPhase
from qse.roles import Role


def _french_project(world, as_member, method="dmaic"):
    user = as_member(Role.COORDINATOR)
    with translation.override("fr"):
        return services_projects.project_create(acting_user=user, data={
            "title": "Rebuts L2", "method": method, "leader": world.a.users[Role.PROCESS_OWNER]})


def _page(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_method_phase_is_stored_by_its_key_and_read_in_each_readers_language(client, world, as_member):
    project = _french_project(world, as_member)
    define = ProjectPhase.objects.get(project=project, key="define")
    assert (define.name, define.deliverables) == ("", "")
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    french = _page(client, project.get_absolute_url(), "fr")
    assert "1. Définir" in french and "Charte du projet" in french and "5. Contrôler" in french
    english = _page(client, project.get_absolute_url(), "en")
    assert "1. Define" in english and "Project charter" in english and "5. Control" in english
    assert "Définir" not in english and "Charte du projet" not in english
    assert "Measure" in _page(client, reverse("improvement:projectphase_list", args=[project.pk]), "en")
    detail = _page(client, define.get_absolute_url(), "en")
    assert "Voice of the customer (CTQ)" in detail and "Voix du client" not in detail


def test_a_phase_saved_with_its_methods_text_stays_translated_and_a_new_name_is_kept(client, world, as_member):
    project = _french_project(world, as_member)
    measure = ProjectPhase.objects.get(project=project, key="measure")
    client.force_login(world.a.users[Role.COORDINATOR])
    url = reverse("improvement:projectphase_edit", args=[project.pk, measure.pk])
    form = _page(client, url, "fr")
    assert 'value="Mesurer"' in form  # the reader's language, ready to be typed over
    data = {"position": 2, "name": "Mesurer", "status": "in_progress", "version": measure.version,
            "deliverables": "Plan de collecte des données\r\nAnalyse du système de mesure\r\nSituation initiale de l'indicateur"}
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE="fr").status_code == 302
    measure.refresh_from_db()
    assert (measure.name, measure.deliverables, measure.status) == ("", "", "in_progress")
    with translation.override("en"):
        assert (measure.label, measure.deliverables_text.splitlines()[0]) == ("Measure", "Data collection plan")
    data.update(name="Mesurer le taux de rebut", version=measure.version)
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE="fr").status_code == 302
    assert "Mesurer le taux de rebut" in _page(client, project.get_absolute_url(), "en")


def test_a_phase_added_by_hand_must_be_named(client, world):
    project = ImprovementProjectFactory(organization=world.a.organization, leader=world.a.users[Role.CONTRIBUTOR])
    client.force_login(world.a.users[Role.COORDINATOR])
    url = reverse("improvement:projectphase_add", args=[project.pk])
    refused = client.post(url, {"position": 6, "name": "", "status": "not_started"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 400 and "Donnez un nom à la phase." in refused.content.decode()
    assert client.post(url, {"position": 6, "name": "Pérenniser", "status": "not_started"}).status_code == 302
    assert ProjectPhase.objects.get(project=project, position=6).label == "Pérenniser"


def test_the_api_gives_the_typed_name_and_the_label_in_the_requests_language(client, world, as_member):
    project = _french_project(world, as_member, method="pdca")
    client.force_login(world.a.users[Role.COORDINATOR])
    rows = client.get(f"/api/v1/improvement/projects/{project.pk}/phases/", HTTP_ACCEPT_LANGUAGE="en").json()
    rows = rows.get("results", rows)
    assert [(row["key"], row["name"], row["label"]) for row in rows] == [
        ("plan", "", "Plan"), ("do", "", "Do"), ("check", "", "Check"), ("act", "", "Act")]
    assert rows[0]["deliverables_text"].splitlines()[0] == "Problem and objective stated"


def test_the_data_migration_gives_stored_phases_their_key_and_empties_the_methods_texts(world):
    project = ImprovementProjectFactory(organization=world.a.organization, method="dmaic")
    other = ImprovementProjectFactory(organization=world.b.organization, method="pdca")
    french = ProjectPhaseFactory(project=project, position=2, key="measure", name="Mesurer",
                                 deliverables="Plan de collecte des données\nAnalyse du système de mesure\n"
                                              "Situation initiale de l'indicateur")
    keyless = ProjectPhaseFactory(project=project, position=1, name="Définir", deliverables="Nos livrables")
    renamed = ProjectPhaseFactory(project=project, position=3, key="analyse", name="Analyser les rebuts")
    custom = ProjectPhaseFactory(project=project, position=6, name="Pérenniser")
    english = ProjectPhaseFactory(project=other, position=4, key="act", name="Act",
                                  deliverables="Standard updated\nLessons learned shared")
    migration = next(Path(improvement.__file__).parent.joinpath("migrations").glob("*_improvwalk_phase_keys.py"))
    module = importlib.import_module(f"improvement.migrations.{migration.stem}")
    module.phase_keys(apps, SimpleNamespace(connection=connection))
    rows = {row.pk: (row.key, row.name, row.deliverables) for row in ProjectPhase.objects.all()}
    assert rows[french.pk] == ("measure", "", "")
    assert rows[keyless.pk] == ("define", "", "Nos livrables")
    assert rows[renamed.pk] == ("analyse", "Analyser les rebuts", "")
    assert rows[custom.pk] == ("", "Pérenniser", "")
    assert rows[english.pk] == ("act", "", "")


def test_the_project_page_reads_its_phases_names_without_a_query_each(client, world, as_member):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    project = _french_project(world, as_member)  # DMAIC: five method phases
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    with CaptureQueriesContext(db) as few:
        client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    for position in range(6, 16):
        ProjectPhaseFactory(project=project, position=position, name=f"Étape {position}")
    with CaptureQueriesContext(db) as many:
        page = client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "15. Étape 15" in page and "5. Control" in page
    assert len(many) == len(few)
