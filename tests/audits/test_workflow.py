"""The audit workflow's guards and the independence rule, as tables (pure functions)."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest
from django.utils import translation

from audits.independence import auditee_errors, independence_errors
from audits.workflow import AuditFacts, offered, refusals

READY = AuditFacts(status="planned", has_lead_auditor=True, question_count=12, unanswered_count=0,
                   opening_held=True, closing_held=True, has_conclusion=True, is_independent=True)


@pytest.mark.parametrize(("source", "target", "allowed"), [
    ("planned", "prepared", True), ("planned", "in_progress", False), ("planned", "reported", False),
    ("prepared", "in_progress", True), ("in_progress", "reported", True), ("reported", "closed", True),
    ("reported", "in_progress", True), ("closed", "planned", False), ("cancelled", "planned", True),
    ("in_progress", "cancelled", True), ("reported", "cancelled", False),
])
def test_the_transition_table(source, target, allowed):
    assert (not refusals(replace(READY, status=source), target)) is allowed


@pytest.mark.parametrize(("facts", "target", "reason"), [
    (replace(READY, question_count=0), "prepared", "La liste de contrôle n'a encore aucune question."),
    (replace(READY, has_lead_auditor=False), "prepared", "Désignez d'abord le responsable d'audit."),
    (replace(READY, is_independent=False), "prepared", "L'équipe d'audit n'est pas indépendante du processus audité."),
    (replace(READY, status="prepared", opening_held=False), "in_progress", "Enregistrez d'abord la réunion d'ouverture."),
    (replace(READY, status="in_progress", unanswered_count=3), "reported",
     "3 question(s) de la liste de contrôle sans réponse."),
    (replace(READY, status="in_progress", closing_held=False), "reported", "Enregistrez d'abord la réunion de clôture."),
    (replace(READY, status="in_progress", has_conclusion=False), "reported", "Rédigez d'abord la conclusion de l'audit."),
])
def test_each_guard_says_why_in_french(facts, target, reason):
    with translation.override("fr"):
        assert refusals(facts, target) == [reason]


def test_the_buttons_offer_every_move_with_its_refusals():
    with translation.override("fr"):
        moves = dict(offered(replace(READY, status="in_progress", closing_held=False)))
    assert moves == {"reported": ["Enregistrez d'abord la réunion de clôture."], "cancelled": []}


def _person(pk, name):
    return SimpleNamespace(pk=pk, get_full_name=lambda: name, get_username=lambda: name)


def test_independence_names_the_person_and_the_field():
    owner, lead, member = _person(1, "Karim Benali"), _person(2, "Sophie Lefèvre"), _person(3, "Claire Martin")
    process = SimpleNamespace(owner_id=1)
    with translation.override("fr"):
        assert independence_errors(process=process, lead_auditor=lead, auditors=[member], auditees=[owner]) == {}
        errors = independence_errors(process=process, lead_auditor=owner, auditors=[member], auditees=[member])
        assert errors == {
            "lead_auditor": ["Karim Benali est pilote du processus audité : un auditeur ne peut pas auditer son propre processus."],
            "auditors": ["Claire Martin est audité(e) dans cet audit : un auditeur ne peut pas auditer son propre travail."],
        }
        assert auditee_errors(person=member, lead_auditor=lead, auditors=[member]) == {"person": [
            "Claire Martin fait partie de l'équipe d'audit : un auditeur ne peut pas auditer son propre travail."]}
        assert independence_errors(process=None, lead_auditor=None, auditors=[], auditees=[]) == {}
