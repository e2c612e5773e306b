"""The preventive action opened from an indicator (its origin), through improvement's service."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from improvement.choices import ActionOriginKind, Priority
from improvement.services import action_create

PREVENTIVE_DELAY_DAYS = 30


def preventive_action_create(*, indicator, acting_user, today: datetime.date):
    """An action to keep the indicator from turning red, owned by the indicator's owner,
    due in 30 days, linked to the indicator as its origin."""
    return action_create(
        acting_user=acting_user, origin=indicator, origin_kind=ActionOriginKind.OTHER,
        data={
            "title": _("Preventive action: {indicator}").format(indicator=indicator.name)[:200],
            "description": _("Opened from the forecast of {indicator}: its trend heads for the red threshold.").format(indicator=indicator),
            "owner": indicator.owner, "process": indicator.process, "site": indicator.site,
            "priority": Priority.HIGH, "start_on": today, "due_on": today + datetime.timedelta(days=PREVENTIVE_DELAY_DAYS),
        },
    )
