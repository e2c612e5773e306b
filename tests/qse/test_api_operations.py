"""API operations beyond CRUD: who am I, the organization's people, report requests and
imports; scoped (another organization's record is a 404), per role (hand-written)."""

from __future__ import annotations

import io

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from context.models import ClimateDecision
from qse.factories import MembershipFactory
from qse.models import GeneratedReport, ReportStatus, Site
from qse.roles import Role
from qse.tokens import token_create

R = Role


# --- me and people ---------------------------------------------------------------------------


def test_me_gives_a_token_client_its_id_name_organization_role_and_memberships(client, world):
    user = world.a.users[R.CONTRIBUTOR]
    MembershipFactory(user=user, organization=world.b.organization, role=R.COORDINATOR)
    key = token_create(user=user, organization=world.b.organization, name="client")

    response = client.get("/api/v1/me/", headers={"Authorization": f"Token {key}"})

    assert response.status_code == 200
    me = response.json()
    assert (me["id"], me["username"], me["full_name"]) == (user.pk, "alpha-contributor", user.get_full_name())
    assert (me["organization"]["id"], me["role"]) == (world.b.organization.pk, "coordinator")
    assert [(m["organization"]["name"], m["role"]) for m in me["memberships"]] == [
        ("Alpha Usinage", "contributor"), ("Beta Chimie", "coordinator")]


def test_people_are_the_members_of_the_current_organization_only(client, world):
    client.force_login(world.a.users[R.CONTRIBUTOR])

    response = client.get("/api/v1/people/", {"limit": 100})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["id"] for row in rows} == {user.pk for user in world.a.users.values()}
    alice = world.a.users[R.ADMIN]
    assert {"id": alice.pk, "full_name": alice.get_full_name()} in rows


def test_me_and_people_need_an_account(client, world):
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert client.get("/api/v1/people/").status_code in (401, 403)


# --- reports -----------------------------------------------------------------------------------


def _ask(client, kind, object_id):
    return client.post("/api/v1/reports/", {"kind": kind, "object_id": object_id}, content_type="application/json")


def test_every_member_asks_for_the_action_plan_pdf_and_follows_only_their_own(client, world):
    # Hand-written: every role reads action plans, so every role may ask for the plan's PDF.
    ids = {}
    for role, user in world.a.users.items():
        client.force_login(user)
        response = _ask(client, "improvement.action_plan", world.a.plan.pk)
        assert response.status_code == 201, (role, response.content[:200])
        ids[role] = response.json()["id"]
        assert client.get(f"/api/v1/reports/{ids[role]}/").json()["status"] == ReportStatus.PENDING
    client.force_login(world.a.users[R.CONTRIBUTOR])
    assert client.get(f"/api/v1/reports/{ids[R.COORDINATOR]}/").status_code == 404  # built with another's rights


def test_a_report_on_another_organizations_record_or_an_unknown_kind_is_404(client, world):
    client.force_login(world.a.users[R.ADMIN])

    assert _ask(client, "improvement.action_plan", world.b.plan.pk).status_code == 404
    assert _ask(client, "no.such_kind", world.a.plan.pk).status_code == 404
    assert not GeneratedReport.objects.exists()


