"""Reads of the supplier register: the evaluation (audit score, delivery and quality figures,
NCs, certifications) aggregated in SQL per supplier, the ranking for purchasing and a
supplier's scorecard. Supplier NCs are the events linked to the supplier by its key
(``Event.supplier``), whatever the spelling of their free-text "customer or supplier"."""

from __future__ import annotations

import datetime

from django.db.models import Avg, Case, FloatField, OuterRef, Q, Subquery, Value, When

from audits import supplier_scoring as rules
from audits.choices import AuditKind
from audits.choices_banks import SupplierRating
from audits.models import (
    Audit,
    AuditAnswer,
    AuditQuestion,
    Supplier,
    SupplierCertification,
    SupplierFigure,
)
from nonconformities.choices import EventStatus
from nonconformities.models import Event


def window_start(today: datetime.date) -> datetime.date:
    """Pure: the first day of the month ``WINDOW_MONTHS - 1`` months before ``today``'s."""
    months = today.year * 12 + today.month - 1 - (rules.WINDOW_MONTHS - 1)
    return datetime.date(months // 12, months % 12 + 1, 1)


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


def _points():
    return Case(*[When(result=result, then=Value(float(points))) for result, points in rules.ANSWER_POINTS.items()],
                default=None, output_field=FloatField())


def audit_score_of(audit_field: str = "pk"):
    """The mean points of an audit's answers (SQL), the audit named by ``audit_field``."""
    rows = (AuditAnswer.objects.filter(question__audit_id=OuterRef(audit_field), result__in=list(rules.ANSWER_POINTS))
            .order_by().values("question__audit_id").annotate(mean=Avg(_points())).values("mean"))
    return Subquery(rows, output_field=FloatField())


# The evaluation, one statement: each source table aggregated per supplier (GROUP BY) and
# joined to the suppliers once, the last audit found per supplier over an index (LATERAL) and
# only its answers averaged (LATERAL); the derived figures are computed from those columns a level up.
# (Written with ORM annotations, every reference to an aggregate re-inlined its correlated
# subquery: 120 subplans per supplier, whose JIT compilation alone took 31 s at 600
# suppliers.) Row-level security applies to every table read here.
_EVALUATION = """
WITH chosen (pk) AS ({suppliers}),
figures AS (
    SELECT f.supplier_id, SUM(f.lots_delivered)::float8 AS lots_delivered,
           SUM(f.lots_on_time)::float8 AS lots_on_time, SUM(f.lots_rejected)::float8 AS lots_rejected,
           SUM(f.quantity_received)::float8 AS quantity_received, SUM(f.quantity_rejected)::float8 AS quantity_rejected
    FROM {figure} f
    WHERE f.supplier_id IN (SELECT pk FROM chosen) AND f.archived_at IS NULL AND f.period >= %s AND f.period <= %s
    GROUP BY f.supplier_id),
ncs AS (
    SELECT e.supplier_id, COUNT(*) AS nc_count FROM {event} e
    WHERE e.supplier_id IN (SELECT pk FROM chosen) AND e.archived_at IS NULL AND e.status <> %s
      AND e.detected_on >= %s AND e.detected_on <= %s
    GROUP BY e.supplier_id),
last_audits AS (
    -- The newest supplier audit of each supplier with an answer that counts (partial index),
    -- then the mean of that audit only (its answers by index, not a scan of every answer).
    SELECT chosen.pk AS supplier_id, latest.id, score.mean FROM chosen
    CROSS JOIN LATERAL (
        SELECT a.id FROM {audit} a
        WHERE a.supplier_id = chosen.pk AND a.kind = %s AND a.archived_at IS NULL AND a.planned_start <= %s
          AND EXISTS (SELECT 1 FROM {question} q JOIN {answer} r ON r.question_id = q.id
                      WHERE q.audit_id = a.id AND r.result = ANY(%s))
        ORDER BY a.planned_start DESC, a.id DESC LIMIT 1) AS latest
    CROSS JOIN LATERAL (
        SELECT AVG({points}) AS mean FROM {question} q JOIN {answer} r ON r.question_id = q.id
        WHERE q.audit_id = latest.id AND r.result = ANY(%s)) AS score),
expiries AS (
    SELECT c.supplier_id, MIN(c.expires_on) AS next_expiry FROM {certification} c
    WHERE c.supplier_id IN (SELECT pk FROM chosen) AND c.archived_at IS NULL
    GROUP BY c.supplier_id),
measured AS (
    SELECT s.*, la.id AS last_audit_id, la.mean AS audit_score, f.lots_delivered, f.lots_on_time, f.lots_rejected,
           f.quantity_received, f.quantity_rejected, COALESCE(n.nc_count, 0) AS nc_count, x.next_expiry,
           100.0::float8 * f.lots_on_time / NULLIF(f.lots_delivered, 0.0::float8) AS on_time_rate,
           100.0::float8 * f.lots_rejected / NULLIF(f.lots_delivered, 0.0::float8) AS rejected_lot_rate,
           1000000.0::float8 * f.quantity_rejected / NULLIF(f.quantity_received, 0.0::float8) AS ppm
    FROM {supplier} s
    LEFT JOIN figures f ON f.supplier_id = s.id LEFT JOIN ncs n ON n.supplier_id = s.id
    LEFT JOIN last_audits la ON la.supplier_id = s.id LEFT JOIN expiries x ON x.supplier_id = s.id
    WHERE s.id IN (SELECT pk FROM chosen)),
parts AS (
    -- GREATEST ignores NULLs: a supplier without figures gets no quality part, not 0.
    SELECT *, CASE WHEN ppm IS NULL THEN NULL
                   ELSE GREATEST(0.0::float8, 100.0::float8 - ppm * %s::float8) END AS quality_score
    FROM measured),
scored AS (
    SELECT *, CASE WHEN audit_score IS NULL AND on_time_rate IS NULL AND quality_score IS NULL THEN NULL
                   ELSE GREATEST(0.0::float8, ({weighted}) / NULLIF({weights}, 0.0::float8)
                                 - LEAST(nc_count, %s) * %s::float8) END AS score
    FROM parts)
SELECT *, CASE WHEN score >= %s THEN %s WHEN score >= %s THEN %s WHEN score IS NOT NULL THEN %s ELSE %s END AS rating
FROM scored
ORDER BY {order}
{limit}
"""

# The orders the evaluation is read in (SQL over the columns of ``_EVALUATION``).
BEST_FIRST = "score DESC NULLS LAST, critical DESC, name, id"
CRITICAL_AND_WEAKEST_FIRST = "critical DESC, score ASC NULLS LAST, name, id"
BY_ID = "id"


def _tables() -> dict:
    return {"supplier": Supplier._meta.db_table, "figure": SupplierFigure._meta.db_table,
            "event": Event._meta.db_table, "audit": Audit._meta.db_table,
            "question": AuditQuestion._meta.db_table, "answer": AuditAnswer._meta.db_table,
            "certification": SupplierCertification._meta.db_table}


def _evaluation_sql(*, today: datetime.date, suppliers, order: str, limit: int | None, offset: int):
    """The statement and its parameters, in the order the ``%s`` appear."""
    start = window_start(today)
    ids_sql, ids_params = suppliers.order_by().values("pk").query.sql_with_params()
    points = "CASE r.result {} END".format(" ".join("WHEN %s THEN %s::float8" for _ in rules.ANSWER_POINTS))
    names = list(rules.WEIGHTS)
    # Summed in the rules' order, as the score was always summed (same floating-point result).
    weighted = " + ".join(["0.0::float8", *(f"COALESCE({name}, 0.0::float8) * %s::float8" for name in names)])
    weights = " + ".join(["0.0::float8", *(f"CASE WHEN {name} IS NULL THEN 0.0::float8 ELSE %s::float8 END"
                                           for name in names)])
    sql = _EVALUATION.format(suppliers=ids_sql, points=points, weighted=weighted, weights=weights, order=order,
                             limit="LIMIT %s OFFSET %s" if limit is not None else "", **_tables())
    counted = [str(result) for result in rules.ANSWER_POINTS]
    params = [*ids_params, start, today, EventStatus.REJECTED, start, today,
              AuditKind.SUPPLIER, today, counted,
              *[value for result, points_ in rules.ANSWER_POINTS.items() for value in (str(result), float(points_))],
              counted,
              100.0 / rules.PPM_AT_ZERO,
              *[rules.WEIGHTS[name] for name in names], *[rules.WEIGHTS[name] for name in names],
              rules.NC_PENALTY_CAP, float(rules.NC_PENALTY),
              rules.CLASS_A, str(SupplierRating.A), rules.CLASS_B, str(SupplierRating.B), str(SupplierRating.C),
              str(SupplierRating.UNRATED)]
    if limit is not None:
        params += [limit, offset]
    return sql, params


def suppliers_evaluated(*, today: datetime.date, queryset=None, order: str = BY_ID, limit: int | None = None,
                        offset: int = 0) -> list[Supplier]:
    """The suppliers of ``queryset`` (all by default) with their evaluation over the window ending
    ``today``, in ``order`` (SQL), ``limit`` rows from ``offset``: last supplier audit
    (``last_audit_id``) and its score, on-time delivery %, rejected lots %, ppm, quality part,
    NCs, the next certificate expiry, the overall ``score`` (0-100, None without data) and
    ``rating`` (A, B, C or ''). One statement whatever the number of suppliers."""
    queryset = Supplier.objects.all() if queryset is None else queryset
    sql, params = _evaluation_sql(today=today, suppliers=queryset, order=order, limit=limit, offset=offset)
    return list(Supplier.objects.raw(sql, params))


class SupplierRanking:
    """The ranking as django-tables2 and DRF's paginator read a queryset: ``count()`` is one
    COUNT of the suppliers, a slice one statement that evaluates, orders and cuts in SQL
    (only that page's rows leave the database)."""

    model = Supplier

    def __init__(self, suppliers, today: datetime.date):
        self.suppliers = suppliers
        self.today = today
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.suppliers.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def order_by(self, *keys):
        return self  # one order: the ranking's (its columns are not sortable)

    def __iter__(self):
        return iter(suppliers_evaluated(today=self.today, queryset=self.suppliers, order=BEST_FIRST))

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValueError("A ranking is read in order.")
            start, stop, _ = index.indices(self.count())
            if stop <= start:
                return []
            return suppliers_evaluated(today=self.today, queryset=self.suppliers, order=BEST_FIRST,
                                       limit=stop - start, offset=start)
        rows = self[index:index + 1] if index >= 0 else list(self)[index:][:1]
        if not rows:
            raise IndexError(index)
        return rows[0]


def supplier_ranking(*, user, today: datetime.date) -> SupplierRanking:
    """The ranking for purchasing: active suppliers the user may see, best score first
    (unrated last), critical ones first among equals."""
    visible = Supplier.objects.restrict(user, "view").filter(archived_at__isnull=True)
    return SupplierRanking(visible, today)


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
    evaluated = next(iter(suppliers_evaluated(today=today, queryset=Supplier.objects.filter(pk=supplier.pk))), None)
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
