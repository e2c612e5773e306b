"""Writes of the offline checklist: applying the changes a device sends, storing its photos,
reserving an audit to a device (the lease) and resolving conflicts.

The checklist page saves through these functions online as well as offline: one code path.
Every change names the answer version it started from; a change against an older version
whose values differ is kept as a conflict, never applied over the other.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audits.choices import AnswerResult, ConflictResolution, OpStatus
from audits.models import AnswerOp, Audit, AuditAnswer, AuditLease, AuditPhoto, AuditQuestion
from qse.attachments import IMAGE_FORMATS, check_upload
from qse.permissions import can
from qse.services import recorded

ANSWER_FIELDS = ("result", "comment", "evidence", "score")
LEASE_DURATION = datetime.timedelta(days=7)
MAX_OPS_PER_SYNC = 500


@dataclass
class OpOutcome:
    op_id: str
    status: str
    version: int | None = None
    error: str = ""

    def as_dict(self) -> dict:
        return {"op_id": self.op_id, "status": self.status, "version": self.version, "error": self.error}


def may_answer(user, audit: Audit) -> bool:
    """The lead auditor, the audit team and coordinators answer an audit's questions (the role
    table's rule for answers, asked on an answer of this audit)."""
    probe = AuditAnswer(organization_id=audit.organization_id, question=AuditQuestion(audit=audit))
    return can(user, "change", probe)


def ensure_may_answer(user, audit: Audit) -> None:
    if not may_answer(user, audit):
        raise PermissionDenied(_("Only the audit's team answers its checklist."))


# --- answers -----------------------------------------------------------------------------------


def clean_values(raw: dict) -> dict:
    """The answer fields of a change, checked; a ValidationError names the wrong one."""
    if not isinstance(raw, dict):
        raise ValidationError(_("The values of a change must be an object."))
    values = {}
    for name in ANSWER_FIELDS:
        if name not in raw:
            continue
        value = raw[name]
        if name == "result":
            if value not in ("", None) and value not in AnswerResult.values:
                raise ValidationError(_("Unknown result: %(value)s.") % {"value": value})
            value = value or ""
        elif name == "score":
            if value in ("", None):
                value = None
            elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
                raise ValidationError(_("The score is a whole number from 0 to 100."))
        else:
            if not isinstance(value, str) or len(value) > 10_000:
                raise ValidationError(_("The %(field)s must be a text of at most 10,000 characters.")
                                      % {"field": AuditAnswer._meta.get_field(name).verbose_name})
        values[name] = value
    return values


def answer_values(answer: AuditAnswer | None) -> dict:
    if answer is None:
        return {"result": "", "comment": "", "evidence": "", "score": None}
    return {name: getattr(answer, name) for name in ANSWER_FIELDS}


def ops_apply(*, audit: Audit, ops: list[dict], acting_user, device: str, now: datetime.datetime) -> list[OpOutcome]:
    """Apply a batch of changes in order, each in its own transaction; one outcome per change.

    A change already stored (same ``op_id``) is a replay: its stored outcome is answered again
    and nothing changes."""
    ensure_may_answer(acting_user, audit)
    if len(ops) > MAX_OPS_PER_SYNC:
        raise ValidationError(_("At most %(count)s changes per sync.") % {"count": MAX_OPS_PER_SYNC})
    questions = {q.pk: q for q in AuditQuestion.objects.filter(audit=audit, archived_at__isnull=True)}
    return [_op_apply(audit, questions, raw, acting_user, device, now) for raw in ops]


def _op_apply(audit, questions, raw, user, device, now) -> OpOutcome:
    try:
        op_id = str(uuid.UUID(str(raw.get("op_id"))))
    except (ValueError, TypeError, AttributeError):
        return OpOutcome(str(raw.get("op_id", "")) if isinstance(raw, dict) else "", OpStatus.REJECTED,
                         error=_("A change needs an identifier (UUID)."))
    question_id = raw.get("question")
    question = questions.get(question_id) if isinstance(question_id, int) else None
    if question is None:
        return OpOutcome(op_id, OpStatus.REJECTED, error=_("This question is not in the audit's checklist."))
    base_version = raw.get("base_version") or 0
    if isinstance(base_version, bool) or not isinstance(base_version, int) or not 0 <= base_version < 2**31:
        return OpOutcome(op_id, OpStatus.REJECTED, error=_("Invalid base version."))
    try:
        values = clean_values(raw.get("values"))
    except ValidationError as error:
        return OpOutcome(op_id, OpStatus.REJECTED, error="; ".join(error.messages))
    made_at = _parse_time(raw.get("made_at")) or now
    try:
        with recorded(user, reason="checklist sync"):
            return _op_store(audit, question, op_id, values, base_version, user, device, made_at, now)
    except IntegrityError:
        # The same change sent twice at once: the first stored it.
        stored = AnswerOp.objects.filter(op_id=op_id, audit=audit).first()
        if stored is None:
            return OpOutcome(op_id, OpStatus.REJECTED, error=_("This change identifier is already used."))
        return OpOutcome(op_id, stored.status, _answer_version(question))


