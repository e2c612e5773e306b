"""The starter library: every reference loads with valid conditions, twice is the same as
once, and the organization's own texts are never touched."""

import pytest
from django.utils import translation

from compliance import conditions
from compliance.factories import TextFactory
from compliance.library import libraries, library_load, library_texts
from compliance.models import Requirement, Text
from qse.roles import Role


def test_every_library_requirement_has_valid_conditions_and_a_unique_key():
    keys = []
    for data in libraries().values():
        for text in library_texts(data):
            keys.append(text["key"])
            for requirement in text["requirements"]:
                keys.append(requirement["key"])
                assert conditions.errors(requirement.get("conditions", [])) == [], requirement["key"]
                assert requirement["title"]["fr"] and requirement["title"]["en"]
    assert len(keys) == len(set(keys))


def test_the_iso_structures_are_there_with_their_edition():
    standards = {s["reference"]: s for s in libraries()["iso-standards"]["standards"]}
    assert sorted(standards) == ["ISO 14001:2015", "ISO 45001:2018", "ISO 9001:2015"]
    clauses = {number: fr for number, fr, _en in standards["ISO 14001:2015"]["clauses"]}
    assert clauses["6.1.3"] == "Obligations de conformité" and clauses["9.1.2"] == "Évaluation de la conformité"
    assert len(standards["ISO 9001:2015"]["clauses"]) == 28


def test_loading_twice_creates_once_and_keeps_the_organizations_own_texts(world, as_member):
    coordinator = as_member(Role.COORDINATOR)
    own = TextFactory(organization=world.a.organization, reference="Arrêté préfectoral du site", title="AP 2019")
    with translation.override("fr"):
        first = library_load(library_id="fr-qse-core", acting_user=coordinator)
        second = library_load(library_id="fr-qse-core", acting_user=coordinator)
    assert first == {"texts_created": 15, "texts_updated": 0, "requirements_created": 22, "requirements_updated": 0}
    assert second == {"texts_created": 0, "texts_updated": 15, "requirements_created": 0, "requirements_updated": 22}
    duerp = Requirement.objects.get(organization=world.a.organization, library_key="duerp-update")
    assert duerp.conditions == [{"headcount_at_least": 11}]
    assert duerp.title == "Mettre à jour le document unique au moins chaque année"
    assert duerp.text.versions.count() == 1
    own.refresh_from_db()
    assert own.title == "AP 2019" and own.version == 1
    assert not Text.objects.filter(organization=world.b.organization).exists()


def test_the_iso_clauses_load_as_normative_requirements_in_english_on_request(world, as_member):
    coordinator = as_member(Role.COORDINATOR)
    with translation.override("en"):
        library_load(library_id="iso-standards", acting_user=coordinator)
    clause = Requirement.objects.get(organization=world.a.organization, library_key="iso-45001-2018-5.4")
    assert (clause.article, clause.title, clause.is_normative, clause.text.edition) == (
        "5.4", "Consultation and participation of workers", True, "2018")


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MANAGEMENT])
def test_the_library_page_loads_for_coordinators_only(client, world, role):
    client.force_login(world.a.users[role])
    assert client.get("/compliance/library/").status_code == 200
    response = client.post("/compliance/library/", {"library_id": "iso-standards"})
    loaded = Text.objects.filter(organization=world.a.organization, kind="standard").count()
    assert (response.status_code, loaded) == ((302, 3) if role == Role.COORDINATOR else (403, 0))


def test_the_api_lists_and_loads_the_library(client, world):
    client.force_login(world.user())
    listed = {item["id"]: item for item in client.get("/api/v1/compliance/library/").json()}
    assert listed["fr-qse-core"]["requirements"] == 22
    assert client.post("/api/v1/compliance/library/", {"library_id": "nope"}, content_type="application/json").status_code == 400
    assert client.post("/api/v1/compliance/library/", {"library_id": "iso-standards"},
                       content_type="application/json").json()["requirements_created"] == 84
