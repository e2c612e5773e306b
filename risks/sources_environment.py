"""The environmental performance as computed indicators of the objectives module: the waste
register's tonnes, hazardous share and recovery rate, and a meter's consumption, per period
and (when the indicator names one) site, read through risks.selectors_environment under the
indicator owner's rights. Registered from RisksConfig.ready into objectives' source registry."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


def _totals(indicator, start: datetime.date, end: datetime.date) -> dict:
    from qse.tenancy import current_membership
    from risks.selectors_environment import waste_totals

    return waste_totals(user=current_membership().user, start=start, end=end,
                        site=indicator.site if indicator.site_id else None)


def waste_tonnes(*, indicator, start: datetime.date, end: datetime.date) -> Decimal | None:
    totals = _totals(indicator, start, end)
    return totals["tonnes"] if totals["removals"] else None


def hazardous_waste_share(*, indicator, start: datetime.date, end: datetime.date) -> Decimal | None:
    return _totals(indicator, start, end)["hazardous_share"]


def waste_recovery_rate(*, indicator, start: datetime.date, end: datetime.date) -> Decimal | None:
    return _totals(indicator, start, end)["recovery_rate"]


def meter_consumption(*, indicator, start: datetime.date, end: datetime.date) -> Decimal | None:
    """The period's consumption of the meter whose number is the source parameter."""
    from qse.tenancy import current_membership
    from risks.models import Meter
    from risks.selectors_environment import meter_monthly_consumption

    user = current_membership().user
    number = indicator.source_parameter.strip()
    meter = Meter.objects.restrict(user, "view").filter(pk=int(number)).first() if number.isdigit() else None
    if meter is None:
        return None
    consumption = meter_monthly_consumption(user=user, start=start, end=end, meters=[meter])
    return sum((Decimal(str(value)) for value in consumption.values()), Decimal(0)) if consumption else None


def _is_number(value: str) -> bool:
    return value.strip().isdigit()


def register() -> None:
    from objectives.sources import register_source

    register_source("waste_tonnes", waste_tonnes, label=_("Waste removed (tonnes)"))
    register_source("waste_hazardous_share", hazardous_waste_share, label=_("Hazardous share of the waste (%)"))
    register_source("waste_recovery_rate", waste_recovery_rate, label=_("Waste recovery rate (%)"))
    register_source("meter_consumption", meter_consumption, label=_("Meter consumption"),
                    parameter_help=_("The meter's number (shown on its page)."), check_parameter=_is_number)
