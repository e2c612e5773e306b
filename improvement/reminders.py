"""Action reminders: due in 7 days, due today, overdue, and the weekly digest.

Planning writes one row per (recipient, kind, occurrence, target); the occurrence of a
deadline reminder is the action's due date, that of a digest the Monday it is for. Rows
are unique, so planning again the same day (or re-running a task) adds nothing. Renderers
run at send time and say nothing when the reminder no longer applies.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from improvement import selectors
from improvement.choices import ReminderKind
from improvement.models import Action
from improvement.models.actions import OPEN_STATUSES
from qse.models import Organization, Reminder
from qse.reminders import Message, plan_reminders
from qse.tenancy import current_organization

DUE_SOON_DAYS = 7
OVERDUE_LOOKBACK_DAYS = 60
DIGEST_MAX_LINES = 50


def kind_for(*, due_on: datetime.date, today: datetime.date) -> str | None:
    """Pure: which reminder an open action due on ``due_on`` calls for today."""
    if due_on == today + datetime.timedelta(days=DUE_SOON_DAYS):
        return ReminderKind.DUE_SOON
    if due_on == today:
        return ReminderKind.DUE_TODAY
    if today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS) <= due_on < today:
        return ReminderKind.OVERDUE
    return None


def is_digest_day(today: datetime.date, weekday: int = 0) -> bool:
    """Pure: the weekly digest goes out on the person's chosen day (Monday by default)."""
    return today.weekday() == weekday


# --- planning -------------------------------------------------------------------------


def plan_action_reminders(*, today: datetime.date) -> int:
    """Plan the active organization's action reminders for ``today``; idempotent."""
    organization = current_organization()
    if organization is None:
        return 0
    rows = _deadline_reminders(organization=organization, today=today)
    rows += _digest_reminders(organization=organization, monday=today)
    return plan_reminders(rows=rows)


def _deadline_reminders(*, organization: Organization, today: datetime.date) -> list[Reminder]:
    """Due in 7 days, due today, overdue: one per action and due date, for its owner."""
    content_type = ContentType.objects.get_for_model(Action)
    window = selectors.actions_due_between(
        start=today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS),
        end=today + datetime.timedelta(days=DUE_SOON_DAYS),
    )
    rows = []
    for action_id, due_on, owner_id in window.values_list("pk", "due_on", "owner_id"):
        kind = kind_for(due_on=due_on, today=today)
        if kind:
            rows.append(Reminder(
                organization=organization, recipient_id=owner_id, kind=kind, occurrence=due_on,
                content_type=content_type, object_id=action_id,
            ))
    return rows


def _digest_reminders(*, organization: Organization, monday: datetime.date) -> list[Reminder]:
    """One digest per owner of open actions whose digest day (their profile, Monday by
    default) is today, for this organization (``monday`` is the day it is for).

    The digest's target is the organization: a user member of two organizations gets one
    digest for each (each sweep sees only its own organization's actions).
    """
    from qse.profiles import digest_day_of

    content_type = ContentType.objects.get_for_model(Organization)
    days = digest_day_of(_open_action_owner_ids())
    return [
        Reminder(
            organization=organization, recipient_id=owner_id, kind=ReminderKind.WEEKLY_DIGEST,
            occurrence=monday, content_type=content_type, object_id=organization.pk,
        )
        for owner_id, weekday in days.items() if is_digest_day(monday, weekday)
    ]


def _open_action_owner_ids() -> list[int]:
    # order_by() drops the model ordering, which DISTINCT would otherwise include.
    return list(
        _open_actions().order_by().values_list("owner_id", flat=True).distinct()
    )


def _open_actions():
    return Action.objects.in_current_organization().filter(
        status__in=OPEN_STATUSES, archived_at__isnull=True
    )


# --- rendering (at send time, in the recipient's language) -----------------------------


def render_action_reminder(reminder: Reminder) -> Message | None:
    """The deadline message; None when the reminder no longer applies."""
    action = _open_actions().filter(pk=reminder.object_id).first()
    if not _still_applies(action=action, reminder=reminder):
        return None
    body = _("Due {date}. Progress: {progress} %. Deliverable: {deliverable}").format(
        date=_date(action.due_on), progress=action.progress, deliverable=action.deliverable or "—"
    )
    subject = _subject(reminder.kind).format(title=action.title)
    return Message(subject=subject, body=body, url=action.get_absolute_url())


def _still_applies(*, action: Action | None, reminder: Reminder) -> bool:
    """Still open, still due on the planned date, still owned by the recipient.

    A done, cancelled or archived action needs no reminder; a rescheduled or reassigned one
    gets its own reminders from the next planning.
    """
    return (
        action is not None
        and action.due_on == reminder.occurrence
        and action.owner_id == reminder.recipient_id
    )


def _subject(kind: str) -> str:
    subjects = {
        ReminderKind.DUE_SOON: _("Action due in 7 days: {title}"),
        ReminderKind.DUE_TODAY: _("Action due today: {title}"),
        ReminderKind.OVERDUE: _("Overdue action: {title}"),
    }
    return subjects[kind]


def render_weekly_digest(reminder: Reminder) -> Message | None:
    """The recipient's open actions in the organization, soonest first; None if none."""
    actions = _open_actions().filter(owner_id=reminder.recipient_id).order_by("due_on", "pk")
    count = actions.count()
    if not count:
        return None
    lines = [_digest_line(action) for action in actions[:DIGEST_MAX_LINES]]
    subject = _("Your open actions this week: {count}").format(count=count)
    return Message(subject=subject, body="\n".join(lines), url=reverse("improvement:my_actions"))


def _digest_line(action: Action) -> str:
    return f"- {_date(action.due_on)} · {action.title} ({action.progress} %)"


def _date(value: datetime.date) -> str:
    """A date in the active language's short format (dd/mm/yyyy in French)."""
    return formats.date_format(value, "SHORT_DATE_FORMAT")
