"""Every registered report kind, generated the way production does: the record is made by one
user, the PDF is asked for (through the page's POST) by another member who may view it, a real
Celery worker connected as the application database role renders it, and the PDF's text
(pdftotext) names the record.

A report kind registered without an entry in ``KINDS`` fails the meta-test below.
"""

from __future__ import annotations

import datetime
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from context.factories import ContextIssueFactory
from improvement.factories import ActionFactory, ActionPlanFactory
from nonconformities.factories import A3ReportFactory, EightDFactory, EventFactory
from qse import reports
from qse.celery import app
from qse.models import GeneratedReport, Membership, ReportStatus
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import build_world
from risks import aspects, services_duerp
from risks.factories import RiskFactory, RiskMatrixFactory
from risks.models import EnvironmentalAspect, OccupationalRisk, WorkUnit
from tests.qse.test_celery_worker import TEST_REDIS_URL, Workers, stop_worker

TODAY = datetime.date(2026, 11, 23)
CREATOR, REQUESTER = Role.COORDINATOR, Role.AUDITOR


# --- one entry per report kind: make the record as the creator, and what the PDF must say ---


def _action_plan(side):
    plan = ActionPlanFactory(organization=side.organization, owner=side.users[CREATOR], title="Plan ébavurage carters")
    ActionFactory(organization=side.organization, plan=plan, owner=side.users[CREATOR], title="Réviser la gamme G-17")
    return plan


def _event(side, reference="EV-2026-0041"):
    return EventFactory(organization=side.organization, reference=reference, title=f"Bavures carter {reference}",
                        created_by=side.users[CREATOR], site=side.site)


def _eightd(side):
    return EightDFactory(event=_event(side, "EV-2026-0042"), champion=side.users[CREATOR], leader=side.users[CREATOR])


def _a3(side):
    return A3ReportFactory(event=_event(side, "EV-2026-0043"), owner=side.users[CREATOR])


def _default_matrix(side):
    from risks.models import RiskMatrix

    default = RiskMatrix.objects.filter(organization=side.organization, is_default=True).first()
    return default or RiskMatrixFactory(organization=side.organization, is_default=True)


def _duerp_version(side):
    matrix = _default_matrix(side)
    unit = WorkUnit.objects.create(organization=side.organization, site=side.site, name="Atelier presses", headcount=9)
    risk = OccupationalRisk.objects.create(
        organization=side.organization, work_unit=unit, hazard_family="noise", situation="Presse P12 sans capot",
        exposed_workers=4, matrix=matrix, gravity=3, probability=2,
        **services_duerp.occupational_scored(matrix.data, 3, 2),
    )
    creator = side.users[CREATOR]
    ActionFactory(organization=side.organization, plan=None, owner=creator, title="Capoter la presse P12",
                  origin_type=ContentType.objects.get_for_model(risk), origin_id=risk.pk)
    with organization_context(side.organization, Membership.objects.get(user=creator, organization=side.organization)):
        return services_duerp.duerp_publish(acting_user=creator, today=TODAY)


def _risk_register(side):
    matrix = _default_matrix(side)
    RiskFactory(organization=side.organization, matrix=matrix, owner=side.users[CREATOR], reference="R-077",
                title="Rupture d'approvisionnement en acier")
    return side.organization


def _aspects_register(side):
    score, is_significant = aspects.significance(aspects.significance_rule(), 3, 3, 2, "normal", False)
    EnvironmentalAspect.objects.create(
        organization=side.organization, site=side.site, activity="Dégraissage des pièces", aspect="Rejet de solvant",
        impact="Pollution de l'air", condition="normal", severity=3, frequency=3, control=2, score=score,
        is_significant=is_significant, owner=side.users[CREATOR],
    )
    return side.organization


def _waste_register(side):
    from decimal import Decimal

    from risks.models import WasteRegisterExtract, WasteRemoval

    WasteRemoval.objects.create(
        organization=side.organization, site=side.site, removed_on=datetime.date(2026, 3, 12), waste_code="130205",
        description="Huiles de coupe usagées", is_hazardous=True, quantity=Decimal("0.4"), tonnes=Decimal("0.4"),
        treatment_code="R9", carrier_name="Sevia", carrier_receipt="69-2018-0221", destination_name="Sevia Saint-Fons",
        destination_address="Saint-Fons", tracking_number="BSD-202603-0042",
    )
    return WasteRegisterExtract.objects.create(organization=side.organization, site=side.site,
                                               start_on=datetime.date(2026, 1, 1), end_on=datetime.date(2026, 6, 30))


