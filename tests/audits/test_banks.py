"""Question banks: the library is translated and checked, loads once per organization in
the member's language, refreshes without doubling, and a copy is the organization's to edit."""

from django.utils import translation

from audits.bank_library import bank_libraries
from audits.models import BankQuestion, QuestionBank
from audits.services_banks import bank_copy, bank_library_load
from qse.roles import Role


def test_the_library_holds_the_three_standards_a_supplier_questionnaire_and_a_walk():
    libraries = bank_libraries()
    assert {key: data["standard"] for key, data in libraries.items()} == {
        "iso9001-2015": "iso9001:2015", "iso14001-2015": "iso14001:2015", "iso45001-2018": "iso45001:2018",
        "supplier-questionnaire": "", "walk-5s-safety": "",
    }
    for key in ("iso9001-2015", "iso14001-2015", "iso45001-2018"):
        main_clauses = {q["clause"].split(".")[0] for q in libraries[key]["questions"]}
        assert main_clauses == {"4", "5", "6", "7", "8", "9", "10"}, key
        per_clause = {}
        for question in libraries[key]["questions"]:
            per_clause[question["clause"].split(".")[0]] = per_clause.get(question["clause"].split(".")[0], 0) + 1
        assert all(count >= 2 for count in per_clause.values()), (key, per_clause)


def test_every_library_question_is_in_french_and_english_with_a_unique_reference():
    references = [q["reference"] for data in bank_libraries().values() for q in data["questions"]]
    assert len(references) == len(set(references))
    for data in bank_libraries().values():
        for question in data["questions"]:
            assert question["text"]["fr"] != question["text"]["en"] and question["guidance"]["en"]
    assert "iso9001-2015/8.4/2" in references


def test_loading_twice_creates_once_in_the_members_language_and_keeps_added_questions(world, as_member):
    coordinator = as_member(Role.COORDINATOR)
    with translation.override("en"):
        first = bank_library_load(library_id="iso9001-2015", acting_user=coordinator, language="en")
    bank = QuestionBank.objects.get(pk=first["bank"])
    assert (first["bank_created"], first["questions_created"], first["questions_updated"]) == (1, 29, 0)
    assert bank.name == "ISO 9001:2015 — audit questions by clause" and bank.standard == "iso9001:2015"
    own = BankQuestion.objects.create(organization=world.a.organization, bank=bank, clause="8.5", position=99,
                                      text="Les fiches suiveuses sont-elles signées ?")
    second = bank_library_load(library_id="iso9001-2015", acting_user=coordinator, language="fr")
    assert (second["bank"], second["bank_created"], second["questions_created"]) == (bank.pk, 0, 0)
    assert second["questions_updated"] == 29  # the wording is now French
    question = bank.questions.get(reference="iso9001-2015/8.4/1")
    assert question.text.startswith("Les prestataires externes sont-ils sélectionnés")
    assert bank.questions.count() == 30 and BankQuestion.objects.filter(pk=own.pk).exists()
    assert bank_library_load(library_id="iso9001-2015", acting_user=coordinator, language="fr")["questions_updated"] == 0


def test_a_copy_keeps_the_references_and_is_not_touched_by_a_refresh(world, as_member):
    coordinator = as_member(Role.COORDINATOR)
    loaded = bank_library_load(library_id="walk-5s-safety", acting_user=coordinator, language="fr")
    original = QuestionBank.objects.get(pk=loaded["bank"])
    with translation.override("en"):
        copy = bank_copy(bank=original, acting_user=coordinator)
    assert copy.library_key == "" and copy.copied_from == original and copy.name.endswith("(copy)")
    assert sorted(copy.questions.values_list("reference", flat=True)) == sorted(
        original.questions.values_list("reference", flat=True))
    copy.questions.filter(reference="walk-5s-safety/SEC2/1").update(text="EPI portés dans l'atelier de peinture ?")
    bank_library_load(library_id="walk-5s-safety", acting_user=coordinator, language="en")
    assert copy.questions.get(reference="walk-5s-safety/SEC2/1").text == "EPI portés dans l'atelier de peinture ?"


def test_only_coordinators_load_or_copy_banks_and_the_refusal_is_visible(client, world):
    client.force_login(world.a.users[Role.AUDITOR])
    response = client.post("/audits/question-banks/library/load/", {"library_id": "iso14001-2015"})
    assert response.status_code == 403
    assert not QuestionBank.objects.exists()
    api = client.post("/api/v1/audits/question-banks/load-library/", {"library_id": "iso14001-2015"},
                      content_type="application/json")
    assert api.status_code == 403


def test_the_library_page_loads_a_bank_and_the_api_copies_it(client, world):
    client.force_login(world.user())
    page = client.get("/audits/question-banks/library/")
    assert page.status_code == 200 and "ISO 45001:2018" in page.content.decode()
    response = client.post("/audits/question-banks/library/load/", {"library_id": "iso45001-2018"})
    bank = QuestionBank.objects.get(library_key="iso45001-2018")
    assert response.status_code == 302 and response["Location"] == f"/audits/question-banks/{bank.pk}/"
    assert bank.questions.count() == 20
    unknown = client.post("/api/v1/audits/question-banks/load-library/", {"library_id": "iso27001"},
                          content_type="application/json")
    assert unknown.status_code == 400
    copied = client.post(f"/api/v1/audits/question-banks/{bank.pk}/copy/", {"name": "45001 atelier"},
                         content_type="application/json")
    assert copied.status_code == 201 and copied.json()["name"] == "45001 atelier"
    assert QuestionBank.objects.get(pk=copied.json()["id"]).questions.count() == 20
    detail = client.get(f"/audits/question-banks/{bank.pk}/").content.decode()
    assert "Copy to edit" in detail or "Copier pour modifier" in detail
