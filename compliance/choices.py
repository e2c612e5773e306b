"""Choices of the compliance app: English values, translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


class ReminderKind(models.TextChoices):
    """The reminders this app sends (registered in its AppConfig.ready with their renderer)."""

    CHECK_DUE = "check_due", _("Periodic check due")
    DOCUMENT_REVIEW_DUE = "document_review_due", _("Document review due")
