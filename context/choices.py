"""Choices of the context analysis (ISO 9001/14001/45001 clauses 4.1, 4.2 and 5.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyKind(models.TextChoices):
    MISSION = "mission", _("Mission")
    VISION = "vision", _("Vision")
    POLICY = "policy", _("QSE policy")
    SCOPE = "scope", _("Scope of the management system")


class IssueOrigin(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class Pestel(models.TextChoices):
    POLITICAL = "political", _("Political")
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    TECHNOLOGICAL = "technological", _("Technological")
    ENVIRONMENTAL = "environmental", _("Environmental")
    LEGAL = "legal", _("Legal")


class IssueEffect(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class Importance(models.IntegerChoices):
    LOW = 1, _("1 - Low")
    MEDIUM = 2, _("2 - Medium")
    HIGH = 3, _("3 - High")
    MAJOR = 4, _("4 - Major")


class SwotQuadrant(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    WEAKNESS = "weakness", _("Weakness")
    OPPORTUNITY = "opportunity", _("Opportunity")
    THREAT = "threat", _("Threat")


class PartyCategory(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    EMPLOYEES = "employees", _("Employees and their representatives")
    SHAREHOLDERS = "shareholders", _("Shareholders")
    SUPPLIERS = "suppliers", _("Suppliers and subcontractors")
    AUTHORITIES = "authorities", _("Authorities (DREAL, labour inspection, CARSAT...)")
    NEIGHBOURS = "neighbours", _("Neighbours and local community")
    INSURERS = "insurers", _("Insurers")
    OTHERS = "others", _("Others")


class PartyPriority(models.TextChoices):
    """The four quadrants of the influence x interest (Mendelow) grid."""

    MANAGE_CLOSELY = "manage_closely", _("Manage closely")
    KEEP_SATISFIED = "keep_satisfied", _("Keep satisfied")
    KEEP_INFORMED = "keep_informed", _("Keep informed")
    MONITOR = "monitor", _("Monitor")


class ReminderKind(models.TextChoices):
    """The reminders this app sends (registered in its AppConfig.ready with their renderer)."""

    CLIMATE_REVIEW_DUE = "climate_review_due", _("Climate decision review due")
