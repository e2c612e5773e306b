"""Reads of the event register for pages, exports, the API and the event sheet. Already scoped."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from improvement.selectors import actions_of
from nonconformities import workflow
from nonconformities.choices import ACCIDENT_TYPES, EventStatus
from nonconformities.models import Event, HoursWorked, ImmediateAction, Person, RootCause
from qse.fields import may_see_field


def event_queryset():
    """Events with what every list and detail shows, in one query."""
    return Event.objects.select_related("site", "process", "owner", "detected_by", "victim", "recurrence_of",
                                        "supplier")


def person_queryset():
    return Person.objects.select_related("site")


def hours_worked_queryset():
    return HoursWorked.objects.select_related("site")


def triage_queue(*, user):
    """Events reported through the public form, awaiting a decision, oldest first (with
    what the triage cards show: a join per relation of ``event_queryset`` cost more to plan
    than the page's rows to read)."""
    return (
        Event.objects.select_related("site", "process", "detected_by").restrict(user, "change")
        .filter(status=EventStatus.REPORTED, archived_at__isnull=True)
        .order_by("created_at", "pk")
    )


def immediate_actions_of(*, user, event: Event) -> list[ImmediateAction]:
    return list(
        ImmediateAction.objects.restrict(user, "view")
        .filter(event=event, archived_at__isnull=True).select_related("done_by").order_by("done_at", "pk")
    )


def root_causes_of(*, user, event: Event) -> list[RootCause]:
    return list(
        RootCause.objects.restrict(user, "view").filter(event=event, archived_at__isnull=True)
        .select_related("validated_by").order_by("pk")
    )


def can_see_victims(user) -> bool:
    """The victim's identity is personal data (the field rule declared on ``Event``)."""
    return may_see_field(user, Event, "victim")


def declaration_state(event: Event, *, now: datetime.datetime | None = None) -> dict | None:
    """The 48-hour declaration of a work or commuting accident: deadline, done or late."""
    if event.declaration_due_at is None:
        return None
    now = now or timezone.now()
    late = workflow.is_declaration_late(due_at=event.declaration_due_at, declared_on=event.declared_on, now=now)
    return {"due_at": event.declaration_due_at, "declared_on": event.declared_on, "is_late": late,
            "is_pending": event.declared_on is None}


def costs_of(event: Event) -> list[tuple[str, object]]:
    names = ("cost_scrap", "cost_rework", "cost_downtime", "cost_penalties", "cost_other")
    return [(Event._meta.get_field(name).verbose_name, getattr(event, name)) for name in names]


def event_page(*, user, event: Event) -> dict:
    """Everything the event page shows beside its fields (the analysis has its own selector)."""
    actions = list(actions_of(event, user=user).select_related(
        "effectiveness_checked_by", "event_link").order_by("due_on", "pk"))
    return {
        "immediate_actions": immediate_actions_of(user=user, event=event),
        "linked_actions": actions,
        "costs": costs_of(event),
        "declaration": declaration_state(event),
        "is_accident": event.event_type in ACCIDENT_TYPES,
        "show_victim": can_see_victims(user),
        "show_reporter_contact": may_see_field(user, Event, "reporter_contact"),
        "steps": workflow.offered_steps(status=event.status, severity=event.severity),
    }


def events_with_details(*, user):
    """Events with their immediate actions prefetched (exports that need them)."""
    return event_queryset().restrict(user, "view").prefetch_related(
        Prefetch("immediate_actions", queryset=ImmediateAction.objects.select_related("done_by")),
    )
