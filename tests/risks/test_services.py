"""Register and matrix services: scores derived, acceptance guarded, matrices rescore."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from improvement.models import Action
from qse.roles import Role
from qse.services import ConflictError
from risks import services
from risks.factories import RiskMatrixFactory
from risks.models import Risk, RiskMatrix


def _data(world, **overrides):
    return {
        "reference": "R-100", "title": "Brûlure au four de traitement thermique", "kind": "risk",
        "domains": ["S"], "process": world.a.process, "site": world.a.site, "matrix": world.a.matrix,
        "inherent_gravity": 4, "inherent_probability": 3, "owner": world.a.users[Role.PROCESS_OWNER],
        **overrides,
    }


def test_create_derives_the_inherent_score_and_level(world, as_member):
    user = as_member(Role.COORDINATOR)
    risk = services.risk_create(acting_user=user, data=_data(world))
    assert (risk.inherent_score, risk.inherent_level) == (12, "high")
    assert risk.residual_score is None and risk.residual_level == ""


def test_levels_off_the_matrix_are_refused_on_the_field(world, as_member):
    user = as_member(Role.COORDINATOR)
    with pytest.raises(ValidationError) as error:
        services.risk_create(acting_user=user, data=_data(world, inherent_gravity=7))
    assert "inherent_gravity" in error.value.message_dict


def test_accepting_needs_a_justification_and_an_approver(world, as_member):
    user = as_member(Role.COORDINATOR)
    risk = world.a.risk
    with pytest.raises(ValidationError) as error:
        services.risk_assess(risk=risk, acting_user=user, treatment="accept")
    assert {"treatment_justification", "accepted_by"} <= set(error.value.message_dict)
    accepted = services.risk_assess(
        risk=risk, acting_user=user, treatment="accept", treatment_justification="Coût disproportionné",
        accepted_by=world.a.users[Role.MANAGEMENT], residual_gravity=3, residual_probability=2,
    )
    assert (accepted.treatment, accepted.residual_score, accepted.residual_level) == ("accept", 6, "medium")


def test_an_opportunity_is_pursued_not_reduced(world, as_member):
    user = as_member(Role.COORDINATOR)
    with pytest.raises(ValidationError) as error:
        services.risk_create(acting_user=user, data=_data(world, kind="opportunity", treatment="reduce"))
    assert "treatment" in error.value.message_dict
    created = services.risk_create(acting_user=user, data=_data(world, kind="opportunity", treatment="pursue"))
    assert created.treatment == "pursue"


def test_update_recomputes_the_scores(world, as_member):
    user = as_member(Role.COORDINATOR)
    risk = world.a.risk
    updated = services.risk_update(
        risk=risk, acting_user=user, data={"inherent_gravity": 5, "inherent_probability": 5}, expected_version=risk.version
    )
    assert (updated.inherent_score, updated.inherent_level, updated.version) == (25, "critical", risk.version + 1)


def test_a_stale_update_is_a_conflict(world, as_member):
    user = as_member(Role.COORDINATOR)
    risk = world.a.risk
    services.risk_update(risk=risk, acting_user=user, data={"title": "Un"}, expected_version=risk.version)
    with pytest.raises(ConflictError):
        services.risk_update(risk=risk, acting_user=user, data={"title": "Deux"}, expected_version=risk.version)


def test_changing_the_matrix_rescales_the_levels(world, as_member):
    user = as_member(Role.COORDINATOR)
    three = RiskMatrixFactory(organization=world.a.organization, library_id="matrix-3x3")
    risk = world.a.risk  # 3 x 3 on the 5 x 5 matrix
    moved = services.risk_update(risk=risk, acting_user=user, data={"matrix": three}, expected_version=None)
    assert (moved.inherent_gravity, moved.inherent_probability, moved.inherent_score, moved.inherent_level) == (2, 2, 4, "medium")


def test_moving_to_the_fmea_matrix_starts_detectability_at_its_worst(world, as_member):
    user = as_member(Role.COORDINATOR)
    fmea = RiskMatrixFactory(organization=world.a.organization, library_id="matrix-fmea-gpd")
    moved = services.risk_update(risk=world.a.risk, acting_user=user, data={"matrix": fmea}, expected_version=None)
    assert (moved.inherent_detectability, moved.inherent_score) == (5, 45)


def test_editing_a_matrix_rescores_its_risks_and_keeps_old_scores_in_history(world, as_member):
    user = as_member(Role.COORDINATOR)
    risk = world.a.risk
    matrix = world.a.matrix
    bands = [dict(band) for band in matrix.bands]
    bands[0]["max"], bands[1]["min"], bands[1]["max"], bands[2]["min"] = 9, 10, 12, 13  # 9 becomes "low"
    services.matrix_update(matrix=matrix, acting_user=user, data={"bands": bands}, expected_version=matrix.version)
    risk.refresh_from_db()
    assert (risk.inherent_score, risk.inherent_level) == (9, "low")
    assert list(risk.events.values_list("inherent_level", flat=True).order_by("pgh_id")) == ["medium", "low"]


def test_a_broken_matrix_is_refused(world, as_member):
    user = as_member(Role.COORDINATOR)
    matrix = world.a.matrix
    with pytest.raises(ValidationError):
        services.matrix_update(matrix=matrix, acting_user=user, data={"bands": matrix.bands[:1]}, expected_version=None)


def test_copying_from_the_library_makes_the_first_default(world, as_member):
    user = as_member(Role.COORDINATOR)
    RiskMatrix.objects.filter(organization=world.a.organization).update(is_default=False)
    first = services.matrix_copy_from_library(library_id="matrix-4x4", acting_user=user)
    second = services.matrix_copy_from_library(library_id="matrix-fmea-gpd", acting_user=user)
    assert (first.is_default, second.is_default) == (True, False)
    assert (second.source_library_id, second.source_version, second.organization_id) == ("matrix-fmea-gpd", 1, world.a.organization.pk)
    assert "detectability" in second.scales
    with pytest.raises(ValidationError):
        services.matrix_copy_from_library(library_id="nope", acting_user=user)


def test_a_new_default_matrix_takes_over_the_flag(world, as_member):
    user = as_member(Role.COORDINATOR)
    other = RiskMatrixFactory(organization=world.a.organization, library_id="matrix-3x3")
    services.matrix_update(matrix=other, acting_user=user, data={"is_default": True}, expected_version=None)
    assert list(RiskMatrix.objects.filter(organization=world.a.organization, is_default=True)) == [other]


def test_a_contributor_may_not_create_a_risk(world, as_member):
    user = as_member(Role.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        services.risk_create(acting_user=user, data=_data(world))


def test_the_create_action_page_links_the_action_to_the_risk(client, world):
    risk = world.a.risk
    client.force_login(world.user())
    assert client.get(f"/risks/risks/{risk.pk}/action/").status_code == 200
    response = client.post(f"/risks/risks/{risk.pk}/action/", {"title": "Poser un garde-corps", "due_on": "2027-01-31"})
    assert response.status_code == 302
    action = Action.objects.get(title="Poser un garde-corps")
    assert (action.origin, action.origin_kind, action.owner_id, action.process_id) == (risk, "risk", risk.owner_id, risk.process_id)
    page = client.get(risk.get_absolute_url()).content.decode()
    assert action.get_absolute_url() in page


def test_a_contributor_cannot_create_an_action_from_a_risk(client, world):
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.get(f"/risks/risks/{world.a.risk.pk}/action/").status_code == 403


def test_the_library_page_copies_a_matrix(client, world):
    client.force_login(world.user())
    assert "matrix-fmea-gpd" in client.get("/risks/library/").content.decode()
    response = client.post("/risks/library/", {"library_id": "matrix-fmea-gpd"})
    assert response.status_code == 302
    assert RiskMatrix.objects.filter(organization=world.a.organization, source_library_id="matrix-fmea-gpd").exists()
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.post("/risks/library/", {"library_id": "matrix-3x3"}).status_code == 403


def test_the_api_create_scores_the_risk(client, world):
    client.force_login(world.user())
    payload = {
        "reference": "R-900", "title": "Fuite d'huile hydraulique", "kind": "risk", "domains": ["E"],
        "matrix": world.a.matrix.pk, "inherent_gravity": 2, "inherent_probability": 5,
        "owner": world.a.users[Role.COORDINATOR].pk,
    }
    response = client.post("/api/v1/risks/risks/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["inherent_score"], response.json()["inherent_level"]) == (10, "high")
    risk = Risk.objects.get(reference="R-900")
    patched = client.patch(f"/api/v1/risks/risks/{risk.pk}/", {"treatment": "accept", "version": risk.version}, content_type="application/json")
    assert patched.status_code == 400 and "accepted_by" in patched.json()
