"""The compliance rate as a computed indicator of the objectives module: the compliant share
of the current evaluations (of the indicator's site when it names one), read through
compliance.selectors_dashboard under the indicator owner's rights. An evaluation is current
until the next one, so the value is the rate when the period is computed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


def compliance_rate(*, indicator, start: datetime.date, end: datetime.date) -> Decimal | None:
    from compliance.selectors_dashboard import overall
    from qse.tenancy import current_membership

    rate = overall(user=current_membership().user, site=indicator.site if indicator.site_id else None).rate
    return Decimal(rate) if rate is not None else None


def register() -> None:
    from objectives.sources import register_source

    register_source("compliance_rate", compliance_rate, label=_("Compliance rate (%)"))