def test_a_finished_report_is_downloaded_as_pdf_and_an_unfinished_one_is_404(client, world):
    user = world.user()
    client.force_login(user)
    report_id = _ask(client, "improvement.action_plan", world.a.plan.pk).json()["id"]
    assert client.get(f"/api/v1/reports/{report_id}/download/").status_code == 404
    report = GeneratedReport.objects.get(pk=report_id)
    report.file.save("plan.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    report.status = ReportStatus.DONE
    report.save()

    response = client.get(f"/api/v1/reports/{report_id}/download/")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/api/v1/reports/{report_id}/").json()["download"].endswith("/download/")


def test_another_organizations_report_is_404(client, world):
    theirs = GeneratedReport.objects.create(
        organization=world.b.organization, kind="improvement.action_plan", requested_by=world.b.users[R.COORDINATOR],
        content_type=ContentType.objects.get_for_model(world.b.plan), object_id=world.b.plan.pk,
    )
    client.force_login(world.a.users[R.ADMIN])
    assert client.get(f"/api/v1/reports/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/reports/{theirs.pk}/download/").status_code == 404


# --- imports -----------------------------------------------------------------------------------


def _csv(*rows: str) -> io.BytesIO:
    upload = io.BytesIO("\n".join(["Code;Nom", *rows]).encode())
    upload.name = "sites.csv"
    return upload


def _upload(client, *rows):
    return client.post("/api/v1/qse/sites/import/", {"file": _csv(*rows)})


def test_an_import_through_the_api_uploads_proposes_a_mapping_validates_and_commits(client, world):
    client.force_login(world.user())
    before = Site.objects.filter(organization=world.a.organization).count()

    upload = _upload(client, "LYO;Lyon", "GRE;Grenoble")
    assert upload.status_code == 200, upload.content
    data = upload.json()
    assert data["columns"] == ["Code", "Nom"] and data["rows"] == 2
    assert data["mapping"] == {"Code": "code", "Nom": "name"}
    body = {"token": data["token"], "mapping": data["mapping"]}

    checked = client.post("/api/v1/qse/sites/import/validate/", body, content_type="application/json")
    assert checked.status_code == 200 and checked.json()["created"] == 2
    assert Site.objects.filter(organization=world.a.organization).count() == before  # a dry run

    committed = client.post("/api/v1/qse/sites/import/commit/", body, content_type="application/json")
    assert committed.status_code == 201 and committed.json()["created"] == 2
    assert set(Site.objects.filter(organization=world.a.organization).values_list("code", flat=True)) >= {"LYO", "GRE"}


def test_an_import_with_a_wrong_row_reports_it_and_imports_nothing(client, world):
    client.force_login(world.user())
    before = Site.objects.count()
    data = _upload(client, "LYO;Lyon", ";Grenoble").json()  # no code

    response = client.post("/api/v1/qse/sites/import/commit/", {"token": data["token"], "mapping": data["mapping"]},
                           content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 3
    assert Site.objects.count() == before


def test_imports_per_role_and_an_upload_is_its_uploaders_only(client, world):
    # Hand-written: sites are added by administrators and coordinators only.
    for role, user in world.a.users.items():
        client.force_login(user)
        expected = 200 if role in {R.ADMIN, R.COORDINATOR} else 403
        assert _upload(client, "LYO;Lyon").status_code == expected, role
    client.force_login(world.a.users[R.ADMIN])
    token = _upload(client, "LYO;Lyon").json()["token"]
    client.force_login(world.a.users[R.COORDINATOR])
    response = client.post("/api/v1/qse/sites/import/commit/", {"token": token, "mapping": {"Code": "code"}},
                           content_type="application/json")
    assert response.status_code == 400 and "token" in response.json()


# --- climate decisions -------------------------------------------------------------------------


def test_a_climate_decision_through_the_api_is_decided_by_the_acting_user_by_default(client, world):
    user = world.user()
    client.force_login(user)

    response = client.post("/api/v1/context/climate-decisions/", {"is_relevant": True, "justification": "Crues"},
                           content_type="application/json")

    assert response.status_code == 201, response.content
    assert ClimateDecision.objects.get(pk=response.json()["id"]).decided_by == user


def test_an_api_import_obeys_the_pages_size_limit_and_never_parks_the_file_in_redis(client, world, settings):
    import redis

    settings.QSE_IMPORT_MAX_BYTES = 1000
    client.force_login(world.user())
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    too_big = client.post("/api/v1/qse/sites/import/", {"file": _csv(*[f"S{i};Site numéro {i}" for i in range(200)])})
    assert too_big.status_code == 400
    assert "too large" in too_big.json()["file"][0]

    token = _upload(client, "LYO;Lyon").json()["token"]
    keys = redis.Redis.from_url(settings.REDIS_URL).keys(f"*{token}*")
    assert keys == []
