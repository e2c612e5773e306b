"""Indicators fed by a sensor: the mean of a device's readings over the period, read from the
daily roll-up (never the raw readings), the device named by its code in the indicator's
source parameter and seen with the indicator owner's rights."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

SOURCE = "sensor"


def sensor_mean(*, indicator, start: datetime.date, end: datetime.date) -> Decimal | None:
    """The mean of the period's readings (None: the device is unknown or sent nothing)."""
    from objectives.models import Device
    from objectives.selectors_sensors import devices_figures
    from qse.tenancy import current_membership

    device = (Device.objects.restrict(current_membership().user, "view")
              .filter(code=indicator.source_parameter.strip(), archived_at__isnull=True).first())
    if device is None:
        return None
    figures = devices_figures(device_ids=[device.pk], start=start, end=end + datetime.timedelta(days=1))[device.pk]
    return Decimal(str(round(figures.mean, 3))) if figures.mean is not None else None


def _is_code(value: str) -> bool:
    return bool(value.strip())


def register() -> None:
    from objectives.sources import register_source

    register_source(SOURCE, sensor_mean, label=_("Sensor (mean of its readings)"),
                    parameter_help=_("The code of the sensor whose readings feed this indicator."),
                    check_parameter=_is_code)
