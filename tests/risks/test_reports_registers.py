"""The register of risks and opportunities and the environmental aspects register as PDFs:
rendered for real with WeasyPrint (read back with poppler), scoped to the requester, with a
query budget that does not grow with the rows."""

from __future__ import annotations

import contextlib
import datetime
import itertools
import subprocess

import pytest
from django.urls import reverse

from improvement.choices import ActionOriginKind
from improvement.factories import ActionFactory
from qse.models import GeneratedReport, Membership
from qse.reports import pdf_render_task, report_request
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import TODAY, count_queries
from risks.choices import RiskKind, RiskStatus, Treatment
from risks.factories import RiskFactory
from risks.models import EnvironmentalAspect
from risks.reports import _ink, aspects_register_context, risk_register_context
from tests.risks.test_aspects import _aspect


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@contextlib.contextmanager
def as_member(user, organization):
    membership = Membership.objects.get(user=user, organization=organization)
    with organization_context(organization, membership):
        yield


def rendered(world, kind: str, user=None) -> tuple[GeneratedReport, str]:
    user = user or world.user()
    with as_member(user, world.a.organization):
        report = report_request(kind=kind, target=world.a.organization, acting_user=user)
    assert pdf_render_task(organization_id=report.organization_id, report_id=report.pk) == "done"
    report.refresh_from_db()
    text = subprocess.run(["pdftotext", "-layout", report.file.path, "-"], capture_output=True, check=True).stdout
    return report, text.decode()


NUMBERS = itertools.count(1)


def _register(side, count: int, **extra) -> list:
    owner = side.users[Role.COORDINATOR]
    return [
        RiskFactory(organization=side.organization, matrix=side.matrix, owner=owner, process=side.process, site=side.site,
                    reference=f"{side.organization.slug[:2].upper()}-{next(NUMBERS):03d}", title=f"Risque {side.organization.slug} {index}",
                    inherent_gravity=4, inherent_probability=3, residual_gravity=2, residual_probability=2,
                    treatment=Treatment.REDUCE, **extra)
        for index in range(count)
    ]


# --- the register --------------------------------------------------------------------------


def test_the_register_pdf_shows_risks_and_opportunities_with_their_levels_and_the_heatmap(world):
    accepted = RiskFactory(
        organization=world.a.organization, matrix=world.a.matrix, owner=world.user(), reference="R-002",
        title="Départ d'un régleur expert", treatment=Treatment.ACCEPT, treatment_justification="Formation croisée en place",
        accepted_by=world.a.users[Role.MANAGEMENT], next_review_on=TODAY - datetime.timedelta(days=3),
        inherent_gravity=5, inherent_probability=4,
    )
    RiskFactory(organization=world.a.organization, matrix=world.a.matrix, owner=world.user(), reference="O-001",
                title="Récupération de chaleur", kind=RiskKind.OPPORTUNITY, treatment=Treatment.PURSUE)

    report, text = rendered(world, "risks.register")

    assert world.a.risk.reference in text and accepted.title in text and "Récupération de chaleur" in text
    assert "Formation croisée en place" in text
    assert "20 · Critique" in text or "20 · Critical" in text
    assert world.b.risk.title not in text and "Beta" not in text
    assert f"1 / {report.page_count}" in text
    context_overdue = "En retard" in text or "Overdue" in text
    assert context_overdue


def test_a_long_register_runs_over_pages_with_numbered_pages(world):
    _register(world.a, 60)

    report, text = rendered(world, "risks.register")

    assert report.page_count >= 3
    assert f"{report.page_count} / {report.page_count}" in text
    assert "Risque alpha 59" in text


def test_the_register_context_counts_levels_overdue_reviews_and_actions(world):
    risk = _register(world.a, 1, next_review_on=TODAY - datetime.timedelta(days=1))[0]
    RiskFactory(organization=world.a.organization, matrix=world.a.matrix, owner=world.user(), reference="R-CLOSED",
                status=RiskStatus.CLOSED, inherent_gravity=5, inherent_probability=5)
    ActionFactory(organization=world.a.organization, owner=world.user(), origin=risk, origin_kind=ActionOriginKind.RISK)
    with as_member(world.user(), world.a.organization):
        context = risk_register_context(world.a.organization, world.user(), today=TODAY)

    rows = {row["reference"]: row for row in context["risks"]}
    assert rows[risk.reference]["inherent"]["id"] == "high" and rows[risk.reference]["residual"]["id"] == "low"
    assert rows[risk.reference]["is_review_overdue"] and rows[risk.reference]["actions"] == {"open": 1, "total": 1}
    assert context["overdue_count"] == 1 and context["open_count"] == 2
    levels = {level["label"]: (level["inherent"], level["residual"]) for level in context["levels"]}
    assert levels["Élevé"] == (1, 0) and levels["Moyen"] == (1, 0) and levels["Critique"] == (0, 0)
    heat = {(cell.gravity, cell.probability): cell.count for row in context["heatmaps"]["inherent"] for cell in row}
    assert heat[(4, 3)] == 1 and heat[(3, 3)] == 1 and heat[(5, 5)] == 0  # the closed risk is not on the map


