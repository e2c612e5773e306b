"""The Document unique (DUERP): generic view tests for work units and occupational risks
(data only), hazard library, publication freezing, immutability and the yearly reminder."""

import datetime
import itertools
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction

from qse.roles import Role
from qse.testing import ObjectViewsTestCase, count_queries
from risks import duerp, selectors_duerp, services_duerp
from risks.models import DuerpVersion, OccupationalRisk, WorkUnit
from risks.views_duerp import OccupationalRiskViews, WorkUnitViews

NUMBERS = itertools.count(100)
TODAY = datetime.date(2026, 11, 23)


def _work_unit(side, name=None):
    return WorkUnit.objects.create(
        organization=side.organization, site=side.site, headcount=12,
        name=name or f"{side.organization.name} atelier {next(NUMBERS)}",
    )


def _matrix(side):
    """The side's default matrix: the risks conftest's, or one made here when another test
    module (the tenancy sweep) calls ``make`` on the shared world, which has none."""
    if getattr(side, "matrix", None) is None:
        from risks.factories import RiskMatrixFactory
        from risks.models import RiskMatrix

        side.matrix = (RiskMatrix.objects.filter(organization=side.organization, is_default=True).first()
                       or RiskMatrixFactory(organization=side.organization, is_default=True))
    return side.matrix


def _risk(side, unit=None, gravity=3, probability=2):
    matrix = _matrix(side)
    return OccupationalRisk.objects.create(
        organization=side.organization, work_unit=unit or _work_unit(side), hazard_family="noise",
        situation=f"{side.organization.name} · presse {next(NUMBERS)}", exposed_workers=4, matrix=matrix,
        gravity=gravity, probability=probability,
        **services_duerp.occupational_scored(matrix.data, gravity, probability),
    )


class TestWorkUnitViews(ObjectViewsTestCase):
    declaration = WorkUnitViews
    edit = ("name", "Atelier de soudure")

    def make(self, world, side):
        return _work_unit(side)

    def form_data(self, world):
        return {"site": world.a.site.pk, "name": "Atelier d'usinage", "description": "", "headcount": 8}


class TestOccupationalRiskViews(ObjectViewsTestCase):
    declaration = OccupationalRiskViews
    edit = ("situation", "Bruit des presses au-delà de 85 dB(A)")

    def make(self, world, side):
        return _risk(side)

    def form_data(self, world):
        if not hasattr(world.a, "unit"):
            world.a.unit = _work_unit(world.a)
        return {
            "work_unit": world.a.unit.pk, "hazard_family": "manual-handling",
            "situation": "Port de bacs de pièces de 20 kg", "exposed_workers": 3, "existing_measures": "Chariots",
            "matrix": world.a.matrix.pk, "gravity": 3, "probability": 4,
        }

    def import_rows(self, world):
        unit = _work_unit(world.a)
        return [
            {"work_unit": unit.name, "hazard_family": "manual-handling", "situation": f"Port de charges {i}",
             "exposed_workers": "3", "gravity": "3", "probability": "2"}
            for i in range(2)
        ]


# --- library and pure rules ----------------------------------------------------------------

def test_every_hazard_family_has_a_french_and_an_english_label():
    families = duerp.hazard_families()
    assert len(families) >= 21
    assert all(family["label"].get("fr") and family["label"].get("en") for family in families.values())


def test_the_yearly_update_is_due_a_year_after_the_last_publication():
    assert duerp.is_update_due(None, TODAY)
    assert not duerp.is_update_due(TODAY - datetime.timedelta(days=364), TODAY)
    assert duerp.is_update_due(TODAY - datetime.timedelta(days=365), TODAY)


# --- publication ---------------------------------------------------------------------------

@pytest.fixture
def coordinator(as_member):
    return as_member(Role.COORDINATOR)


def test_creating_a_risk_derives_its_score_from_the_matrix(world, coordinator):
    unit = _work_unit(world.a)
    risk = services_duerp.occupational_risk_create(acting_user=coordinator, data={
        "work_unit": unit, "hazard_family": "chemicals", "situation": "Dégraissage", "matrix": world.a.matrix,
        "gravity": 4, "probability": 3,
    })
    assert (risk.score, risk.level) == (12, "high")


def test_publishing_freezes_the_assessment(world, coordinator):
    risk = _risk(world.a)
    version = services_duerp.duerp_publish(acting_user=coordinator, today=TODAY)
    services_duerp.occupational_risk_update(
        risk=risk, acting_user=coordinator, data={"situation": "Changée", "gravity": 5}, expected_version=None
    )
    version.refresh_from_db()
    frozen = [r for unit in version.snapshot["work_units"] for r in unit["risks"] if r["id"] == risk.pk]
    assert frozen[0]["situation"] == risk.situation and frozen[0]["gravity"] == 3
    assert version.pdf is not None


