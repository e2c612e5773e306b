"""The management-system standards and their editions, shared by every module.

A code carries its edition ("iso9001:2015"): question banks, audit criteria and review
templates name the edition they were written for, so a new edition (ISO 14001:2026, ISO
9001:2026) is added beside the old one rather than silently replacing its clause numbers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Standard(models.TextChoices):
    ISO_9001_2015 = "iso9001:2015", _("ISO 9001:2015 (quality)")
    ISO_14001_2015 = "iso14001:2015", _("ISO 14001:2015 (environment)")
    ISO_45001_2018 = "iso45001:2018", _("ISO 45001:2018 (health and safety)")
