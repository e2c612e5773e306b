"""Choices of the regulatory and normative watch (ISO 14001 6.1.3 / 9.1.2, ISO 45001 6.1.3 /
9.1.2, ISO 9001 4.2): English values, translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from risks.choices import Domain  # one Q/S/E vocabulary for the whole product

__all__ = ["Domain"]


class TextKind(models.TextChoices):
    CODE_ARTICLE = "code_article", _("Code article(s)")
    LAW = "law", _("Law")
    DECREE = "decree", _("Decree")
    ORDER = "order", _("Ministerial order")
    EU_REGULATION = "eu_regulation", _("EU regulation")
    EU_DIRECTIVE = "eu_directive", _("EU directive")
    PREFECTORAL_ORDER = "prefectoral_order", _("Prefectoral order")
    STANDARD = "standard", _("Standard")
    CUSTOMER = "customer", _("Customer requirement")
    OTHER = "other", _("Other requirement")


class TextStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    UPCOMING = "upcoming", _("Upcoming")
    REPEALED = "repealed", _("Repealed")


class ApplicabilityStatus(models.TextChoices):
    APPLICABLE = "applicable", _("Applicable")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    FOR_INFORMATION = "for_information", _("For information")


class ComplianceStatus(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    NON_COMPLIANT = "non_compliant", _("Non-compliant")
    PARTIAL = "partial", _("Partially compliant")
    TO_VERIFY = "to_verify", _("To be verified")
    NOT_EVALUATED = "not_evaluated", _("Not evaluated")


class IcpeRegime(models.TextChoices):
    """The ICPE regimes of the nomenclature (code de l'environnement R511-9)."""

    AUTHORISATION = "A", _("Authorisation (A)")
    REGISTRATION = "E", _("Registration (E)")
    DECLARATION_CONTROL = "DC", _("Declaration with periodic control (DC)")
    DECLARATION = "D", _("Declaration (D)")
    NOT_CLASSIFIED = "NC", _("Not classified (NC)")


class InterlocutorKind(models.TextChoices):
    LABOUR_INSPECTOR = "labour_inspector", _("Labour inspector")
    DREAL = "dreal", _("DREAL inspector (classified installations)")
    CARSAT = "carsat", _("CARSAT")
    FIRE_SERVICE = "fire_service", _("Fire service (SDIS)")
    OCCUPATIONAL_HEALTH = "occupational_health", _("Occupational health service")
    CERTIFICATION_BODY = "certification_body", _("Certification body")
    CUSTOMER_QUALITY = "customer_quality", _("Customer quality contact")
    OTHER = "other", _("Other")


class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS / Atom feed")
    PISTE = "piste", _("Légifrance (PISTE API)")
    MANUAL = "manual", _("Manual")


class ItemStatus(models.TextChoices):
    NEW = "new", _("To qualify")
    RELEVANT = "relevant", _("Relevant")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class ReminderKind(models.TextChoices):
    """The reminders this app sends (registered in its AppConfig.ready with their renderer)."""

    EVALUATION_DUE = "compliance_evaluation_due", _("Compliance evaluation due")
    CHECK_DUE = "check_due", _("Periodic check due")
    DOCUMENT_REVIEW_DUE = "document_review_due", _("Document review due")


# --- periodic regulatory checks ---------------------------------------------------------------


class CheckCategory(models.TextChoices):
    """The families of equipment and installations French law submits to periodic checks."""

    ELECTRICAL = "electrical", _("Electrical installations")
    LIFTING = "lifting", _("Lifting equipment")
    PRESSURE = "pressure", _("Pressure equipment")
    FIRE = "fire", _("Fire extinguishers and alarms")
    VENTILATION = "ventilation", _("Ventilation")
    RACKING = "racking", _("Racking")
    ICPE = "icpe", _("ICPE periodic control")
    OTHER = "other", _("Other")


class CheckConclusion(models.TextChoices):
    """What the inspection body concludes in its report."""

    COMPLIANT = "compliant", _("Compliant, no observation")
    OBSERVATIONS = "observations", _("Observations to lift")
    NON_COMPLIANT = "non_compliant", _("Non-compliant (equipment not to be used)")


class ObservationSeverity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    SERIOUS_DANGER = "serious_danger", _("Serious danger")


# --- documents under control (ISO 7.5) --------------------------------------------------------


class DocumentKind(models.TextChoices):
    PROCEDURE = "procedure", _("Procedure")
    INSTRUCTION = "instruction", _("Work instruction")
    FORM = "form", _("Form")
    RECORD = "record", _("Record")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    OBSOLETE = "obsolete", _("Obsolete")


class SignatureMeaning(models.TextChoices):
    """What a signature on a version means (who, when and this meaning are recorded)."""

    REVIEWED = "reviewed", pgettext_lazy("signature meaning", "Reviewed")
    APPROVED = "approved", pgettext_lazy("signature meaning", "Approved")
    REJECTED = "rejected", _("Sent back for changes")
