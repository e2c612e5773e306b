"""Choices of the question banks and of the supplier evaluation (kept apart from
``audits/choices.py``, which the programme and the checklist answers own)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BankKind(models.TextChoices):
    STANDARD = "standard", _("Standard, clause by clause")
    SUPPLIER = "supplier", _("Supplier questionnaire")
    WALK = "walk", _("Field walk (5S, safety)")
    CUSTOM = "custom", _("Organization's own")


class SupplierRating(models.TextChoices):
    """The evaluation's class, from the overall score (thresholds in ``supplier_scoring``)."""

    A = "A", _("A: preferred")
    B = "B", _("B: acceptable")
    C = "C", _("C: under surveillance")
    UNRATED = "", _("Not evaluated")


class ReminderKind(models.TextChoices):
    CERTIFICATION_EXPIRY = "supplier_certification_expiry", _("Supplier certification expiring")
