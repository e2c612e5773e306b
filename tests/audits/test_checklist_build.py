"""Building an audit's checklist: from chosen banks and clauses, from the audit's criteria and
from the nonconformities earlier audits found on the same scope; twice adds nothing; the
checklist is reordered and trimmed until the audit starts (page and API)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audits.checklist_build import BuildChoice, checklist_build, checklist_remove, clause_matches
from audits.choices import AuditKind, AuditStatus
from audits.factories import AuditAnswerFactory, AuditFactory, AuditQuestionFactory, SupplierFactory
from audits.models import AuditQuestion, QuestionBank
from audits.services_banks import bank_library_load
from qse.roles import Role


@pytest.mark.parametrize(("clause", "wanted", "expected"), [
    ("8.4", ("8.4",), True), ("8.4.1", ("8.4",), True), ("8.4", ("8.4.2",), True), ("8.4", ("8",), True),
    ("8.41", ("8.4",), False), ("9.2", ("8.4", "9.1"), False), ("7.5", (), True),
])
def test_a_clause_matches_the_clauses_asked_at_a_dot_boundary(clause, wanted, expected):
    assert clause_matches(clause, wanted) is expected


def _banks(coordinator):
    return {key: QuestionBank.objects.get(pk=bank_library_load(library_id=key, acting_user=coordinator, language="fr")["bank"])
            for key in ("iso9001-2015", "iso14001-2015", "supplier-questionnaire")}


def test_criteria_bring_the_clauses_of_the_audits_standards_and_twice_adds_nothing(world, as_member):
    coordinator = as_member(Role.COORDINATOR)
    _banks(coordinator)
    audit = AuditFactory(organization=world.a.organization, standards=["iso9001:2015"], clauses=["8.4", "9.2"],
                         process=world.a.process, status=AuditStatus.PLANNED)
    first = checklist_build(audit=audit, acting_user=coordinator, choice=BuildChoice())
    assert first == {"criteria": 3, "past_finding": 0}
    questions = list(audit.questions.order_by("position"))
    assert [q.bank_reference for q in questions] == ["iso9001-2015/8.4/1", "iso9001-2015/8.4/2", "iso9001-2015/9.2/1"]
    assert [q.position for q in questions] == [1, 2, 3]
    assert {q.source for q in questions} == {"criteria"} and questions[0].standard == "iso9001:2015"
    assert checklist_build(audit=audit, acting_user=coordinator, choice=BuildChoice()) == {"criteria": 0, "past_finding": 0}
    assert audit.questions.count() == 3


def test_chosen_banks_limited_to_clauses_then_past_findings_of_the_same_supplier(world, as_member):
    coordinator = as_member(Role.COORDINATOR)
    banks = _banks(coordinator)
    supplier = SupplierFactory(organization=world.a.organization, name="Fonderie du Gier")
    earlier = AuditFactory(organization=world.a.organization, kind=AuditKind.SUPPLIER, supplier=supplier,
                           planned_start=datetime.date(2025, 5, 12), status=AuditStatus.CLOSED)
    found = AuditAnswerFactory(question=AuditQuestionFactory(audit=earlier, clause="S3", text="Plan de contrôle à jour ?"),
                               result="major_nc", comment="Plan de contrôle indice B au poste, C en vigueur.")
    AuditAnswerFactory(question=AuditQuestionFactory(audit=earlier, clause="S5"), result="conforming")
    other = AuditFactory(organization=world.a.organization, kind=AuditKind.SUPPLIER,
                         supplier=SupplierFactory(organization=world.a.organization),
                         planned_start=datetime.date(2025, 6, 1))
    AuditAnswerFactory(question=AuditQuestionFactory(audit=other), result="minor_nc")
    audit = AuditFactory(organization=world.a.organization, kind=AuditKind.SUPPLIER, supplier=supplier, standards=[],
                         planned_start=datetime.date(2026, 5, 11))
    counts = checklist_build(audit=audit, acting_user=coordinator, choice=BuildChoice(
        bank_ids=(banks["iso14001-2015"].pk,), clauses=("8.1", "8.2"), from_criteria=True))
    # 14001 clauses 8.1 (two questions) and 8.2, then the supplier questionnaire (criteria of a
    # supplier audit), then the one NC of this supplier's earlier audit.
    assert counts == {"bank": 3, "criteria": 12, "past_finding": 1}
    last = audit.questions.order_by("-position").first()
    assert (last.source, last.bank_reference, last.position) == ("past_finding", f"finding:{found.pk}", 16)
    assert "Plan de contrôle indice B" in last.guidance and last.text == "Plan de contrôle à jour ?"
    assert checklist_build(audit=audit, acting_user=coordinator, choice=BuildChoice(
        bank_ids=(banks["iso14001-2015"].pk,), clauses=("8.1", "8.2"))) == {"bank": 0, "criteria": 0, "past_finding": 0}


def test_an_edited_copy_wins_over_its_library_bank_and_the_question_comes_once(world, as_member):
    from audits.services_banks import bank_copy

    coordinator = as_member(Role.COORDINATOR)
    banks = _banks(coordinator)
    copy = bank_copy(bank=banks["iso9001-2015"], acting_user=coordinator)
    copy.questions.filter(reference="iso9001-2015/7.5/1").update(text="La GED est-elle à jour ?")
    audit = AuditFactory(organization=world.a.organization, standards=["iso9001:2015"], clauses=["7.5"])
    checklist_build(audit=audit, acting_user=coordinator, choice=BuildChoice(from_findings=False))
    assert list(audit.questions.values_list("text", flat=True)) == ["La GED est-elle à jour ?"]


def test_a_started_audit_keeps_its_checklist_and_an_answered_question_stays(world, as_member):
    coordinator = as_member(Role.COORDINATOR)
    audit = AuditFactory(organization=world.a.organization, status=AuditStatus.IN_PROGRESS)
    with translation.override("en"), pytest.raises(ValidationError, match="audit has started"):
        checklist_build(audit=audit, acting_user=coordinator, choice=BuildChoice())
    planned = AuditFactory(organization=world.a.organization)
    answered = AuditAnswerFactory(question=AuditQuestionFactory(audit=planned)).question
    with translation.override("en"), pytest.raises(ValidationError, match="already answered"):
        checklist_remove(question=answered, acting_user=coordinator)
    assert AuditQuestion.objects.filter(pk=answered.pk).exists()


def test_the_page_builds_moves_and_removes_and_the_auditor_only_reads(client, world, as_member):
    _banks(as_member(Role.COORDINATOR))
    audit = AuditFactory(organization=world.a.organization, standards=["iso9001:2015"], clauses=["8.4"])
    url = f"/audits/checklists/{audit.pk}/"
    client.force_login(world.a.users[Role.AUDITOR])
    assert client.get(url).status_code == 200
    assert client.post(url, {"from_criteria": "on"}).status_code == 403
    client.force_login(world.user())
    assert client.post(url, {"from_criteria": "on", "from_findings": "on"}).status_code == 302
    first, second = audit.questions.order_by("position")
    assert client.post(f"/audits/checklists/questions/{second.pk}/move/", {"step": "up"}).status_code == 302
    assert list(audit.questions.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    assert client.post(f"/audits/checklists/questions/{first.pk}/remove/").status_code == 302
    assert list(audit.questions.values_list("pk", flat=True)) == [second.pk]
    page = client.get(url).content.decode()
    assert second.text in page and first.text not in page


def test_the_api_builds_reorders_removes_and_is_404_across_organizations(client, world, as_member):
    theirs = AuditFactory(organization=world.b.organization)  # made before the tenant is A's
    banks = _banks(as_member(Role.COORDINATOR))
    audit = AuditFactory(organization=world.a.organization, standards=[])
    client.force_login(world.user())
    api = f"/api/v1/audits/checklists/{audit.pk}/"
    built = client.post(api, {"bank_ids": [banks["supplier-questionnaire"].pk], "clauses": ["S4"]},
                        content_type="application/json")
    assert built.status_code == 200 and built.json() == {"bank": 2, "criteria": 0, "past_finding": 0}
    ids = [row["id"] for row in client.get(api).json()]
    assert len(ids) == 2
    reordered = client.put(api, {"question_ids": ids[::-1]}, content_type="application/json")
    assert [row["id"] for row in reordered.json()] == ids[::-1]
    assert client.put(api, {"question_ids": ids[:1]}, content_type="application/json").status_code == 400
    assert client.delete(f"/api/v1/audits/checklist-questions/{ids[0]}/").status_code == 204
    assert [row["id"] for row in client.get(api).json()] == [ids[1]]
    assert client.get(f"/api/v1/audits/checklists/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/audits/checklists/{theirs.pk}/", {}, content_type="application/json").status_code == 404