def _op_store(audit, question, op_id, values, base_version, user, device, made_at, now) -> OpOutcome:
    answer, _created = AuditAnswer.objects.get_or_create(
        question=question, defaults={"organization_id": audit.organization_id, "created_by": user, "version": 0},
    )
    answer = AuditAnswer.objects.select_for_update().get(pk=answer.pk)
    stored = AnswerOp.objects.filter(op_id=op_id).first()
    if stored is not None:
        if stored.audit_id != audit.pk:
            return OpOutcome(op_id, OpStatus.REJECTED, error=_("This change identifier is already used."))
        return OpOutcome(op_id, stored.status, answer.version)
    current = answer_values(answer)
    if base_version == answer.version or _only_mine_since(question, device, base_version, answer.version):
        status = OpStatus.APPLIED
    elif all(current[name] == value for name, value in values.items()):
        status = OpStatus.DUPLICATE
    else:
        status = OpStatus.CONFLICT
    with transaction.atomic():
        AnswerOp.objects.create(
            organization_id=audit.organization_id, created_by=user, op_id=op_id, audit=audit, question=question,
            values=values, base_version=base_version, device=device[:64], user=user, made_at=made_at, status=status,
        )
    if status == OpStatus.APPLIED:
        _answer_set(answer, values, user, now)
    return OpOutcome(op_id, status, answer.version)


def _only_mine_since(question, device: str, base_version: int, version: int) -> bool:
    """Every version since ``base_version`` came from this device's own applied changes: a
    second edit made offline on the same question follows the first, it does not conflict."""
    if not device or base_version >= version:
        return False
    mine = AnswerOp.objects.filter(question=question, device=device, status=OpStatus.APPLIED,
                                   base_version__gte=base_version).count()
    return mine == version - base_version


def _answer_set(answer: AuditAnswer, values: dict, user, now) -> None:
    for name, value in values.items():
        setattr(answer, name, value)
    answer.answered_by = user
    answer.answered_at = now
    answer.version += 1
    answer.save()


def _answer_version(question) -> int | None:
    return AuditAnswer.objects.filter(question=question).values_list("version", flat=True).first()


def _parse_time(value) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


# --- conflicts ---------------------------------------------------------------------------------


def conflict_resolve(*, op: AnswerOp, choice: str, acting_user, now: datetime.datetime) -> AuditAnswer:
    """Settle a conflict: keep the tablet's values, the server's, or both (the server's result
    with both texts). The choice is recorded on the change and in the answer's history."""
    if choice not in ConflictResolution.values:
        raise ValidationError(_("Choose the tablet's version, the server's or both."))
    ensure_may_answer(acting_user, op.audit)
    with recorded(acting_user, reason=f"checklist conflict: {choice}"):
        op = AnswerOp.objects.select_for_update().get(pk=op.pk)
        if op.status != OpStatus.CONFLICT or op.resolution:
            raise ValidationError(_("This conflict is already resolved."))
        answer = AuditAnswer.objects.select_for_update().get(question_id=op.question_id)
        if choice == ConflictResolution.TABLET:
            _answer_set(answer, op.values, acting_user, now)
        elif choice == ConflictResolution.BOTH:
            _answer_set(answer, _both(answer_values(answer), op.values), acting_user, now)
        op.resolution, op.resolved_by, op.resolved_at = choice, acting_user, now
        op.version += 1
        op.save()
    return answer


def _both(server: dict, tablet: dict) -> dict:
    """The server's result and score (or the tablet's where the server has none), both texts."""
    merged = dict(server)
    for name in ("result", "score"):
        if merged.get(name) in ("", None) and tablet.get(name) not in ("", None):
            merged[name] = tablet[name]
    for name in ("comment", "evidence"):
        theirs = (tablet.get(name) or "").strip()
        if theirs and theirs not in (merged.get(name) or ""):
            merged[name] = f"{merged[name]}\n---\n{theirs}".strip() if merged.get(name) else theirs
    return merged


# --- photos ------------------------------------------------------------------------------------


@dataclass
class PhotoOutcome:
    photo: AuditPhoto
    created: bool


