"""Reminder of the yearly review of the climate-change decision (ISO amendment of February
2024): the coordinators, from 30 days before the review date and when it is late.

The occurrence is the review date: one reminder per coordinator and review date; a new
decision (with its own review date) gets its own reminders.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import formats
from django.utils.translation import gettext as _

from context.choices import ReminderKind
from context.models import ClimateDecision
from qse.models import Reminder
from qse.reminders import Message, plan_reminders
from qse.reminders_planning import coordinator_ids
from qse.tenancy import current_organization

CLIMATE_NOTICE_DAYS = 30


def is_climate_review_reminded(*, next_review_on: datetime.date, today: datetime.date) -> bool:
    """Pure: the review is within 30 days, or late."""
    return next_review_on <= today + datetime.timedelta(days=CLIMATE_NOTICE_DAYS)


def _current_decision() -> ClimateDecision | None:
    """The organization's current position: its latest decision that is not archived."""
    return ClimateDecision.objects.in_current_organization().filter(archived_at__isnull=True).first()


def plan_climate_reminders(*, today: datetime.date) -> int:
    """Plan the active organization's climate review reminders for ``today``; idempotent."""
    organization = current_organization()
    decision = _current_decision() if organization else None
    if decision is None or not is_climate_review_reminded(next_review_on=decision.next_review_on, today=today):
        return 0
    content_type = ContentType.objects.get_for_model(ClimateDecision)
    return plan_reminders(rows=[
        Reminder(organization=organization, recipient_id=user_id, kind=ReminderKind.CLIMATE_REVIEW_DUE,
                 occurrence=decision.next_review_on, content_type=content_type, object_id=decision.pk)
        for user_id in coordinator_ids()
    ])


def render_climate_reminder(reminder: Reminder) -> Message | None:
    """The review message; None once a newer decision was recorded or its date moved."""
    decision = _current_decision()
    if decision is None or decision.pk != reminder.object_id or decision.next_review_on != reminder.occurrence:
        return None
    date = formats.date_format(decision.next_review_on, "SHORT_DATE_FORMAT")
    verdict = _("relevant") if decision.is_relevant else _("not relevant")
    subject = _("Climate change decision: review due on {date}").format(date=date)
    body = _(
        "On {decided}, climate change was judged {verdict} for the organization. This decision is reviewed "
        "every year: check the physical and transition risks and the interested parties' requirements, "
        "then record the decision again."
    ).format(decided=formats.date_format(decision.decided_on, "SHORT_DATE_FORMAT"), verdict=verdict)
    return Message(subject=subject, body=body, url=decision.get_absolute_url())
