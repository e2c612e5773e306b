"""The programme: risk-based frequency (a table), clause coverage, the page's calendar, and
the management review's audit sections (values written by hand, queries counted)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from audits import planning
from audits.factories import (
    AuditAnswerFactory,
    AuditFactory,
    AuditProgrammeFactory,
    AuditQuestionFactory,
)
from audits.models import Finding
from audits.selectors_review import audit_results, programme_completion
from nonconformities.factories import EventFactory
from qse.factories import ProcessFactory
from qse.review import ReviewScope, section
from qse.roles import Role
from qse.testing import count_queries
from risks.factories import RiskFactory, RiskMatrixFactory


@pytest.mark.parametrize(("high_risks", "events", "per_year"), [
    (0, 0, 0.5), (0, 1, 0.5), (1, 0, 1.0), (0, 2, 1.0), (2, 4, 1.0), (3, 0, 2.0), (0, 5, 2.0), (4, 9, 2.0),
])
def test_the_proposed_frequency_follows_high_risks_and_events(high_risks, events, per_year):
    assert planning.frequency_for(high_risks=high_risks, events=events).per_year == per_year


def test_the_reason_of_a_frequency_names_its_figures_in_french():
    with translation.override("fr"):
        reason = planning.frequency_for(high_risks=3, events=1).reason
    assert reason == "3 risque(s) élevé(s), 1 non-conformité(s) ou événement(s) sur 12 mois"


@pytest.mark.parametrize(("audited", "clause", "covered"), [
    ("8.4", "8.4", True), ("8.4.2", "8.4", True), ("8", "8.4", True), ("8.5", "8.4", False), ("8.41", "8.4", False),
    ("10.2", "10", True),
])
def test_an_audited_clause_covers_itself_its_parent_and_its_sub_clauses(audited, clause, covered):
    assert planning.covers(audited, clause) is covered


def test_every_standard_has_its_clauses_in_both_languages():
    with translation.override("en"):
        assert ("8.4", "Control of externally provided processes, products and services") in planning.clauses_of(
            "iso9001:2015")
    with translation.override("fr"):
        titles = dict(planning.clauses_of("iso14001:2015"))
    assert titles["6.1.2"] == "Aspects environnementaux"
    assert set(planning.standards_with_clauses()) == {"iso9001:2015", "iso14001:2015", "iso45001:2018"}


def _programme(world):
    programme = AuditProgrammeFactory(organization=world.a.organization, year=2026, title="Programme 2026")
    AuditFactory(organization=world.a.organization, programme=programme, process=world.a.process, kind="process",
                 standards=["iso9001:2015"], clauses=["8.4", "8.5"], planned_start=datetime.date(2026, 3, 10),
                 title="Audit achats mars", lead_auditor=world.a.users[Role.AUDITOR])
    AuditFactory(organization=world.a.organization, programme=programme, kind="system", standards=["iso45001:2018"],
                 clauses=[], planned_start=datetime.date(2026, 9, 15), title="Audit système SST",
                 lead_auditor=world.a.users[Role.AUDITOR])
    AuditFactory(organization=world.a.organization, programme=programme, standards=["iso14001:2015"],
                 clauses=["6.1"], planned_start=datetime.date(2026, 6, 1), status="cancelled", title="Annulé")
    return programme


def test_the_programme_page_shows_the_calendar_coverage_and_frequencies(client, world):
    programme = _programme(world)
    matrix = RiskMatrixFactory(organization=world.a.organization)
    stocks = ProcessFactory(organization=world.a.organization, code="R2", name="Stocks",
                            owner=world.a.users[Role.PROCESS_OWNER])
    for _n in range(3):
        RiskFactory(organization=world.a.organization, matrix=matrix, process=stocks, inherent_score=99, inherent_level="high",
                    residual_score=None)
    client.force_login(world.a.users[Role.MANAGEMENT])
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "Audit achats mars" in html and "Audit système SST" in html
    # ISO 9001 covers 8.4 and 8.5 only; ISO 45001 is covered whole by its system audit; the
    # cancelled audit covers nothing of ISO 14001.
    assert "2 clauses couvertes sur 28" in html and "30 clauses couvertes sur 30" in html
    assert "0 clauses couvertes sur 26" in html
    assert "Non audité cette année" in html and "Stocks" in html
    assert "Deux fois par an" in html and "3 risque(s) élevé(s)" in html


def _finished_audit(world, *, process, standard="iso9001:2015", results=("major_nc", "minor_nc"), status="reported",
                    start=datetime.date(2026, 5, 4)):
    audit = AuditFactory(organization=world.a.organization, process=process, standards=[standard], status=status,
                         planned_start=start, lead_auditor=world.a.users[Role.AUDITOR])
    for index, result in enumerate(results):
        answer = AuditAnswerFactory(question=AuditQuestionFactory(audit=audit, standard=standard, clause=f"8.{index}"),
                                    result=result)
        event = EventFactory(organization=world.a.organization, event_type="audit_finding",
                             status="closed" if index else "open")
        Finding.objects.create(organization=world.a.organization, audit=audit, answer=answer, event=event,
                               result=result, standard=standard, clause=f"8.{index}")
    return audit


def _scope(world):
    return ReviewScope(organization_id=world.a.organization.pk, start=datetime.date(2026, 1, 1),
                       end=datetime.date(2026, 12, 31))


def test_the_review_reads_audit_results_by_standard_and_process(world):
    _finished_audit(world, process=world.a.process)
    _finished_audit(world, process=world.a.process, standard="iso14001:2015", results=("minor_nc",), status="closed")
    _finished_audit(world, process=world.a.process, status="in_progress")  # not done: not counted
    AuditFactory(organization=world.b.organization, status="reported", planned_start=datetime.date(2026, 5, 1))
    with translation.override("fr"):
        data = audit_results(_scope(world))
    assert data["rows"] == [["iso14001:2015", 1, 0, 1, 1], ["iso9001:2015", 1, 1, 1, 1]]
    assert data["by_process"] == [["R1", "Production", 2, 3, 2]]
    assert data["summary"] == "2 audit(s) réalisé(s), 3 constat(s) dont 1 majeur(s) ; 2 encore ouvert(s)."


def test_the_review_reads_the_programme_completion_and_its_gaps(world):
    _programme(world)
    _finished_audit(world, process=world.a.process, start=datetime.date(2026, 2, 2))
    with translation.override("fr"):
        data = programme_completion(_scope(world))
    assert (data["planned"], data["done"], data["cancelled"], data["late"]) == (3, 1, 1, 2)
    assert data["rate"] == 33
    assert ["iso45001:2018", 30, 30, ""] in data["rows"]
    assert data["process_gaps"] == []


def test_the_review_sections_read_a_constant_number_of_queries(world):
    _finished_audit(world, process=world.a.process)
    _programme(world)
    few_results, few_programme = count_queries(lambda: audit_results(_scope(world))), count_queries(
        lambda: programme_completion(_scope(world)))
    for _n in range(4):
        process = ProcessFactory(organization=world.a.organization, code=f"P{_n}", owner=world.a.users[Role.COORDINATOR])
        _finished_audit(world, process=process, results=("major_nc", "minor_nc", "minor_nc"))
    assert count_queries(lambda: audit_results(_scope(world))) == few_results <= 5
    assert count_queries(lambda: programme_completion(_scope(world))) == few_programme <= 5


def test_the_review_sections_are_registered_with_their_templates():
    assert section("audits.results").template_name == "audits/review/results.html"
    assert section("audits.programme").template_name == "audits/review/programme.html"
