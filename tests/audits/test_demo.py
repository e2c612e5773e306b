"""The demo's audits: the year's programme with its coverage, a finished audit with findings,
events and signatures, an audit in progress, the auditors' competences."""

import datetime

from audits.models import Audit, AuditorCompetence, AuditProgramme, Finding
from audits.selectors import coverage_of
from nonconformities.models import Event
from qse.demo import seed_demo
from qse.models import Organization, Process

TODAY = datetime.date(2026, 11, 23)


def test_the_demo_has_a_covered_programme_a_finished_audit_and_one_in_progress(db):
    assert seed_demo(today=TODAY) is True
    main = Organization.objects.get(slug="usinage-precis-du-rhone")
    programme = AuditProgramme.objects.get(organization=main, year=2026)
    audits = Audit.objects.filter(programme=programme).exclude(status="cancelled")
    coverage = coverage_of(audits, Process.objects.filter(organization=main))
    assert coverage["process_gaps"] == []
    assert {s["standard"]: s["covered"] == s["total"] for s in coverage["standards"]} == {
        "iso9001:2015": True, "iso14001:2015": True, "iso45001:2018": True}
    finished = Audit.objects.get(organization=main, status="reported", reference="AUD-2026-20")
    findings = Finding.objects.filter(audit=finished).select_related("event")
    assert sorted((f.clause, f.result, f.event.event_type) for f in findings) == [
        ("7.1.5", "major_nc", "audit_finding"), ("8.5.1", "minor_nc", "audit_finding")]
    assert finished.lead_signature and finished.auditee_signature and finished.auditees.count() == 2
    assert Audit.objects.filter(organization=main, status="in_progress").count() == 1
    # The audit prepared for the tablet: the ISO 9001 bank's 29 questions and the plant's own one,
    # built from the banks; its first 15 answered; reserved to the lead auditor's tablet.
    walk = Audit.objects.get(organization=main, status="in_progress")
    assert walk.questions.count() == 30
    assert set(walk.questions.values_list("source", flat=True)) == {"bank"}
    assert walk.questions.filter(answer__isnull=False).count() == 15
    assert walk.lease.user.username == "auditor"
    assert AuditorCompetence.objects.filter(organization=main).count() == 2
    # The demo's two supplier NCs are linked to their suppliers by key (the complaints are not).
    linked = Event.objects.filter(organization=main).exclude(supplier=None).values_list("supplier__name", "event_type")
    assert sorted(linked) == [("Métaux Alpes Distribution", "supplier_nc"), ("Rhône Traitements de Surface", "supplier_nc")]