def photo_store(*, audit: Audit, photo_uuid: uuid.UUID, question_id, content: bytes, acting_user,
                taken_at: datetime.datetime | None = None, caption: str = "") -> PhotoOutcome:
    """Store a photo under the id its device chose; sent again, it is found, not stored twice.
    The content is checked as an image (type, size, pixels) and re-encoded without metadata."""
    ensure_may_answer(acting_user, audit)
    existing = AuditPhoto.objects.filter(uuid=photo_uuid).first()
    if existing is not None:
        return _photo_replayed(existing, audit)
    question = AuditQuestion.objects.filter(audit=audit, pk=_int(question_id)).first()
    if question is None:
        raise ValidationError(_("This question is not in the audit's checklist."))
    if len(content) > photo_max_bytes():
        raise ValidationError(_("The photo is too large (at most %(size)s MB).")
                              % {"size": photo_max_bytes() // (1024 * 1024)})
    checked = check_upload(content, "photo")
    if checked.mime_type not in IMAGE_FORMATS:
        raise ValidationError(_("This file is not a photo (JPEG, PNG or WebP)."))
    try:
        with recorded(acting_user, reason="checklist photo"):
            photo = AuditPhoto(organization_id=audit.organization_id, created_by=acting_user, uuid=photo_uuid,
                               question=question, sha256=checked.sha256, bytes=len(checked.content),
                               caption=caption[:200], taken_at=taken_at)
            photo.image.save(f"{photo_uuid}.jpg", ContentFile(checked.content), save=False)
            photo.save()
    except IntegrityError:
        # Sent twice at once, or an id already used elsewhere.
        existing = AuditPhoto.objects.filter(uuid=photo_uuid).first()
        if existing is None:
            raise ValidationError(_("This photo identifier is already used.")) from None
        return _photo_replayed(existing, audit)
    return PhotoOutcome(photo, True)


def photo_remove(*, audit: Audit, photo_uuid: uuid.UUID, removal_id: uuid.UUID, acting_user,
                 now: datetime.datetime) -> str:
    """Remove a photo from its answer (archived: the evidence stays in the history) on behalf of
    a device's removal, which carries its own id. Answers ``removed``; ``duplicate`` when this
    removal was already applied (a replay) or the photo was already removed; ``absent`` when
    the audit has no such photo. A removal id already used for another photo is refused."""
    ensure_may_answer(acting_user, audit)
    with recorded(acting_user, reason="checklist photo removed"):
        photo = AuditPhoto.objects.select_for_update().filter(uuid=photo_uuid, question__audit=audit).first()
        if photo is None:
            return "absent"
        if photo.archived_at is not None:
            return "duplicate"
        if AuditPhoto.objects.filter(removal_id=removal_id).exists():
            raise ValidationError(_("This removal identifier is already used."))
        photo.archived_at, photo.removal_id = now, removal_id
        photo.version += 1
        photo.save(update_fields=["archived_at", "removal_id", "version"])
    return "removed"


def photo_max_bytes() -> int:
    """A photo downscaled on the device weighs a few hundred KB; 4 MB leaves room for a PNG."""
    return getattr(settings, "QSE_AUDIT_PHOTO_MAX_BYTES", 4 * 1024 * 1024)


def _photo_replayed(existing: AuditPhoto, audit: Audit) -> PhotoOutcome:
    if existing.question.audit_id != audit.pk:
        raise ValidationError(_("This photo identifier is already used."))
    return PhotoOutcome(existing, False)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- the lease ---------------------------------------------------------------------------------


def lease_take(*, audit: Audit, acting_user, device: str, device_label: str, now: datetime.datetime) -> AuditLease:
    """Reserve the audit to this device for a week. Held by another device and still running,
    it is refused with the holder's name (they release it, or it expires)."""
    ensure_may_answer(acting_user, audit)
    if not device:
        raise ValidationError(_("The device has no identifier."))
    with recorded(acting_user, reason="checklist prepared offline"):
        lease = AuditLease.objects.select_for_update().filter(audit=audit).first()
        if lease and lease.is_active(now) and lease.device != device:
            holder = lease.user.get_full_name() or lease.user.get_username()
            raise ValidationError(_("Being worked offline on %(name)s's tablet.") % {"name": holder})
        if lease is None:
            lease = AuditLease(organization_id=audit.organization_id, created_by=acting_user, audit=audit)
        else:
            lease.version += 1
        lease.user, lease.device, lease.device_label = acting_user, device[:64], device_label[:80]
        lease.expires_at, lease.released_at = now + LEASE_DURATION, None
        lease.save()
    return lease


def lease_release(*, audit: Audit, acting_user, device: str, now: datetime.datetime) -> AuditLease | None:
    """End the reservation: by its device or auditor, or by a coordinator (who changes every
    answer of every audit)."""
    with recorded(acting_user, reason="checklist offline reservation released"):
        lease = AuditLease.objects.select_for_update().filter(audit=audit, released_at__isnull=True).first()
        if lease is None:
            return None
        if lease.device != device and lease.user_id != acting_user.pk and not _changes_every_answer():
            raise PermissionDenied(_("Only the device that holds the reservation releases it."))
        lease.released_at = now
        lease.version += 1
        lease.save()
    return lease


def _changes_every_answer() -> bool:
    from qse.roles import ALL, right_for
    from qse.tenancy import current_membership

    membership = current_membership()
    return bool(membership and right_for(membership.role, "audits.auditlease", "change") == ALL)
