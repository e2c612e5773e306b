"""Reads of the supplier register: the evaluation (audit score, delivery and quality figures,
NCs, certifications) aggregated in SQL per supplier, the ranking for purchasing and a
supplier's scorecard. Supplier NCs are the events linked to the supplier by its key
(``Event.supplier``), whatever the spelling of their free-text "customer or supplier"."""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least, NullIf

from audits import supplier_scoring as rules
from audits.choices import AuditKind
from audits.choices_banks import SupplierRating
from audits.models import Audit, AuditAnswer, Supplier, SupplierCertification, SupplierFigure
from nonconformities.choices import EventStatus
from nonconformities.models import Event


def window_start(today: datetime.date) -> datetime.date:
    """Pure: the first day of the month ``WINDOW_MONTHS - 1`` months before ``today``'s."""
    months = today.year * 12 + today.month - 1 - (rules.WINDOW_MONTHS - 1)
    return datetime.date(months // 12, months % 12 + 1, 1)


def _figure_sum(field: str, start: datetime.date, end: datetime.date):
    rows = (SupplierFigure.objects.filter(supplier=OuterRef("pk"), period__gte=start, period__lte=end,
                                          archived_at__isnull=True)
            .order_by().values("supplier").annotate(total=Sum(field)).values("total"))
    return Cast(Subquery(rows, output_field=IntegerField()), FloatField())


def supplier_events(start: datetime.date | None = None, end: datetime.date | None = None):
    """Supplier NCs: events linked to a supplier of the register, not rejected nor archived,
    detected within ``start``..``end`` when given. A customer complaint linked to a supplier
    counts: someone said the supplier was at its origin."""
    events = (Event.objects.filter(supplier__isnull=False, archived_at__isnull=True)
              .exclude(status=EventStatus.REJECTED))
    if start:
        events = events.filter(detected_on__gte=start)
    if end:
        events = events.filter(detected_on__lte=end)
    return events


def _nc_count(start: datetime.date, end: datetime.date):
    rows = (supplier_events(start, end).filter(supplier=OuterRef("pk")).order_by()
            .values("supplier").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _points():
    return Case(*[When(result=result, then=Value(float(points))) for result, points in rules.ANSWER_POINTS.items()],
                default=None, output_field=FloatField())


def _last_audit(end: datetime.date):
    return (Audit.objects.filter(supplier=OuterRef("pk"), kind=AuditKind.SUPPLIER, archived_at__isnull=True,
                                 planned_start__lte=end,
                                 questions__answer__result__in=list(rules.ANSWER_POINTS))
            .order_by("-planned_start", "-pk").values("pk")[:1])


def audit_score_of(audit_field: str = "last_audit_id"):
    """The mean points of an audit's answers (SQL), the audit named by ``audit_field``."""
    from django.db.models import Avg

    rows = (AuditAnswer.objects.filter(question__audit_id=OuterRef(audit_field), result__in=list(rules.ANSWER_POINTS))
            .order_by().values("question__audit_id").annotate(mean=Avg(_points())).values("mean"))
    return Subquery(rows, output_field=FloatField())


def _part_weight(name: str):
    return Case(When(**{f"{name}__isnull": False}, then=Value(rules.WEIGHTS[name])), default=Value(0.0),
                output_field=FloatField())


def suppliers_evaluated(*, today: datetime.date, queryset=None):
    """Suppliers annotated with their evaluation over the window ending ``today``: last supplier
    audit and its score, on-time delivery %, ppm, rejected lots %, NCs, the next certificate
    expiry, the overall ``score`` (0-100, None without data) and ``rating`` (A, B, C or '')."""
    start = window_start(today)
    queryset = Supplier.objects.all() if queryset is None else queryset
    next_expiry = (SupplierCertification.objects.filter(supplier=OuterRef("pk"), archived_at__isnull=True)
                   .order_by("expires_on").values("expires_on")[:1])
    rows = queryset.annotate(
        last_audit_id=Subquery(_last_audit(today)),
        lots_delivered=_figure_sum("lots_delivered", start, today),
        lots_on_time=_figure_sum("lots_on_time", start, today),
        lots_rejected=_figure_sum("lots_rejected", start, today),
        quantity_received=_figure_sum("quantity_received", start, today),
        quantity_rejected=_figure_sum("quantity_rejected", start, today),
        nc_count=_nc_count(start, today), next_expiry=Subquery(next_expiry),
    ).annotate(
        audit_score=audit_score_of(),
        on_time_rate=100.0 * F("lots_on_time") / NullIf(F("lots_delivered"), 0.0),
        rejected_lot_rate=100.0 * F("lots_rejected") / NullIf(F("lots_delivered"), 0.0),
        ppm=1_000_000.0 * F("quantity_rejected") / NullIf(F("quantity_received"), 0.0),
    ).annotate(
        # GREATEST ignores NULLs: a supplier without figures gets no quality part, not 0.
        quality_score=Case(When(ppm__isnull=True, then=None), output_field=FloatField(),
                           default=Greatest(Value(0.0), Value(100.0) - F("ppm") * (100.0 / rules.PPM_AT_ZERO))),
    )
    parts = list(rules.WEIGHTS)
    weighted = sum((Coalesce(F(name), 0.0) * rules.WEIGHTS[name] for name in parts), Value(0.0))
    weights = sum((_part_weight(name) for name in parts), Value(0.0))
    penalty = Least(F("nc_count"), rules.NC_PENALTY_CAP) * float(rules.NC_PENALTY)
    return rows.annotate(
        score=Case(When(Q(**{f"{name}__isnull": True for name in parts}), then=None), output_field=FloatField(),
                   default=Greatest(Value(0.0), weighted / NullIf(weights, 0.0) - penalty)),
    ).annotate(rating=Case(
        When(score__gte=rules.CLASS_A, then=Value(SupplierRating.A)),
        When(score__gte=rules.CLASS_B, then=Value(SupplierRating.B)),
        When(score__isnull=False, then=Value(SupplierRating.C)),
        default=Value(SupplierRating.UNRATED),
    ))


def supplier_ranking(*, user, today: datetime.date):
    """The ranking for purchasing: active suppliers the user may see, best score first
    (unrated last), critical ones first among equals."""
    visible = Supplier.objects.restrict(user, "view").filter(archived_at__isnull=True)
    return (suppliers_evaluated(today=today, queryset=visible)
            .order_by(F("score").desc(nulls_last=True), "-critical", "name"))


def expiring_certifications(*, today: datetime.date, queryset=None):
    """Certifications expired or expiring within the notice, soonest first."""
    import datetime as dt

    queryset = SupplierCertification.objects.all() if queryset is None else queryset
    limit = today + dt.timedelta(days=rules.EXPIRY_NOTICE_DAYS)
    return (queryset.filter(archived_at__isnull=True, supplier__archived_at__isnull=True, expires_on__lte=limit)
            .select_related("supplier").order_by("expires_on"))


def supplier_scorecard(*, supplier: Supplier, user, today: datetime.date) -> dict:
    """One supplier's scorecard: its evaluation, its monthly figures, its supplier audits with
    their scores, its NCs and its certifications."""
    evaluated = suppliers_evaluated(today=today, queryset=Supplier.objects.filter(pk=supplier.pk)).first()
    start = window_start(today)
    audits = (Audit.objects.restrict(user, "view").filter(supplier=supplier, archived_at__isnull=True)
              .annotate(score=audit_score_of("pk")).order_by("-planned_start")[:10])
    events = (supplier_events().filter(supplier=supplier).filter(
        Q(pk__in=Event.objects.restrict(user, "view").values("pk"))).order_by("-detected_on", "-pk")[:20])
    return {
        "evaluation": evaluated,
        "figures": list(supplier.figures.filter(archived_at__isnull=True, period__gte=start).order_by("period")),
        "audits": list(audits),
        "events": list(events),
        "certifications": list(supplier.certifications.filter(archived_at__isnull=True).order_by("expires_on")),
        "requirements": list(supplier.requirements.filter(archived_at__isnull=True).order_by("title")),
        "window_start": start,
        "notice_limit": today + datetime.timedelta(days=rules.EXPIRY_NOTICE_DAYS),
    }
