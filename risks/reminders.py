"""Reminders of the risks app: a risk's review (its owner, 7 days ahead and when late) and
the yearly update of the Document unique (the coordinators, from 11 months on).

The occurrence of a review reminder is the review date, that of a DUERP reminder the date
the update is due; rows are unique per occurrence, so planning every day adds nothing.
Renderers run at send time and say nothing when the reminder no longer applies (the risk
was reviewed, rescheduled, reassigned or closed; a newer DUERP version was published).
"""

from __future__ import annotations

import calendar
import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from qse.models import Reminder
from qse.reminders import Message, plan_reminders
from qse.reminders_planning import coordinator_ids
from qse.tenancy import current_organization
from risks import duerp
from risks.choices import ReminderKind, RiskStatus
from risks.models import DuerpVersion, Risk

REVIEW_NOTICE_DAYS = 7
DUERP_NOTICE_MONTHS = 11


def is_review_reminded(*, next_review_on: datetime.date | None, today: datetime.date) -> bool:
    """Pure: a review within 7 days, or late."""
    return next_review_on is not None and next_review_on <= today + datetime.timedelta(days=REVIEW_NOTICE_DAYS)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Pure: the same day ``months`` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def is_duerp_reminded(*, published_on: datetime.date, today: datetime.date) -> bool:
    """Pure: the last version is 11 months old or more (the update is due at 12)."""
    return add_months(published_on, DUERP_NOTICE_MONTHS) <= today


def duerp_due_on(published_on: datetime.date) -> datetime.date:
    return published_on + duerp.UPDATE_INTERVAL


# --- planning -------------------------------------------------------------------------


def plan_risk_reminders(*, today: datetime.date) -> int:
    """Plan the active organization's review and DUERP reminders for ``today``; idempotent."""
    organization = current_organization()
    if organization is None:
        return 0
    return plan_reminders(rows=_review_reminders(organization, today) + _duerp_reminders(organization, today))


def _open_risks():
    return Risk.objects.in_current_organization().filter(status=RiskStatus.OPEN, archived_at__isnull=True)


def _review_reminders(organization, today: datetime.date) -> list[Reminder]:
    """One per open risk and review date, for its owner."""
    content_type = ContentType.objects.get_for_model(Risk)
    due = _open_risks().filter(next_review_on__lte=today + datetime.timedelta(days=REVIEW_NOTICE_DAYS))
    return [
        Reminder(organization=organization, recipient_id=owner_id, kind=ReminderKind.REVIEW_DUE,
                 occurrence=next_review_on, content_type=content_type, object_id=risk_id)
        for risk_id, next_review_on, owner_id in due.values_list("pk", "next_review_on", "owner_id")
    ]


def _duerp_reminders(organization, today: datetime.date) -> list[Reminder]:
    """One per coordinator for the update the last published version calls for."""
    latest = _latest_version()
    if latest is None or not is_duerp_reminded(published_on=latest.published_on, today=today):
        return []
    content_type = ContentType.objects.get_for_model(DuerpVersion)
    return [
        Reminder(organization=organization, recipient_id=user_id, kind=ReminderKind.DUERP_UPDATE_DUE,
                 occurrence=duerp_due_on(latest.published_on), content_type=content_type, object_id=latest.pk)
        for user_id in coordinator_ids()
    ]


def _latest_version() -> DuerpVersion | None:
    return DuerpVersion.objects.in_current_organization().filter(archived_at__isnull=True).order_by("-number").first()


# --- rendering (at send time, in the language the sweep activates) ---------------------


def render_review_reminder(reminder: Reminder) -> Message | None:
    """The review message; None when the risk was reviewed, rescheduled, reassigned or closed."""
    risk = _open_risks().filter(pk=reminder.object_id).first()
    if risk is None or risk.next_review_on != reminder.occurrence or risk.owner_id != reminder.recipient_id:
        return None
    subject = _("Risk review due: {risk}").format(risk=risk)
    body = _("The review of {risk} is due on {date}. Reassess it, then set its next review date.").format(
        risk=risk, date=_date(risk.next_review_on)
    )
    return Message(subject=subject, body=body, url=risk.get_absolute_url())


def render_duerp_reminder(reminder: Reminder) -> Message | None:
    """The yearly-update message; None once a newer version is published (or it was archived)."""
    latest = _latest_version()
    if latest is None or latest.pk != reminder.object_id:
        return None
    subject = _("Document unique (DUERP): yearly update due on {date}").format(date=_date(reminder.occurrence))
    body = _(
        "Version {number} was published on {published}. The occupational-risk assessment must be "
        "updated at least once a year: review the work units and their risks, then publish a new version."
    ).format(number=latest.number, published=_date(latest.published_on))
    return Message(subject=subject, body=body, url=reverse("risks:duerpversion_list"))


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")
