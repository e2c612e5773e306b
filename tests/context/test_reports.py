"""The context of the organization as a PDF (chapter 4 of the manual): rendered for real with
WeasyPrint, read back with poppler, scoped to the requester's organization, with a query
budget that does not grow with the rows."""

from __future__ import annotations

import contextlib
import subprocess

import pytest
from django.urls import reverse

from context.choices import IssueOrigin, PartyCategory, Pestel, PolicyKind, SwotQuadrant
from context.factories import (
    ClimateDecisionFactory,
    ContextIssueFactory,
    InterestedPartyFactory,
    PartyExpectationFactory,
    PolicyStatementFactory,
    SwotItemFactory,
)
from context.reports import context_chapter_context
from qse.models import GeneratedReport, Membership
from qse.reports import pdf_render_task, report_request
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import TODAY, build_world, count_queries

KIND = "context.chapter"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@contextlib.contextmanager
def as_member(user, organization):
    membership = Membership.objects.get(user=user, organization=organization)
    with organization_context(organization, membership):
        yield


def _context(side, *, parties: int = 2, issues: int = 2) -> None:
    organization, manager = side.organization, side.users[Role.COORDINATOR]
    name = organization.name
    for kind, text in ((PolicyKind.MISSION, f"Mission de {name}"), (PolicyKind.POLICY, f"Politique QSE de {name}")):
        PolicyStatementFactory(organization=organization, kind=kind, text=text, approved_by=manager)
    scope = PolicyStatementFactory(organization=organization, kind=PolicyKind.SCOPE, text=f"Périmètre de {name}",
                                   approved_by=manager, exclusions="Conception (8.3) : plans fournis par les clients.")
    scope.sites.set([side.site])
    for index in range(issues):
        ContextIssueFactory(organization=organization, title=f"{name} enjeu externe {index}", pestel=Pestel.LEGAL)
        ContextIssueFactory(organization=organization, title=f"{name} enjeu interne {index}", origin=IssueOrigin.INTERNAL,
                            pestel="").processes.set([side.process])
    SwotItemFactory(organization=organization, quadrant=SwotQuadrant.THREAT, text=f"{name} menace")
    for index in range(parties):
        party = InterestedPartyFactory(organization=organization, name=f"{name} partie {index}", influence=5, interest=1 + index % 5,
                                       category=PartyCategory.AUTHORITIES)
        PartyExpectationFactory(party=party, text=f"{name} attente {index}", is_compliance_obligation=True).processes.set([side.process])
    ClimateDecisionFactory(organization=organization, decided_by=manager, justification=f"Décision climat de {name}")


def test_the_context_pdf_reads_like_chapter_4_of_the_manual(world):
    _context(world.a)
    _context(world.b)
    user = world.user(Role.AUDITOR)
    with as_member(user, world.a.organization):
        report = report_request(kind=KIND, target=world.a.organization, acting_user=user)
    assert pdf_render_task(organization_id=report.organization_id, report_id=report.pk) == "done"
    report.refresh_from_db()

    text = subprocess.run(["pdftotext", "-layout", report.file.path, "-"], capture_output=True, check=True).stdout.decode()
    name = world.a.organization.name
    for expected in (f"Mission de {name}", f"Politique QSE de {name}", f"Périmètre de {name}", "Conception (8.3)",
                     f"{name} enjeu externe 1", f"{name} enjeu interne 0", f"{name} menace", f"{name} attente 1",
                     f"Décision climat de {name}", world.a.site.name, "ISO 14001"):
        assert expected in text, expected
    assert "Beta" not in text
    assert f"1 / {report.page_count}" in text


def test_the_context_builder_places_parties_on_the_influence_interest_grid(world):
    _context(world.a, parties=5)
    with as_member(world.user(), world.a.organization):
        context = context_chapter_context(world.a.organization, world.user(), today=TODAY)

    grid = {cell["priority"]: cell["names"] for row in context["party_grid"] for cell in row}
    name = world.a.organization.name
    assert grid["keep_satisfied"] == [f"{name} partie 0", f"{name} partie 1"]
    assert grid["manage_closely"] == [f"{name} partie 2", f"{name} partie 3", f"{name} partie 4"]
    assert grid["monitor"] == grid["keep_informed"] == []
    scope = next(s for s in context["statements"] if s["kind"] == PolicyKind.SCOPE)
    assert scope["sites"] == [world.a.site.name] and "ISO 9001" in scope["standards"]
    vision = next(s for s in context["statements"] if s["kind"] == PolicyKind.VISION)
    assert vision["text"] == ""


def test_the_context_builder_costs_the_same_queries_for_3_or_30_rows(world):
    def queries() -> int:
        with as_member(world.user(), world.a.organization):
            return count_queries(lambda: context_chapter_context(world.a.organization, world.user(), today=TODAY))

    _context(world.a, parties=3, issues=2)
    few = queries()
    _context(world.a, parties=30, issues=15)
    many = queries()

    assert many == few, (few, many)


def test_the_context_page_offers_the_pdf_and_another_organization_is_a_404(client, world):
    client.force_login(world.user(Role.CONTRIBUTOR))
    url = reverse("qse:report_request", args=[KIND, world.a.organization.pk])
    assert f'action="{url}"' in client.get(reverse("context:overview")).content.decode()
    assert client.post(reverse("qse:report_request", args=[KIND, world.b.organization.pk])).status_code == 404
    assert client.post(url).status_code == 302
    assert GeneratedReport.objects.get().object_id == world.a.organization.pk
