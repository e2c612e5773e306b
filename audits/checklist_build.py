"""Building an audit's checklist before the audit starts: questions copied from chosen banks
(optionally only some clauses), from the audit's criteria (its standards and clauses) and from
the nonconformities found by earlier audits of the same supplier, process or site. Each becomes
an ``AuditQuestion`` with its source and ``bank_reference``; running the build again adds only
what is missing. The checklist is reordered or trimmed until the audit starts."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audits.choices import NONCONFORMING_RESULTS, AuditKind, AuditStatus, QuestionSource
from audits.choices_banks import BankKind
from audits.models import Audit, AuditAnswer, AuditQuestion, BankQuestion, QuestionBank
from qse.services import ensure_can, recorded

# Until the audit starts, its checklist may change; afterwards the questions are being answered.
EDITABLE_STATUSES = (AuditStatus.PLANNED, AuditStatus.PREPARED)


@dataclass(frozen=True)
class BuildChoice:
    """What the coordinator or the lead auditor asked for."""

    bank_ids: tuple[int, ...] = ()
    clauses: tuple[str, ...] = ()  # limits the chosen banks' questions; empty = all
    from_criteria: bool = True
    from_findings: bool = True


def clause_matches(clause: str, wanted: tuple[str, ...] | list[str]) -> bool:
    """Pure: "8.4.1" matches "8.4" and "8"; "8.4" matches "8.4.1" (the clause asked is within
    the question's); "8.41" never matches "8.4"."""
    if not wanted:
        return True
    return any(clause == w or clause.startswith(w + ".") or w.startswith(clause + ".") for w in wanted if w)


def ensure_checklist_editable(audit: Audit) -> None:
    if audit.status not in EDITABLE_STATUSES:
        raise ValidationError(_("The checklist can no longer change: the audit has started."))


def checklist_build(*, audit: Audit, acting_user, choice: BuildChoice) -> dict[str, int]:
    """Add the questions ``choice`` asks for to ``audit``'s checklist, after those it holds;
    returns how many were added per source. A question already there (same bank reference) is
    never added twice."""
    ensure_can(acting_user, "add", AuditQuestion(audit=audit, organization_id=audit.organization_id))
    ensure_checklist_editable(audit)
    with recorded(acting_user, reason="checklist build"):
        Audit.objects.select_for_update().filter(pk=audit.pk).first()  # one build at a time per audit
        taken = set(audit.questions.exclude(bank_reference="").values_list("bank_reference", flat=True))
        rows: list[AuditQuestion] = []
        counts = {}
        for source, candidates in _candidates(audit, choice, acting_user):
            counts[source] = 0
            for candidate in candidates:  # a bank and its copy hold the same references: the first wins
                if candidate.bank_reference not in taken:
                    taken.add(candidate.bank_reference)
                    rows.append(candidate)
                    counts[source] += 1
        start = audit.questions.aggregate(last=Max("position"))["last"] or 0
        for offset, row in enumerate(rows, start=1):
            row.position, row.created_by = start + offset, acting_user
        AuditQuestion.objects.bulk_create(rows)
    return counts


def _candidates(audit: Audit, choice: BuildChoice, acting_user):
    banks = QuestionBank.objects.restrict(acting_user, "view").filter(archived_at__isnull=True)
    if choice.bank_ids:
        chosen = banks.filter(pk__in=choice.bank_ids)
        yield QuestionSource.BANK, [
            _from_bank(audit, q, QuestionSource.BANK) for q in _bank_questions(chosen) if clause_matches(q.clause, choice.clauses)
        ]
    if choice.from_criteria:
        yield QuestionSource.CRITERIA, [
            _from_bank(audit, q, QuestionSource.CRITERIA) for q in _bank_questions(_criteria_banks(audit, banks))
            if q.bank.kind != BankKind.STANDARD or clause_matches(q.clause, audit.clauses)
        ]
    if choice.from_findings:
        yield QuestionSource.PAST_FINDING, [_from_finding(audit, answer) for answer in past_findings(audit)]


def _bank_questions(banks):
    # The organization's copies before the library banks: an edited copy's wording wins.
    return (BankQuestion.objects.filter(bank__in=banks, archived_at__isnull=True).select_related("bank")
            .order_by("bank__library_key", "bank__pk", "position", "pk"))


def _criteria_banks(audit: Audit, banks):
    wanted = Q(kind=BankKind.STANDARD, standard__in=audit.standards or ["-"])
    if audit.kind == AuditKind.SUPPLIER:
        wanted |= Q(kind=BankKind.SUPPLIER)
    return banks.filter(wanted)


def _from_bank(audit: Audit, question: BankQuestion, source: str) -> AuditQuestion:
    return AuditQuestion(
        organization_id=audit.organization_id, audit=audit, standard=question.bank.standard, clause=question.clause,
        text=question.text, guidance=question.guidance, source=source,
        bank_reference=question.reference or f"bq{question.pk}",
    )


def past_findings(audit: Audit):
    """The nonconforming answers of earlier audits of the same supplier or process (or, for an
    audit of neither, of the same site), oldest first."""
    scope = Q()
    if audit.supplier_id:
        scope |= Q(question__audit__supplier_id=audit.supplier_id)
    if audit.process_id:
        scope |= Q(question__audit__process_id=audit.process_id)
    if not scope and audit.site_id:
        scope = Q(question__audit__site_id=audit.site_id)
    if not scope:
        return AuditAnswer.objects.none()
    return (AuditAnswer.objects.filter(scope, result__in=NONCONFORMING_RESULTS,
                                       question__audit__planned_start__lte=audit.planned_start,
                                       question__audit__archived_at__isnull=True, archived_at__isnull=True)
            .exclude(question__audit=audit).select_related("question__audit")
            .order_by("question__audit__planned_start", "question__position", "pk"))


def _from_finding(audit: Audit, answer: AuditAnswer) -> AuditQuestion:
    earlier = answer.question.audit
    guidance = _("Finding of {audit} ({date}), {result}: {comment} Check that the correction holds.").format(
        audit=earlier, date=date_format(earlier.planned_start, "SHORT_DATE_FORMAT"),
        result=answer.get_result_display(), comment=(answer.comment or answer.evidence or "").strip(),
    )
    return AuditQuestion(
        organization_id=audit.organization_id, audit=audit, standard=answer.question.standard,
        clause=answer.question.clause, text=answer.question.text, guidance=guidance,
        source=QuestionSource.PAST_FINDING, bank_reference=f"finding:{answer.pk}",
    )


def checklist_reorder(*, audit: Audit, acting_user, question_ids: list[int]) -> None:
    """Number the checklist in the order given (every question of the audit, each once)."""
    ensure_checklist_editable(audit)
    questions = {q.pk: q for q in audit.questions.all()}
    if sorted(question_ids) != sorted(questions):
        raise ValidationError(_("Give every question of the checklist once."))
    with recorded(acting_user, reason="checklist reorder"):
        for position, pk in enumerate(question_ids, start=1):
            ensure_can(acting_user, "change", questions[pk])
            questions[pk].position = position
            questions[pk].version += 1
        AuditQuestion.objects.bulk_update(questions.values(), ["position", "version"])


def checklist_move(*, question: AuditQuestion, acting_user, step: int) -> None:
    """Move one question up (step -1) or down (+1)."""
    ids = list(question.audit.questions.order_by("position", "pk").values_list("pk", flat=True))
    index = ids.index(question.pk)
    target = min(max(index + step, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    checklist_reorder(audit=question.audit, acting_user=acting_user, question_ids=ids)


def checklist_remove(*, question: AuditQuestion, acting_user) -> None:
    """Take a question out of a checklist that has not started. It is deleted, not archived:
    before the audit it is no evidence yet, and every reader of the checklist (the tablet's
    bundle, the report) then sees only the questions asked."""
    ensure_can(acting_user, "archive", question)
    ensure_checklist_editable(question.audit)
    if AuditAnswer.objects.filter(question=question).exists() or question.photos.exists():
        raise ValidationError(_("This question is already answered: it stays on the checklist."))
    with recorded(acting_user, reason="checklist remove"):
        question.delete()