def test_the_register_context_costs_the_same_queries_for_3_or_30_risks(world):
    def queries() -> int:
        with as_member(world.user(), world.a.organization):
            return count_queries(lambda: risk_register_context(world.a.organization, world.user(), today=TODAY))

    risks = _register(world.a, 2)
    ActionFactory(organization=world.a.organization, owner=world.user(), origin=risks[0], origin_kind=ActionOriginKind.RISK)
    few = queries()
    for risk in _register(world.a, 27, next_review_on=TODAY):
        ActionFactory(organization=world.a.organization, owner=world.user(), origin=risk, origin_kind=ActionOriginKind.RISK)
    many = queries()

    assert many == few <= 7, (few, many)


def test_band_text_is_dark_on_a_light_band_and_white_on_a_dark_one():
    assert [_ink("#f9a825"), _ink("#c62828"), _ink("#2e7d32"), _ink("nonsense")] == ["#17212b", "#ffffff", "#ffffff", "#ffffff"]


# --- the aspects register ------------------------------------------------------------------


def test_the_aspects_register_pdf_highlights_significant_aspects(world):
    for side, activity, scores in ((world.a, "Tournage", (4, 4, 3)), (world.a, "Sciage", (1, 1, 1)), (world.b, "Fraisage", (4, 4, 3))):
        aspect = _aspect(side, *scores)
        EnvironmentalAspect.objects.filter(pk=aspect.pk).update(activity=activity)

    report, text = rendered(world, "risks.aspects_register")

    assert "Tournage" in text and "Sciage" in text and "Fraisage" not in text
    assert "= 48" in text
    assert ("1 aspect significatif sur 2" in text) or ("1 significant aspect out of 2" in text)


def test_the_aspects_register_context_costs_the_same_queries_for_3_or_30_aspects(world):
    def queries() -> int:
        with as_member(world.user(), world.a.organization):
            return count_queries(lambda: aspects_register_context(world.a.organization, world.user(), today=TODAY))

    for _ in range(3):
        _aspect(world.a)
    few = queries()
    for index in range(27):
        _aspect(world.a, severity=1 + index % 4, frequency=4, control=3)
    many = queries()

    assert many == few <= 2, (few, many)
    with as_member(world.user(), world.a.organization):
        context = aspects_register_context(world.a.organization, world.user(), today=TODAY)
    assert context["total"] == 30 and [a["is_significant"] for a in context["aspects"]][:1] == [True]


# --- pages -----------------------------------------------------------------------------------


def _request_url(kind: str, organization) -> str:
    return reverse("qse:report_request", args=[kind, organization.pk])


@pytest.mark.parametrize(("page", "kind"), [
    ("/risks/heatmap/", "risks.register"),
    ("/risks/risks/", "risks.register"),
    ("/risks/environmental-aspects/", "risks.aspects_register"),
])
def test_the_pages_offer_their_pdf(client, world, page, kind):
    client.force_login(world.user(Role.AUDITOR))
    assert f'action="{_request_url(kind, world.a.organization)}"' in client.get(page).content.decode()


def test_asking_for_the_register_pdf_of_another_organization_is_a_404(client, world):
    client.force_login(world.user())
    assert client.post(_request_url("risks.register", world.b.organization)).status_code == 404
    response = client.post(_request_url("risks.register", world.a.organization))
    report = GeneratedReport.objects.get()
    assert response.status_code == 302 and report.object_id == world.a.organization.pk
    page = client.get(reverse("qse:report_status", args=[report.pk]))
    assert page.status_code == 200


def test_the_register_pdfs_level_counts_leave_out_risks_of_another_matrix(world):
    from risks.factories import RiskMatrixFactory
    from risks.models import Risk

    other_matrix = RiskMatrixFactory(organization=world.a.organization, library_id="matrix-5x5", is_default=False)
    RiskFactory(organization=world.a.organization, matrix=other_matrix, owner=world.user(), reference="R-900")
    with as_member(world.user(), world.a.organization):
        context = risk_register_context(world.a.organization, world.user(), today=TODAY)
    counted = sum(level["inherent"] for level in context["levels"])
    assert counted == Risk.objects.filter(organization=world.a.organization, matrix=world.a.matrix).count()


def test_a_register_beyond_the_detail_limit_is_a_summary_with_its_most_pressing_risks_said_beforehand(world, client, settings):
    """6,000 risks made a 700-page table WeasyPrint could not lay out: past the limit the PDF
    counts every risk in its overview and details the most pressing, and says so first."""
    settings.QSE_REGISTER_PDF_DETAIL_ROWS = 5
    mild = _register(world.a, 6)  # inherent 4x3, residual 2x2
    severe = RiskFactory(organization=world.a.organization, matrix=world.a.matrix, owner=world.user(),
                         reference="AL-900", title="Explosion du four de traitement thermique",
                         inherent_gravity=5, inherent_probability=4)
    closed = RiskFactory(organization=world.a.organization, matrix=world.a.matrix, owner=world.user(),
                         reference="AL-901", title="Risque clos mais élevé", status=RiskStatus.CLOSED,
                         inherent_gravity=5, inherent_probability=5)

    report, text = rendered(world, "risks.register")

    assert "Explosion du four de traitement thermique" in text  # the highest open score is kept
    assert closed.title not in text  # closed ones come last, and the limit cuts them
    assert sum(risk.title in text for risk in mild) <= 4
    flat = " ".join(text.split())
    assert "ce PDF en donne la synthèse et les 5 plus importants" in flat
    assert severe.reference in text
    client.force_login(world.user())
    page = client.get(report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "ce PDF en donne la synthèse et les 5 plus importants" in page
