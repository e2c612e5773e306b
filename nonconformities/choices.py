"""The vocabularies of events and their analysis."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    INTERNAL_NC = "internal_nc", _("Internal nonconformity")
    CUSTOMER_COMPLAINT = "customer_complaint", _("Customer complaint")
    SUPPLIER_NC = "supplier_nc", _("Supplier nonconformity")
    AUDIT_FINDING = "audit_finding", _("Audit finding")
    REGULATORY_DEVIATION = "regulatory_deviation", _("Regulatory deviation")
    INCIDENT = "incident", _("Incident")
    NEAR_MISS = "near_miss", _("Near miss")
    WORK_ACCIDENT = "work_accident", _("Work accident")
    COMMUTING_ACCIDENT = "commuting_accident", _("Commuting accident")
    OCCUPATIONAL_DISEASE = "occupational_disease", _("Occupational disease")
    ENVIRONMENTAL_INCIDENT = "environmental_incident", _("Environmental incident")


# The types that carry a victim, lost time and the 48-hour declaration.
ACCIDENT_TYPES = (EventType.WORK_ACCIDENT, EventType.COMMUTING_ACCIDENT, EventType.OCCUPATIONAL_DISEASE)


class EventStatus(models.TextChoices):
    REPORTED = "reported", _("Reported, awaiting triage")
    OPEN = "open", _("Open")
    ANALYSIS = "analysis", _("Root-cause analysis")
    TREATMENT = "treatment", _("Corrective actions")
    VERIFICATION = "verification", _("Effectiveness check")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


class Severity(models.IntegerChoices):
    MINOR = 1, _("Minor")
    MODERATE = 2, _("Moderate")
    MAJOR = 3, _("Major")
    CRITICAL = 4, _("Critical")


class DetectionMethod(models.TextChoices):
    INSPECTION = "inspection", _("Inspection or test")
    OPERATOR = "operator", _("Operator on the line")
    CUSTOMER = "customer", _("Customer")
    SUPPLIER = "supplier", _("Supplier")
    AUDIT = "audit", _("Audit")
    MONITORING = "monitoring", _("Monitoring or measurement")
    FIELD_REPORT = "field_report", _("Field report")
    OTHER = "other", _("Other")


class RequirementKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer requirement")
    MANAGEMENT = "management", _("Management-system requirement")
    STANDARD = "standard", _("Standard")
    LEGAL = "legal", _("Legal or regulatory requirement")


class ReportChannel(models.TextChoices):
    APP = "app", _("Application")
    PUBLIC_FORM = "public_form", _("Public reporting form")
    API = "api", _("API")
    AUDIT = "audit", _("Audit")


class CauseCategory(models.TextChoices):
    """Ishikawa's 6M."""

    METHOD = "method", _("Method")
    MACHINE = "machine", _("Machine")
    MANPOWER = "manpower", _("Manpower")
    MATERIAL = "material", _("Material")
    MEASUREMENT = "measurement", _("Measurement")
    ENVIRONMENT = "environment", _("Environment")


class EightDStep(models.IntegerChoices):
    D0 = 0, _("D0 · Prepare and emergency response")
    D1 = 1, _("D1 · Team")
    D2 = 2, _("D2 · Problem description")
    D3 = 3, _("D3 · Containment")
    D4 = 4, _("D4 · Root cause and escape point")
    D5 = 5, _("D5 · Corrective actions chosen")
    D6 = 6, _("D6 · Corrective actions implemented and validated")
    D7 = 7, _("D7 · Prevention of recurrence")
    D8 = 8, _("D8 · Congratulate the team and close")


class ReminderKind(models.TextChoices):
    """The reminders this app sends (registered in its AppConfig.ready with their renderer)."""

    DECLARATION_DUE = "declaration_due", _("Accident declaration due")
