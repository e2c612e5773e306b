"""The review sections the events provide: nonconformities and corrective actions with their
trend, OH&S incidents with the accident rates (TF / TG), and customer complaints."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from improvement.choices import ActionOriginKind, ActionStatus, EffectivenessResult
from improvement.models import Action
from nonconformities import indicators
from nonconformities.choices import EventStatus, EventType
from nonconformities.models import Event
from nonconformities.selectors_dashboard import Period, accident_rates
from qse.review import ReviewScope, ReviewSection, in_scope, register_section, visible

NC_TYPES = (EventType.INTERNAL_NC, EventType.CUSTOMER_COMPLAINT, EventType.SUPPLIER_NC, EventType.AUDIT_FINDING,
            EventType.REGULATORY_DEVIATION, EventType.ENVIRONMENTAL_INCIDENT)
SAFETY_TYPES = tuple(t for t, family in indicators.FAMILY_OF_TYPE.items() if family == "safety")
DONE = (EventStatus.CLOSED,)
LIST_LIMIT = 40


def _events(scope: ReviewScope, types):
    start = timezone.make_aware(datetime.datetime.combine(scope.start, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(scope.end + datetime.timedelta(days=1), datetime.time.min))
    rows = visible(Event, scope).exclude(status=EventStatus.REJECTED).filter(
        event_type__in=types, occurred_at__gte=start, occurred_at__lt=end)
    return in_scope(rows, scope)


def _months(scope: ReviewScope) -> list[datetime.date]:
    return indicators.months_between(indicators.month_start(scope.start), indicators.month_start(scope.end))


def _monthly(events, scope: ReviewScope, types) -> dict:
    """A line per type: events per month of the period (one GROUP BY query)."""
    rows = (events.annotate(month=TruncMonth("occurred_at", output_field=DateField()))
            .values("month", "event_type").annotate(n=Count("pk")).order_by())
    counts = {(row["month"], row["event_type"]): row["n"] for row in rows}
    months = _months(scope)
    present = [t for t in types if any(key[1] == t for key in counts)]
    return {"kind": "line", "labels": [m.strftime("%m/%y") for m in months],
            "series": [{"name": str(EventType(t).label), "values": [counts.get((m, t), 0) for m in months]}
                       for t in present]}


def nonconformities(scope: ReviewScope) -> dict:
    """NCs of the period per type (open, closed, cost), their monthly trend, and the
    corrective actions of nonconformities due in the period. Three queries."""
    events = _events(scope, NC_TYPES)
    by_type = list(events.values("event_type").annotate(
        total=Count("pk"), closed=Count("pk", filter=Q(status__in=DONE)), cost=Sum("cost_total")).order_by("event_type"))
    actions = in_scope(visible(Action, scope), scope).filter(
        origin_kind=ActionOriginKind.NONCONFORMITY, due_on__range=(scope.start, scope.end)).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        effective=Count("pk", filter=Q(effectiveness_result=EffectivenessResult.EFFECTIVE)))
    total = sum(row["total"] for row in by_type)
    return {
        "summary": _("{total} nonconformities in the period, {closed} closed; {actions} corrective actions due, "
                     "{done} done, {effective} checked effective.").format(
            total=total, closed=sum(row["closed"] for row in by_type), actions=actions["total"],
            done=actions["done"], effective=actions["effective"]),
        "chart": _monthly(events, scope, NC_TYPES),
        "columns": [_("Type"), _("Events"), _("Closed"), _("Cost (€)")],
        "rows": [[str(EventType(row["event_type"]).label), row["total"], row["closed"], _money(row["cost"])]
                 for row in by_type],
    }


def _money(value) -> str:
    return f"{(value or Decimal(0)).quantize(Decimal('1'))}"


def _rate(value) -> str:
    return "—" if value is None else f"{value}"


def incidents(scope: ReviewScope) -> dict:
    """Incidents, near misses and accidents of the period per type, and the frequency (TF) and
    severity (TG) rates per month (three queries)."""
    events = _events(scope, SAFETY_TYPES)
    by_type = dict(events.values_list("event_type").annotate(n=Count("pk")).order_by())
    result = {
        "columns": [_("Type"), _("Events")],
        "rows": [[str(EventType(t).label), by_type.get(t, 0)] for t in SAFETY_TYPES],
    }
    if scope.user is None:
        return {**result, "summary": ""}
    rates = accident_rates(user=scope.user, period=Period(
        indicators.month_start(scope.start), indicators.month_start(scope.end), scope.site_ids[0] if len(scope.site_ids) == 1 else None))
    period = rates["period"]
    result["summary"] = _("{accidents} lost-time accidents, {days} days lost; TF {tf}, TG {tg} over the period.").format(
        accidents=period.accidents, days=period.days_lost, tf=_rate(period.frequency), tg=_rate(period.severity))
    result["chart"] = {
        "kind": "line", "labels": [m.month.strftime("%m/%y") for m in rates["months"]],
        "series": [{"name": str(_("TF (12 rolling months)")),
                    "values": [None if m.rolling_rates.frequency is None else float(m.rolling_rates.frequency)
                               for m in rates["months"]]},
                   {"name": str(_("TG (12 rolling months)")),
                    "values": [None if m.rolling_rates.severity is None else float(m.rolling_rates.severity)
                               for m in rates["months"]]}],
    }
    return result


def customer_feedback(scope: ReviewScope) -> dict:
    """Customer complaints of the period: their number per month and the list (two queries)."""
    events = _events(scope, (EventType.CUSTOMER_COMPLAINT,))
    listed = events.order_by("occurred_at", "pk")[:LIST_LIMIT]
    rows = [[e.reference, e.title, e.third_party, date_format(timezone.localdate(e.occurred_at), "SHORT_DATE_FORMAT"),
             e.get_status_display()] for e in listed]
    return {
        "summary": _("{count} customer complaints in the period.").format(count=events.count()),
        "chart": _monthly(events, scope, (EventType.CUSTOMER_COMPLAINT,)),
        "columns": [_("Reference"), _("Title"), _("Customer"), _("Date"), _("Status")],
        "rows": rows,
    }


def register() -> None:
    for key, title, selector, order, process in (
        ("nonconformities.customer_feedback", gettext_lazy("Customer satisfaction and complaints"),
         customer_feedback, 40, False),
        ("nonconformities.nonconformities", gettext_lazy("Nonconformities and corrective actions"),
         nonconformities, 42, True),
        ("nonconformities.incidents", gettext_lazy("OH&S incidents and accident rates"), incidents, 44, True),
    ):
        register_section(ReviewSection(key=key, title=title, selector=selector, order=order, process_review=process))