def _context_chapter(side):
    ContextIssueFactory(organization=side.organization, title="Hausse du prix de l'énergie")
    return side.organization


def _site_compliance(side):
    from compliance.factories import EvaluationFactory, RequirementFactory, TextFactory

    text = TextFactory(organization=side.organization, reference="Arrêté du 31 mai 2021")
    requirement = RequirementFactory(text=text, title="Registre des déchets", themes=["déchets"])
    gap = EvaluationFactory(requirement=requirement, site=side.site, status="non_compliant",
                            evaluator=side.users[CREATOR], evaluated_on=TODAY - datetime.timedelta(days=30))
    ActionFactory(organization=side.organization, plan=None, owner=side.users[CREATOR], title="Ouvrir le registre 2026",
                  origin_kind="compliance", origin_type=ContentType.objects.get_for_model(gap), origin_id=gap.pk)
    return side.site


def _management_review(side):
    from improvement.factories import ManagementReviewFactory
    from improvement.services_review import review_collect_inputs

    review = ManagementReviewFactory(organization=side.organization, title="Revue de direction 2026")
    creator = side.users[CREATOR]
    with organization_context(side.organization, Membership.objects.get(user=creator, organization=side.organization)):
        return review_collect_inputs(review=review, acting_user=creator)
def _audit_report(side):
    from audits.factories import (
        AuditAnswerFactory,
        AuditFactory,
        AuditPhotoFactory,
        AuditQuestionFactory,
    )
    from audits.models import Finding

    audit = AuditFactory(organization=side.organization, reference="AUD-2026-31", title="Audit usinage",
                         scope="Îlots 1 à 3", lead_auditor=side.users[CREATOR], status="reported",
                         conclusion="Processus maîtrisé, métrologie à reprendre")
    question = AuditQuestionFactory(audit=audit, clause="7.1.5", text="Les moyens de mesure sont-ils étalonnés ?")
    answer = AuditAnswerFactory(question=question, result="major_nc", evidence="Micromètre M-204 échu")
    AuditPhotoFactory(question=question)
    event = EventFactory(organization=side.organization, reference="EV-2026-0044", event_type="audit_finding",
                         title="Constat métrologie", created_by=side.users[CREATOR], site=side.site)
    Finding.objects.create(organization=side.organization, audit=audit, answer=answer, event=event, result="major_nc",
                           standard="iso9001:2015", clause="7.1.5")
    return audit
def _project_closing(side):
    from decimal import Decimal

    from improvement.services_projects import project_create
    from qse.tenancy import organization_context

    membership = Membership.objects.get(user=side.users[CREATOR], organization=side.organization)
    with organization_context(side.organization, membership):
        return project_create(acting_user=side.users[CREATOR], data={
            "title": "Réduire les rebuts de la ligne L2", "method": "dmaic", "leader": side.users[CREATOR],
            "unit": "%", "direction": "lower", "baseline": Decimal("6.2"), "target": Decimal("3"),
            "result": Decimal("3.5"), "levers": "Soutien du chef d'atelier",
        })


@dataclass(frozen=True)
class Case:
    make: Callable
    expected: tuple[str, ...]  # written by hand: the record's reference or title


KINDS = {
    "improvement.action_plan": Case(_action_plan, ("Plan ébavurage carters", "Réviser la gamme G-17")),
    "nonconformities.event_sheet": Case(_event, ("EV-2026-0041", "Bavures carter EV-2026-0041")),
    "nonconformities.eightd": Case(_eightd, ("8D · EV-2026-0042", "Bavures carter EV-2026-0042")),
    "nonconformities.a3": Case(_a3, ("EV-2026-0043", "Bavures carter EV-2026-0043")),
    "risks.duerp_version": Case(_duerp_version, ("DUERP version 1", "Atelier presses", "Presse P12", "Capoter la presse P12")),
    "risks.register": Case(_risk_register, ("Alpha Usinage", "R-077", "Rupture d'approvisionnement en acier")),
    "risks.aspects_register": Case(_aspects_register, ("Alpha Usinage", "Dégraissage des pièces")),
    "risks.waste_register": Case(_waste_register, ("13 02 05*", "Huiles de coupe usagées", "BSD-202603-0042", "R9")),
    "context.chapter": Case(_context_chapter, ("Alpha Usinage", "Hausse du prix de l'énergie")),
    "improvement.management_review": Case(_management_review, (
        "Revue de direction 2026", "Sommaire", "1. État des actions des revues précédentes")),
    "improvement.project_closing": Case(_project_closing, (
        "Réduire les rebuts de la ligne L2", "-2,7 %", "-43,5 %", "Soutien du chef d'atelier")),
    "compliance.site_compliance": Case(_site_compliance, (
        "Site Alpha Usinage", "Registre des déchets", "Ouvrir le registre 2026")),
    "audits.audit_report": Case(_audit_report, (
        "AUD-2026-31", "Audit usinage", "Îlots 1 à 3", "EV-2026-0044", "Micromètre M-204 échu",
        "Processus maîtrisé, métrologie à reprendre")),
}


