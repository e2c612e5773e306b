from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskKind(models.TextChoices):
    RISK = "risk", _("Risk")
    OPPORTUNITY = "opportunity", _("Opportunity")


class Domain(models.TextChoices):
    QUALITY = "Q", _("Quality")
    SAFETY = "S", _("Health and safety")
    ENVIRONMENT = "E", _("Environment")


class RiskSource(models.TextChoices):
    CONTEXT_ISSUE = "context_issue", _("Context issue")
    INTERESTED_PARTY = "interested_party", _("Interested party")
    SWOT = "swot", _("SWOT")
    AUDIT = "audit", _("Audit")
    INCIDENT = "incident", _("Incident")
    REGULATORY = "regulatory", _("Regulatory requirement")
    OTHER = "other", _("Other")


class Treatment(models.TextChoices):
    REDUCE = "reduce", _("Reduce")
    ACCEPT = "accept", _("Accept")
    TRANSFER = "transfer", _("Transfer")
    AVOID = "avoid", _("Avoid")
    PURSUE = "pursue", _("Pursue")
    NOT_PURSUED = "not_pursued", _("Not pursued")


TREATMENTS_BY_KIND = {
    RiskKind.RISK: {Treatment.REDUCE, Treatment.ACCEPT, Treatment.TRANSFER, Treatment.AVOID},
    RiskKind.OPPORTUNITY: {Treatment.PURSUE, Treatment.NOT_PURSUED},
}


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ReminderKind(models.TextChoices):
    """The reminders this app sends (registered in its AppConfig.ready with their renderer)."""

    REVIEW_DUE = "review_due", _("Review due")
    DUERP_UPDATE_DUE = "duerp_update_due", _("Yearly DUERP update due")
