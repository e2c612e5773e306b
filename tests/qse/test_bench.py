"""The benchmark's own machinery: the dataset generator and the budget arithmetic."""

from __future__ import annotations

import pytest
from django.db import connection

from audits.choices import AnswerResult, AuditStatus
from audits.models import Audit, AuditAnswer, Finding, Supplier
from compliance.models import Evaluation
from improvement.models import Action, ImprovementProject, ManagementReview, TrainingRecord
from nonconformities.models import A3Report, EightD, Event
from objectives.models import Measurement, Objective
from qse.bench.budgets import checks_across_scales, checks_of_scale
from qse.bench.dataset import COORDINATOR, SITE_LIMITED, Counts, dataset_build, dataset_extend
from qse.models import Membership, Organization
from risks.models import DuerpVersion, MeterReading, OccupationalRisk, Risk, WasteRemoval


def test_counts_scale_the_full_group_and_never_drop_to_zero():
    assert Counts.at(0.1) == Counts(sites=15, processes=250, users=800, plans=300, risks=6000, actions=25000,
                                    events=20000, texts=120, requirements=1200, applicabilities=6000,
                                    evaluations=12000, objectives=300, indicators=500, measurements=12000,
                                    devices=150, sensor_readings=7_000_000, waste_removals=6000, meters=150,
                                    meter_readings=54000, audit_programmes=15, audits=3000,
                                    checklist_answers=300_000, suppliers=500, reviews=30, projects=150, eightds=200,
                                    a3s=200, work_units=75, occupational_risks=3000, duerp_versions=3, teams=50,
                                    suggestions=2000, training_topics=20, training_records=8000)
    assert Counts.at(0.00001).sites == 1


@pytest.mark.django_db
def test_the_dataset_builds_a_group_with_its_probe_users_and_twenty_small_organizations():
    built = dataset_build(scale=0.0004)

    group = Organization.objects.get(slug="bench-group")
    assert built["group"]["organization_id"] == group.pk
    assert Action.objects.filter(organization=group).count() == 100
    assert Risk.objects.filter(organization=group).count() == 24
    assert Event.objects.filter(organization=group).count() == 80
    # The later modules' rows: 28,000 sensor readings over one device, one current evaluation per
    # requirement and site (5 requirements x 1 site), the 48 others superseded.
    assert Evaluation.objects.filter(organization=group).count() == 48
    assert Evaluation.objects.filter(organization=group, is_current=True).count() == 5
    assert Objective.objects.filter(organization=group).count() == 1
    assert Measurement.objects.filter(organization=group).count() == 48
    assert WasteRemoval.objects.filter(organization=group).count() == 24
    assert MeterReading.objects.filter(organization=group).count() == 216
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT measured_at) FROM objectives_sensorreading "
                       "WHERE organization_id = %s", [group.pk])
        assert cursor.fetchone() == (28000, 28000)
    assert Organization.objects.filter(slug__startswith="bench-small-").count() == 20
    limited = Membership.objects.get(user__username=SITE_LIMITED)
    assert len(limited.site_ids) == 1  # the group has one site at this scale; three at 1/10
    assert Membership.objects.get(user__username=COORDINATOR).role == "coordinator"


@pytest.mark.django_db
def test_extend_adds_the_later_modules_to_a_bench_database_built_without_them_and_nothing_when_run_again(monkeypatch):
    monkeypatch.setattr("qse.bench.dataset.build_audit_modules", lambda context: {})
    dataset_build(scale=0.0004)  # a database built before the audits' part existed
    group = Organization.objects.get(slug="bench-group")
    assert not Audit.objects.filter(organization=group).exists()
    monkeypatch.undo()

    added = dataset_extend(scale=0.0004)

    assert set(added["bench-group"]) == {
        "audits.Supplier", "audits.Audit", "improvement.ManagementReview", "improvement.ImprovementTeam",
        "improvement.ImprovementProject", "nonconformities.EightD", "nonconformities.A3Report",
        "improvement.Suggestion", "improvement.TrainingRecord", "risks.WorkUnit"}
    # 12 audits of 100 questions, each answered (blank for an audit still to come), one
    # nonconformity every 50 questions of a past audit, each a finding on an event.
    assert Audit.objects.filter(organization=group).count() == 12
    assert AuditAnswer.objects.filter(organization=group).count() == 1200
    past = Audit.objects.filter(organization=group).exclude(status=AuditStatus.PLANNED).count()
    assert Finding.objects.filter(organization=group).count() == 2 * past
    assert set(Finding.objects.filter(organization=group).values_list("answer__result", flat=True)) <= {
        AnswerResult.MINOR_NC, AnswerResult.MAJOR_NC}
    assert not AuditAnswer.objects.filter(question__audit__status=AuditStatus.PLANNED).exclude(result="").exists()
    # The rows written by PostgreSQL have their history rows, as the triggers would have written them.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT pgh_obj_id) FROM audits_auditanswerevent "
                       "WHERE organization_id = %s AND pgh_label = 'insert'", [group.pk])
        assert cursor.fetchone() == (1200, 1200)
    assert Supplier.objects.get(organization=group, name="Fournisseur Bench 00000").figures.count() == 12
    review = ManagementReview.objects.get(organization=group)
    assert review.inputs.exists() and review.status == "collected"
    assert ImprovementProject.objects.get(organization=group).phases.exists()
    assert EightD.objects.filter(organization=group).count() == 1 and A3Report.objects.filter(organization=group).count() == 1
    assert EightD.objects.get(organization=group).event_id != A3Report.objects.get(organization=group).event_id
    assert OccupationalRisk.objects.filter(organization=group).count() == 12
    assert DuerpVersion.objects.get(organization=group).snapshot["risk_count"] == 12
    assert TrainingRecord.objects.filter(organization=group).count() == 32
    # A small organization has a coordinator of its own to run the product's services.
    assert Membership.objects.filter(organization__slug="bench-small-00", role="coordinator").count() == 1

    assert all(parts == {} for parts in dataset_extend(scale=0.0004).values())
    assert AuditAnswer.objects.filter(organization=group).count() == 1200


