"""Action reminders: due in 7 days, due today, overdue, and the weekly digest."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from improvement import selectors
from improvement.models import Action
from qse.models import Reminder, ReminderKind
from qse.reminders import Message
from qse.tenancy import current_organization

OVERDUE_LOOKBACK_DAYS = 60


def kind_for(due_on: datetime.date, today: datetime.date) -> str | None:
    """Pure: which reminder an open action due on ``due_on`` calls for today."""
    if due_on == today + datetime.timedelta(days=7):
        return ReminderKind.DUE_SOON
    if due_on == today:
        return ReminderKind.DUE_TODAY
    if due_on < today:
        return ReminderKind.OVERDUE
    return None


def plan_action_reminders(today: datetime.date) -> int:
    """One row per (action, kind, due date): re-planning the same day adds nothing."""
    organization = current_organization()
    content_type = ContentType.objects.get_for_model(Action)
    window = selectors.actions_due_between(
        start=today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS), end=today + datetime.timedelta(days=7)
    )
    rows, digest_users = [], set()
    for action in window.only("pk", "due_on", "owner_id"):
        digest_users.add(action.owner_id)
        kind = kind_for(action.due_on, today)
        if kind:
            rows.append(Reminder(organization=organization, recipient_id=action.owner_id, kind=kind,
                                 occurrence=action.due_on, content_type=content_type, object_id=action.pk))
    if today.weekday() == 0:
        monday = today
        rows += [Reminder(organization=organization, recipient_id=user_id, kind=ReminderKind.WEEKLY_DIGEST,
                          occurrence=monday) for user_id in digest_users]
    from qse.reminders import plan_reminders

    return plan_reminders(rows)


def render_action_reminder(reminder: Reminder) -> Message | None:
    action = Action.objects.filter(pk=reminder.object_id).first()
    if action is None or action.status not in ("planned", "in_progress") or action.archived_at:
        return None  # done or cancelled since it was planned: nothing to remind
    due = formats.date_format(action.due_on, "SHORT_DATE_FORMAT")
    subjects = {
        ReminderKind.DUE_SOON: _("Action due in 7 days: {title}"),
        ReminderKind.DUE_TODAY: _("Action due today: {title}"),
        ReminderKind.OVERDUE: _("Overdue action: {title}"),
    }
    body = _("Due {date}. Progress: {progress} %. Deliverable: {deliverable}").format(
        date=due, progress=action.progress, deliverable=action.deliverable or "—")
    return Message(subjects[reminder.kind].format(title=action.title), body, action.get_absolute_url())


def render_weekly_digest(reminder: Reminder) -> Message | None:
    actions = list(
        Action.objects.in_current_organization()
        .filter(owner_id=reminder.recipient_id, status__in=("planned", "in_progress"), archived_at__isnull=True)
        .order_by("due_on")[:50]
    )
    if not actions:
        return None
    lines = [f"- {formats.date_format(a.due_on, 'SHORT_DATE_FORMAT')} · {a.title} ({a.progress} %)" for a in actions]
    subject = _("Your open actions this week: {count}").format(count=len(actions))
    return Message(subject, "\n".join(lines), reverse("improvement:my_actions"))
