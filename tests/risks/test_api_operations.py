"""The risk module's API beyond CRUD: DUERP versions (list, publish, PDF, archive), the
matrix library copy and the heatmap. Scoped (another organization's record is a 404) and
per role, with the expectations written here by hand."""

from __future__ import annotations

import datetime

from qse.models import GeneratedReport
from qse.roles import Role
from risks.factories import RiskFactory
from risks.models import DuerpVersion, RiskMatrix

R = Role
MANAGERS_OF_THE_SYSTEM = {R.ADMIN, R.COORDINATOR}  # every other role reads these records only
DUERP = "/api/v1/risks/duerp-versions/"


def _version(side, number):
    user = side.users[R.COORDINATOR]
    return DuerpVersion.objects.create(organization=side.organization, number=number, created_by=user,
                                       published_on=datetime.date(2026, 1, 5), published_by=user)


def test_publishing_the_duerp_through_the_api_is_for_coordinators_and_admins(client, world):
    for role, user in world.a.users.items():
        client.force_login(user)
        response = client.post(f"{DUERP}publish/")
        assert response.status_code == (201 if role in MANAGERS_OF_THE_SYSTEM else 403), role
    numbers = list(DuerpVersion.objects.filter(organization=world.a.organization).values_list("number", flat=True))
    assert sorted(numbers) == [1, 2]


def test_every_member_lists_the_versions_of_their_organization_only(client, world):
    mine, theirs = _version(world.a, 1), _version(world.b, 1)
    for role, user in world.a.users.items():
        client.force_login(user)
        response = client.get(DUERP)
        assert response.status_code == 200, role
        assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert client.get(f"{DUERP}{mine.pk}/").json()["number"] == 1
    client.force_login(world.a.users[R.ADMIN])
    for path in (f"{theirs.pk}/", f"{theirs.pk}/pdf/", f"{theirs.pk}/archive/"):
        method = client.get if path.count("/") == 1 else client.post
        assert method(f"{DUERP}{path}").status_code == 404, path


def test_the_pdf_of_a_version_is_requested_through_the_report_service(client, world):
    version = _version(world.a, 1)
    client.force_login(world.a.users[R.CONTRIBUTOR])

    response = client.post(f"{DUERP}{version.pk}/pdf/")

    assert response.status_code == 201
    report = GeneratedReport.objects.get(pk=response.json()["id"])
    assert (report.kind, report.object_id) == ("risks.duerp_version", version.pk)


def test_archiving_a_version_keeps_it_and_is_for_coordinators_and_admins(client, world):
    version = _version(world.a, 1)
    client.force_login(world.a.users[R.MANAGEMENT])
    assert client.post(f"{DUERP}{version.pk}/archive/").status_code == 403
    client.force_login(world.a.users[R.COORDINATOR])
    assert client.post(f"{DUERP}{version.pk}/archive/", {"reason": "remplacée"}).status_code == 204
    version.refresh_from_db()
    assert version.archived_at is not None


def test_the_library_is_listed_and_a_matrix_copied_by_coordinators_and_admins(client, world):
    for role, user in world.a.users.items():
        client.force_login(user)
        listed = client.get("/api/v1/risks/library/")
        assert listed.status_code == 200 and "matrix-3x3" in {m["id"] for m in listed.json()}, role
        copied = client.post("/api/v1/risks/library/matrix-3x3/copy/")
        assert copied.status_code == (201 if role in MANAGERS_OF_THE_SYSTEM else 403), role
    copies = RiskMatrix.objects.filter(source_library_id="matrix-3x3")
    assert {m.organization_id for m in copies} == {world.a.organization.pk} and copies.count() == 2


def test_copying_an_unknown_library_matrix_is_404(client, world):
    client.force_login(world.user())
    assert client.post("/api/v1/risks/library/no-such-matrix/copy/").status_code == 404


def _counts(grid):
    return {(cell["gravity"], cell["probability"]): cell["count"] for row in grid for cell in row if cell["count"]}


def test_the_heatmap_counts_the_open_risks_of_the_organization_per_cell(client, world):
    a = world.a
    RiskFactory(organization=a.organization, matrix=a.matrix, inherent_gravity=5, inherent_probability=4,
                residual_gravity=2, residual_probability=2)
    RiskFactory(organization=a.organization, matrix=a.matrix, inherent_gravity=5, inherent_probability=4, status="closed")
    RiskFactory(organization=world.b.organization, matrix=world.b.matrix, inherent_gravity=1, inherent_probability=1)
    client.force_login(world.a.users[R.CONTRIBUTOR])  # every member reads the register

    response = client.get("/api/v1/risks/heatmap/")

    assert response.status_code == 200
    data = response.json()
    assert data["matrix"] == a.matrix.pk
    assert _counts(data["inherent"]) == {(5, 4): 1, (3, 3): 1}  # with the world's own risk at (3, 3)
    assert _counts(data["residual"]) == {(2, 2): 1}
    assert client.get("/api/v1/risks/heatmap/", {"matrix": world.b.matrix.pk}).status_code == 404


def test_a_prevention_action_is_planned_against_an_occupational_risk_through_the_api(client, world):
    from improvement.models import Action
    from tests.risks.test_duerp import _risk

    risk, theirs = _risk(world.a), _risk(world.b)
    owner = world.a.users[Role.PROCESS_OWNER]
    body = {"title": "Capotage de la presse", "due_on": "2027-03-31", "owner": owner.pk}
    client.force_login(world.a.users[Role.COORDINATOR])

    response = client.post(f"/api/v1/risks/occupational-risks/{risk.pk}/actions/", body, content_type="application/json")

    assert response.status_code == 201, response.content
    action = Action.objects.get(pk=response.json()["id"])
    assert (action.title, action.owner_id) == ("Capotage de la presse", owner.pk)
    assert (action.origin_type.model_class(), action.origin_id) == (type(risk), risk.pk)
    assert client.post(f"/api/v1/risks/occupational-risks/{theirs.pk}/actions/", body,
                       content_type="application/json").status_code == 404
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.post(f"/api/v1/risks/occupational-risks/{risk.pk}/actions/", body,
                       content_type="application/json").status_code == 403