def test_version_numbers_increase(world, coordinator):
    _risk(world.a)
    numbers = [services_duerp.duerp_publish(acting_user=coordinator, today=TODAY).number for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_a_published_version_cannot_be_changed_but_can_be_archived(world, coordinator):
    version = services_duerp.duerp_publish(acting_user=coordinator, today=TODAY)
    with pytest.raises(DatabaseError), transaction.atomic():
        DuerpVersion.objects.filter(pk=version.pk).update(snapshot={"work_units": []})
    with pytest.raises(DatabaseError), transaction.atomic():
        DuerpVersion.objects.filter(pk=version.pk).update(published_on=TODAY - datetime.timedelta(days=3))
    from qse.services import object_archive

    object_archive(obj=version, acting_user=coordinator)
    version.refresh_from_db()
    assert version.archived_at is not None and version.snapshot["risk_count"] == 0


def test_the_yearly_update_selector_reads_the_last_version(world, coordinator):
    assert selectors_duerp.duerp_update_due(user=coordinator, today=TODAY)
    services_duerp.duerp_publish(acting_user=coordinator, today=TODAY - datetime.timedelta(days=200))
    assert not selectors_duerp.duerp_update_due(user=coordinator, today=TODAY)
    assert selectors_duerp.duerp_update_due(user=coordinator, today=TODAY + datetime.timedelta(days=165))


def test_publishing_costs_the_same_queries_for_2_or_20_risks(world, coordinator):
    ContentType.objects.get_for_model(OccupationalRisk)
    ContentType.objects.get_for_model(DuerpVersion)
    unit = _work_unit(world.a)
    for _ in range(2):
        _risk(world.a, unit)
    few = count_queries(lambda: services_duerp.duerp_publish(acting_user=coordinator, today=TODAY))
    for _ in range(18):
        _risk(world.a, _work_unit(world.a))
    many = count_queries(lambda: services_duerp.duerp_publish(acting_user=coordinator, today=TODAY))
    assert few == many
    assert DuerpVersion.objects.get(number=2).snapshot["risk_count"] == 20


def test_version_pages_show_the_snapshot_and_publish_is_for_coordinators(client, world):
    _risk(world.a)
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.post("/risks/duerp/publish/").status_code == 403
    client.force_login(world.user())
    response = client.post("/risks/duerp/publish/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Alpha Usinage · presse" in page
    assert "risks/duerp/1/" in client.get("/risks/duerp/").content.decode()
    client.force_login(world.b.users[Role.COORDINATOR])
    assert client.get(response["Location"]).status_code == 404


def test_the_pdf_of_a_published_version_is_read_by_every_member_who_may_view_it(client, world, settings, tmp_path):
    from django.urls import reverse

    from qse.models import GeneratedReport
    from qse.reports import pdf_render_task

    settings.MEDIA_ROOT = tmp_path / "media"
    _risk(world.a)
    client.force_login(world.user())
    client.post("/risks/duerp/publish/")
    version = DuerpVersion.objects.get()
    pdf_render_task(organization_id=world.a.organization.pk, report_id=version.pdf_id)
    status = reverse("qse:report_status", args=[version.pdf_id])
    download = reverse("qse:report_download", args=[version.pdf_id])

    for role in (Role.CONTRIBUTOR, Role.AUDITOR, Role.MANAGEMENT, Role.PROCESS_OWNER):
        client.force_login(world.a.users[role])
        page = client.get(version.get_absolute_url()).content.decode()
        asked = client.post(reverse("qse:report_request", args=["risks.duerp_version", version.pk]))
        assert reverse("qse:report_request", args=["risks.duerp_version", version.pk]) in page, role
        assert asked.status_code == 302 and asked["Location"] == status, role  # the published PDF, not a new one
        assert client.get(status).status_code == 200, role
        assert client.get(download).status_code == 200, role
    assert GeneratedReport.objects.count() == 1

    client.force_login(world.b.users[Role.COORDINATOR])
    assert client.get(status).status_code == 404
    assert client.get(download).status_code == 404
    assert client.post(reverse("qse:report_request", args=["risks.duerp_version", version.pk])).status_code == 404


def test_a_version_whose_pdf_was_removed_still_offers_one(client, world):
    from django.urls import reverse

    _risk(world.a)
    client.force_login(world.user())
    client.post("/risks/duerp/publish/")
    version = DuerpVersion.objects.get()
    DuerpVersion.objects.filter(pk=version.pk).update(pdf=None)

    client.force_login(world.a.users[Role.CONTRIBUTOR])
    response = client.get(version.get_absolute_url())

    assert response.status_code == 200
    assert reverse("qse:report_request", args=["risks.duerp_version", version.pk]) in response.content.decode()


def _pdf_text(report) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-layout", report.file.path, "-"], capture_output=True, check=True).stdout.decode()


def test_a_prevention_action_created_from_an_occupational_risk_shows_on_screen_and_in_the_pdf(
        client, world, settings, tmp_path):
    from improvement.models import Action
    from qse.reports import pdf_render_task

    settings.MEDIA_ROOT = tmp_path / "media"
    risk = _risk(world.a, _work_unit(world.a, "Atelier tôlerie"))
    owner = world.a.users[Role.PROCESS_OWNER]
    owner.first_name, owner.last_name = "Paule", "Owner"
    owner.save()
    client.force_login(world.user())
    form_url = f"/risks/occupational-risks/{risk.pk}/action/"
    assert form_url in client.get(risk.get_absolute_url()).content.decode()

    response = client.post(form_url, {"title": "Capotage de la presse P3", "deliverable": "Capot posé",
                                      "due_on": "2027-03-31", "owner": owner.pk})

    assert response.status_code == 302
    action = Action.objects.get(title="Capotage de la presse P3")
    assert (action.origin_id, action.origin_type.model, action.owner, action.site) == (risk.pk, "occupationalrisk", owner, world.a.site)
    assert "Capotage de la presse P3" in client.get(risk.get_absolute_url()).content.decode()
    draft = client.get("/risks/duerp/draft/").content.decode()
    assert "Capotage de la presse P3" in draft and "Paule Owner" in draft

    client.post("/risks/duerp/publish/")
    version = DuerpVersion.objects.get()
    page = client.get(version.get_absolute_url()).content.decode()
    assert "Capotage de la presse P3" in page and "31/03/2027" in page and "Planifié" in page
    assert pdf_render_task(organization_id=world.a.organization.pk, report_id=version.pdf_id) == "done"
    version.pdf.refresh_from_db()
    text = " ".join(_pdf_text(version.pdf).split())
    for expected in ("Plan de prévention", "Capotage de la presse P3", "Paule Owner", "31/03/2027", "Planifié",
                     "Barème de cotation", "Négligeable", "Catastrophique", "Atelier tôlerie"):
        assert expected in text, expected


def test_a_contributor_is_not_offered_a_prevention_action_and_is_refused_one(client, world):
    risk = _risk(world.a)
    client.force_login(world.a.users[Role.CONTRIBUTOR])

    assert "/action/" not in client.get(risk.get_absolute_url()).content.decode()
    assert client.get(f"/risks/occupational-risks/{risk.pk}/action/").status_code == 403
    client.force_login(world.b.users[Role.COORDINATOR])
    assert client.get(f"/risks/occupational-risks/{risk.pk}/action/").status_code == 404


def test_the_draft_shows_the_live_assessment_while_a_published_version_stays_frozen(client, world):
    _risk(world.a, _work_unit(world.a, "Atelier peinture"))
    client.force_login(world.user())
    client.post("/risks/duerp/publish/")
    _risk(world.a, _work_unit(world.a, "Atelier emballage"))

    draft = client.get("/risks/duerp/draft/").content.decode()
    published = client.get("/risks/duerp/1/").content.decode()

    assert "Atelier peinture" in draft and "Atelier emballage" in draft
    assert "Atelier peinture" in published and "Atelier emballage" not in published
    assert "/risks/duerp/draft/" in client.get("/risks/duerp/").content.decode()
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.get("/risks/duerp/draft/").status_code == 200


def test_the_document_unique_pages_show_ten_work_units_at_a_time_and_the_pdf_keeps_them_all(client, world):
    """A group's Document unique holds thousands of risks: its page stays one size."""
    for i in range(12):
        _risk(world.a, _work_unit(world.a, f"Unité {i:02d}"))
    client.force_login(world.user())
    client.post("/risks/duerp/publish/")
    for url in ("/risks/duerp/draft/", "/risks/duerp/1/"):
        first = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        nav = re.search(r"Unités de travail 1 à 10 sur (\d+) \(le PDF les contient toutes\)", first)
        assert nav, url
        total = int(nav.group(1))
        assert total >= 12 and "le PDF contient tout le plan" in first
        pages = [first] + [client.get(url, {"page": n}).content.decode() for n in range(2, (total + 9) // 10 + 1)]
        shown = [f"Unité {i:02d}" for page in pages for i in range(12) if f"<h2>Unité {i:02d} " in page]
        assert sorted(shown) == [f"Unité {i:02d}" for i in range(12)], url  # each once, on one page