def registered_kinds() -> set[str]:
    reports._discover()
    return set(reports._kinds)


def test_every_registered_report_kind_has_an_entry_in_the_worker_test():
    missing = registered_kinds() - set(KINDS)
    assert not missing, f"Report kinds without a real-worker test: {sorted(missing)}"


# --- the real worker ------------------------------------------------------------------------


@pytest.fixture
def pdf_worker(transactional_db, tmp_path, settings, monkeypatch):
    """A real worker on a queue of its own; the page's ``pdf_render_task.delay`` is sent there."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
    workers = Workers(mail_dir=tmp_path, log_path=tmp_path / "worker.log")
    workers.roles_seen = set()

    def delay(**kwargs):
        with app.connection_for_write(TEST_REDIS_URL) as broker:
            reports.pdf_render_task.apply_async(kwargs=kwargs, queue=workers.queue, connection=broker,
                                                ignore_result=True)

    monkeypatch.setattr(reports.pdf_render_task, "delay", delay)
    worker = workers.start()
    yield worker, workers
    stop_worker(worker, signal.SIGTERM)
    workers.forget_queue()


def wait_until_finished(report: GeneratedReport, worker, workers, timeout: float = 90) -> None:
    """Poll the report; note meanwhile which database roles the worker's sessions use."""
    deadline = time.monotonic() + timeout
    while True:
        workers.roles_seen |= other_sessions_roles()
        report.refresh_from_db()
        if report.is_finished:
            return
        if worker.poll() is not None:
            pytest.fail(f"worker exited ({worker.returncode}):\n{workers.log()}")
        if time.monotonic() > deadline:
            pytest.fail(f"report {report.kind} still {report.status} after {timeout} s:\n{workers.log()}")
        time.sleep(0.1)


def generated_for_another_member(client, kind: str, case: Case, side, worker, workers) -> list[str]:
    """Make the record, ask for its PDF as the requester, wait for the worker; what went wrong."""
    target = case.make(side)
    response = client.post(reverse("qse:report_request", args=[kind, target.pk]))
    if response.status_code != 302:
        return [f"{kind}: the request answered {response.status_code}"]
    report = GeneratedReport.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    wait_until_finished(report, worker, workers)
    if report.status != ReportStatus.DONE:
        return [f"{kind}: {report.status} {report.error}"]
    if client.get(reverse("qse:report_download", args=[report.pk])).status_code != 200:
        return [f"{kind}: the requester cannot download it"]
    text = subprocess.run(["pdftotext", "-layout", report.file.path, "-"], capture_output=True, check=True).stdout.decode()
    return [f"{kind}: {expected!r} not in the PDF:\n{text[:1200]}" for expected in case.expected if expected not in text]


def other_sessions_roles() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT usename FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                       "AND usename IS NOT NULL")  # NULL: a session still authenticating
        return {row[0] for row in cursor.fetchall()}


def test_every_report_kind_is_generated_by_a_real_worker_for_a_member_who_did_not_create_the_record(pdf_worker, client):
    worker, workers = pdf_worker
    world = build_world()
    side = world.a
    requester = side.users[REQUESTER]
    client.force_login(requester)
    assert set(KINDS) == registered_kinds()

    failures = []
    for kind, case in KINDS.items():
        failures += generated_for_another_member(client, kind, case, side, worker, workers)

    assert not failures, "\n".join(failures)

    # The worker connected as the application role, to which row-level security applies.
    assert workers.roles_seen == {settings.DB_APP_ROLE} == {"qse_app"}
