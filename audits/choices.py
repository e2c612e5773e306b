"""The audits app's choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    SYSTEM = "system", _("System audit")
    PROCESS = "process", _("Process audit")
    DOCUMENTARY = "documentary", _("Documentary audit")
    TRACEABILITY = "traceability", _("Traceability audit")
    PRODUCT = "product", _("Product audit")
    SUPPLIER = "supplier", _("Supplier audit")


class AuditCategory(models.TextChoices):
    """Who audits: ourselves (first party), us at a supplier or a customer at us (second
    party), a certification body (third party)."""

    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")
    CERTIFICATION = "certification", _("Certification")


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PREPARED = "prepared", _("Prepared")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORTED = "reported", _("Reported")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class AnswerResult(models.TextChoices):
    CONFORMING = "conforming", _("Conforming")
    MINOR_NC = "minor_nc", _("Minor nonconformity")
    MAJOR_NC = "major_nc", _("Major nonconformity")
    OBSERVATION = "observation", _("Observation")
    IMPROVEMENT = "improvement", _("Opportunity for improvement")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# The answers that are findings (each becomes an event of type audit finding).
NONCONFORMING_RESULTS = (AnswerResult.MINOR_NC, AnswerResult.MAJOR_NC)


class QuestionSource(models.TextChoices):
    BANK = "bank", _("Question bank")
    CRITERIA = "criteria", _("Audit criteria")
    PAST_FINDING = "past_finding", _("Past finding")
    ADDED = "added", _("Added for this audit")


class SupplierStatus(models.TextChoices):
    UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
    APPROVED = "approved", _("Approved")
    CONDITIONAL = "conditional", _("Approved with conditions")
    BLOCKED = "blocked", _("Blocked")


class AuditeeReason(models.TextChoices):
    """Why a person is interviewed (ISO 19011 6.3.2: chosen for what they know and do)."""

    COMPETENCE = "competence", _("Competence")
    INVOLVEMENT = "involvement", _("Involvement")
    AVAILABILITY = "availability", _("Availability")


class ScheduleActivity(models.TextChoices):
    OPENING = "opening", _("Opening meeting")
    INTERVIEW = "interview", _("Interview")
    VISIT = "visit", _("Site visit")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    CLOSING = "closing", _("Closing meeting")


class OpStatus(models.TextChoices):
    """What the server did with one change sent by a device (``AnswerOp``)."""

    APPLIED = "applied", _("Applied")
    DUPLICATE = "duplicate", _("Already on the server")
    CONFLICT = "conflict", _("Conflict")
    REJECTED = "rejected", _("Rejected")


class ConflictResolution(models.TextChoices):
    TABLET = "tablet", _("Keep the tablet's")
    SERVER = "server", _("Keep the server's")
    BOTH = "both", _("Keep both")
