from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class EffectivenessResult(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


class PlanStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PdcaStage(models.TextChoices):
    PLAN = "plan", _("Plan")
    DO = "do", _("Do")
    CHECK = "check", _("Check")
    ACT = "act", _("Act")


class ActionOriginKind(models.TextChoices):
    """Where an action comes from; the linked record (origin) gives the detail."""

    PLAN = "plan", _("Action plan")
    RISK = "risk", _("Risk or opportunity")
    COMPLIANCE = "compliance", _("Compliance gap")
    AUDIT = "audit", _("Audit finding")
    NONCONFORMITY = "nonconformity", _("Nonconformity")
    REVIEW = "review", _("Management review decision")
    SUGGESTION = "suggestion", _("Suggestion")
    TEAM_SESSION = "team_session", _("Improvement team session")
    TRAINING = "training", _("Training need")
    PROJECT = "project", _("Improvement project")
    OTHER = "other", _("Other")


class ReminderKind(models.TextChoices):
    """The reminders this app sends (registered in its AppConfig.ready with their renderer)."""

    DUE_SOON = "due_soon", _("Due in 7 days")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest")
    TRAINING_EXPIRING = "training_expiring", _("Training to renew")