def _page(p95, kind="html", queries=10, **extra):
    return {"p95": p95, "p50": p95, "kind": kind, "queries": queries, "bytes": 1000, **extra}


def _run(scale, coordinator, limited, floors):
    return {"scale": scale, "users": {COORDINATOR: coordinator, SITE_LIMITED: limited}, "floors": floors}


def test_a_page_is_compared_with_a_bare_view_returning_the_same_rows():
    coordinator = {"hello": _page(0.010, "floor"), "list": _page(0.050), "api": _page(0.050, "api"),
                   "board": _page(0.030, "dashboard"), "csv": _page(1.0, "export", peak_rss_growth_mb=150)}
    floors = {"list": {"p95": 0.002}, "api": {"p95": 0.002}, "board": {"p95": 0.005}, "csv": {"p95": 0.1}}
    limited = {"list": _page(0.070), "api": _page(0.0505, "api")}

    checks = {(c.budget, c.probe): c for c in checks_of_scale(_run(0.1, coordinator, limited, floors),
                                                              COORDINATOR, SITE_LIMITED)}

    assert round(checks["P1", "list"].ratio, 2) == 4.17 and checks["P1", "list"].ok  # 50 / (10 + 2)
    assert not checks["P1", "api"].ok  # 4.17 > 3 for an API list
    assert round(checks["P6", "board"].ratio, 2) == 2.0 and checks["P6", "board"].ok
    assert checks["P10", "csv"].ratio == 10 and not checks["P10", "csv"].ok
    assert not checks["P10 memory", "csv"].ok
    assert round(checks["P4", "list"].ratio, 2) == 1.4 and not checks["P4", "list"].ok
    assert checks["P4", "api"].ratio == 1.0  # half a millisecond is timer noise


def test_growth_with_ten_times_the_data_and_constant_queries_are_checked_across_scales():
    small = _run(0.01, {"list": _page(0.040, queries=12)}, {}, {})
    large = _run(0.1, {"list": _page(0.060, queries=13)}, {}, {})

    checks = {c.budget: c for c in checks_across_scales(small, large, COORDINATOR)}

    assert checks["P3"].ratio == 1.5 and not checks["P3"].ok
    assert not checks["P2"].ok  # one more query with more rows


def test_a_pdf_is_compared_per_page_with_its_content_unstyled_and_a_crash_is_broken():
    coordinator = {"hello": _page(0.010, "floor")}
    run = _run(0.1, coordinator, {}, {})
    run["pdfs"] = {
        "plan": {"seconds": 3.0, "pages": 3, "plain_seconds": 1.0, "plain_pages": 2, "peak_rss_growth_mb": 40},
        "register": {"error": "_TooLong", "limit_seconds": 150},
    }

    checks = {c.probe: c for c in checks_of_scale(run, COORDINATOR, SITE_LIMITED) if c.budget == "P8"}

    assert checks["plan"].ratio == 2.0 and checks["plan"].ok  # 1 s per page vs 0.5 s per page
    assert not checks["register"].ok


def test_a_page_failing_with_a_server_error_is_a_broken_budget_and_a_pdf_without_a_record_is_not_judged():
    coordinator = {"hello": _page(0.010, "floor"), "audits": _page(0.020, status=500)}
    run = _run(0.1, coordinator, {}, {"audits": {"p95": 0.001}})
    run["pdfs"] = {"PDF audits.report": {"kind": "audits.report", "skipped": "no record to report on in the dataset"}}

    checks = checks_of_scale(run, COORDINATOR, SITE_LIMITED)

    assert [(c.budget, c.probe, c.ok) for c in checks] == [("HTTP", "audits", False)]
