"""Choices of the sensor module: English values, translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceKind(models.TextChoices):
    NOISE_METER = "noise_meter", _("Noise meter")
    GAS_DETECTOR = "gas_detector", _("Gas detector")
    AIR_QUALITY = "air_quality", _("Air quality station")
    ENERGY_METER = "energy_meter", _("Energy meter")
    WATER_METER = "water_meter", _("Water meter")
    OTHER = "other", _("Other sensor")


class Grain(models.TextChoices):
    HOUR = "hour", _("hourly")
    DAY = "day", _("daily")
