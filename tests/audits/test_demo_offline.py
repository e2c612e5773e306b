"""The demo's checklist of the audit in progress (audits/demo_offline.py)."""

import datetime

from audits.choices import AuditStatus
from audits.demo_offline import seed_offline_checklist
from audits.factories import AuditFactory, AuditQuestionFactory
from audits.models import AuditAnswer, AuditLease, AuditQuestion
from qse.roles import Role

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)


def test_the_audit_in_progress_gets_thirty_questions_half_answered_and_prepared_for_a_tablet(world):
    lead = world.a.users[Role.AUDITOR]
    audit = AuditFactory(organization=world.a.organization, status=AuditStatus.IN_PROGRESS, lead_auditor=lead)
    AuditFactory(organization=world.a.organization, status=AuditStatus.PLANNED)

    assert seed_offline_checklist(organization=world.a.organization, now=NOW) == audit
    seed_offline_checklist(organization=world.a.organization, now=NOW)  # run twice: nothing doubled

    assert AuditQuestion.objects.filter(audit=audit).count() == 30
    answers = AuditAnswer.objects.filter(question__audit=audit)
    assert answers.count() == 15
    assert answers.filter(result="major_nc").count() == 1
    assert AuditLease.objects.get(audit=audit).user == lead


def test_an_audit_that_already_has_its_checklist_keeps_it(world):
    audit = AuditFactory(organization=world.a.organization, status=AuditStatus.IN_PROGRESS)
    AuditQuestionFactory(audit=audit)

    seed_offline_checklist(organization=world.a.organization, now=NOW)

    assert AuditQuestion.objects.filter(audit=audit).count() == 1
    assert not AuditAnswer.objects.filter(question__audit=audit).exists()
    assert not AuditLease.objects.exists()  # no lead auditor to hold it
