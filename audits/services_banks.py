"""Writes on question banks: loading a library into the organization and copying a bank
so the coordinator edits the copy (a library bank is refreshed when loaded again)."""

from __future__ import annotations

from audits.bank_library import bank_libraries, pick
from audits.models import BankQuestion, QuestionBank
from qse.services import ensure_can, recorded
from qse.tenancy import current_organization


def bank_library_load(*, library_id: str, acting_user, language: str) -> dict[str, int]:
    """Load (or refresh) one library as a bank of the current organization, in ``language``.
    Loading again updates the bank's questions by reference and adds the new ones; questions
    the organization added to a library bank stay. Returns the counts."""
    ensure_can(acting_user, "add", QuestionBank)
    data = bank_libraries()[library_id]
    organization = current_organization()
    with recorded(acting_user, reason=f"question bank library {library_id} v{data['version']}"):
        bank = QuestionBank.objects.select_for_update().filter(organization=organization, library_key=library_id).first()
        fields = {"name": pick(data["name"], language)[:200], "kind": data["kind"], "standard": data["standard"],
                  "description": pick(data["description"], language), "library_version": data["version"]}
        created = bank is None
        if created:
            bank = QuestionBank.objects.create(organization=organization, created_by=acting_user,
                                               library_key=library_id, **fields)
        else:
            QuestionBank.objects.filter(pk=bank.pk).update(**fields, version=bank.version + 1)
        counts = _load_questions(bank, data["questions"], language, acting_user)
    return {"bank": bank.pk, "bank_created": int(created), **counts}


def _load_questions(bank, entries: list[dict], language: str, acting_user) -> dict[str, int]:
    existing = {q.reference: q for q in bank.questions.all()}
    new, changed = [], []
    for position, entry in enumerate(entries, start=1):
        values = {"clause": entry["clause"], "text": pick(entry["text"], language),
                  "guidance": pick(entry["guidance"], language), "position": position}
        question = existing.get(entry["reference"])
        if question is None:
            new.append(BankQuestion(organization=bank.organization, created_by=acting_user, bank=bank,
                                    reference=entry["reference"], **values))
        elif any(getattr(question, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(question, name, value)
            question.version += 1
            changed.append(question)
    BankQuestion.objects.bulk_create(new)
    BankQuestion.objects.bulk_update(changed, ["clause", "text", "guidance", "position", "version"])
    return {"questions_created": len(new), "questions_updated": len(changed)}


def bank_copy(*, bank: QuestionBank, acting_user, name: str = "") -> QuestionBank:
    """A copy of ``bank`` the organization edits: its questions keep their references (a
    checklist built from both holds each question once)."""
    ensure_can(acting_user, "add", QuestionBank)
    with recorded(acting_user, reason=f"copy of question bank {bank.pk}"):
        copy = QuestionBank.objects.create(
            organization=bank.organization, created_by=acting_user, name=(name or _copy_name(bank))[:200],
            kind=bank.kind, standard=bank.standard, description=bank.description, copied_from=bank,
        )
        BankQuestion.objects.bulk_create([
            BankQuestion(organization=bank.organization, created_by=acting_user, bank=copy, position=q.position,
                         clause=q.clause, text=q.text, guidance=q.guidance, reference=q.reference or f"bq{q.pk}")
            for q in bank.questions.filter(archived_at__isnull=True)
        ])
    return copy


def _copy_name(bank: QuestionBank) -> str:
    from django.utils.translation import gettext

    return gettext("{name} (copy)").format(name=bank.name)
