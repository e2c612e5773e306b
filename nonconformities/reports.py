"""PDF reports of events: the event sheet (« fiche d'événement »). The analysis reports
(8D, A3) register in ``reports_analysis``."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from improvement.selectors import actions_of
from nonconformities import reports_analysis  # noqa: F401
from nonconformities.choices import ACCIDENT_TYPES
from nonconformities.models import Event
from nonconformities.selectors import (
    can_see_victims,
    costs_of,
    declaration_state,
    event_queryset,
    immediate_actions_of,
    root_causes_of,
)
from qse.reports import register_report


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _purpose(action) -> str:
    link = getattr(action, "event_link", None)
    return link.get_purpose_display() if link else ""


def _action_row(action, today: datetime.date) -> dict:
    return {
        "title": action.title,
        "purpose": _purpose(action),
        "deliverable": action.deliverable,
        "owner": _person(action.owner),
        "due_on": action.due_on,
        "status": action.status,
        "status_label": action.get_status_display(),
        "is_late": action.is_late_on(today),
        "criterion": action.effectiveness_criterion,
        "result": action.effectiveness_result,
        "result_label": action.get_effectiveness_result_display() if action.effectiveness_result else "",
        "checked_on": action.effectiveness_checked_on,
        "checked_by": _person(action.effectiveness_checked_by),
    }


def event_sheet_context(event: Event, user, *, today: datetime.date) -> dict:
    """The event sheet: fields, costs, accident, immediate actions, root causes, actions and
    their effectiveness. A fixed number of queries whatever the number of rows."""
    event = event_queryset().restrict(user, "view").get(pk=event.pk)
    actions = list(actions_of(event, user=user).select_related("effectiveness_checked_by", "event_link")
                   .order_by("due_on", "pk"))
    declaration = declaration_state(event, now=timezone.now())
    return {
        "event": event,
        # The name typed for someone without an account comes first; the account recorded it.
        "detected_by": event.detected_by_name or _person(event.detected_by),
        "owner": _person(event.owner),
        "costs": costs_of(event),
        "is_accident": event.event_type in ACCIDENT_TYPES,
        "show_victim": can_see_victims(user),
        "declaration": declaration,
        "immediate_actions": [
            {"description": item.description, "who": _person(item.done_by) or item.done_by_name,
             "done_at": item.done_at, "quantity": item.quantity_contained}
            for item in immediate_actions_of(user=user, event=event)
        ],
        "root_causes": [
            {"category": cause.get_category_display(), "description": cause.description,
             "is_escape_point": cause.is_escape_point, "validated_on": cause.validated_on,
             "validated_by": _person(cause.validated_by)}
            for cause in root_causes_of(user=user, event=event)
        ],
        "actions": [_action_row(action, today) for action in actions],
        "today": today,
    }


register_report(
    "nonconformities.event_sheet",
    model=Event,
    title=gettext_lazy("Event sheet"),
    context_builder=event_sheet_context,
    template="nonconformities/pdf/event_sheet.html",
)
