"""Figures of the compliance dashboard, the compliance report and the management review
(ISO 14001 9.1.2 / 9.3, ISO 45001 9.1.2 / 9.3): compliance rates per site, domain and theme,
evaluations overdue, gaps and their actions, requirements never evaluated, legal changes since
a date. Aggregates run in SQL over the current evaluations; every read is scoped with
``restrict()``."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
)

from compliance.choices import ApplicabilityStatus, ComplianceStatus, Domain
from compliance.models import Applicability, Evaluation, Text, TextVersion
from improvement.selectors import actions_by_record

GAPS = (ComplianceStatus.NON_COMPLIANT, ComplianceStatus.PARTIAL)
STATUS_COUNTS = {status: Count("pk", filter=Q(status=status)) for status in ComplianceStatus.values}


@dataclass(frozen=True)
class Rate:
    """The verdicts of one group; the rate is the compliant share of the evaluated ones (to
    be verified and not evaluated are not verdicts)."""

    label: str
    compliant: int = 0
    partial: int = 0
    non_compliant: int = 0
    to_verify: int = 0
    not_evaluated: int = 0

    @property
    def evaluated(self) -> int:
        return self.compliant + self.partial + self.non_compliant

    @property
    def rate(self) -> int | None:
        return round(100 * self.compliant / self.evaluated) if self.evaluated else None


def current_evaluations(*, user, site=None):
    rows = Evaluation.objects.restrict(user, "view").filter(is_current=True, archived_at__isnull=True)
    return rows.filter(site=site) if site is not None else rows


def _rate(label, row: dict) -> Rate:
    return Rate(str(label), **{status: row.get(status) or 0 for status in ComplianceStatus.values})


def rates_by_site(*, user) -> list[Rate]:
    """One GROUP BY query."""
    rows = current_evaluations(user=user).values("site__name").annotate(**STATUS_COUNTS).order_by("site__name")
    return [_rate(row["site__name"], row) for row in rows]


def rates_by_domain(*, user, site=None) -> list[Rate]:
    """One query: a conditional count per domain and status (a requirement may have several)."""
    counts = {f"{domain}__{status}": Count("pk", filter=Q(status=status, requirement__domains__contains=[domain]))
              for domain in Domain.values for status in ComplianceStatus.values}
    row = current_evaluations(user=user, site=site).aggregate(**counts)
    return [
        _rate(label, {status: row[f"{domain}__{status}"] for status in ComplianceStatus.values})
        for domain, label in Domain.choices
    ]


def rates_by_theme(*, user, site=None) -> list[Rate]:
    """One query: the requirement's themes unnested in SQL, then grouped."""
    theme = Func(F("requirement__themes"), function="unnest", output_field=CharField())
    rows = (current_evaluations(user=user, site=site).annotate(theme=theme).values("theme")
            .annotate(**STATUS_COUNTS).order_by("theme"))
    return [_rate(row["theme"], row) for row in rows]


def overall(*, user, site=None) -> Rate:
    return _rate("", current_evaluations(user=user, site=site).aggregate(**STATUS_COUNTS))


def evaluation_figures(*, user, today: datetime.date) -> dict:
    """The dashboard's figures over the current evaluations, from one GROUP BY query: the
    rates per site, per domain and overall, and the counts of overdue evaluations and of
    evaluations to re-evaluate. The query groups by site, verdict, the requirement's domains
    and the two flags (a few hundred rows at most); the figures add those rows up. Each figure
    used to read every current evaluation again, and a conditional count per domain and
    verdict tested every row's domains fifteen times."""
    overdue_flag = ExpressionWrapper(Q(next_due_on__lt=today), output_field=BooleanField())
    rows = list(
        current_evaluations(user=user).annotate(overdue=overdue_flag)
        .values("site__name", "status", "requirement__domains", "needs_reevaluation", "overdue")
        .annotate(n=Count("*")).order_by()
    )
    by_site: dict = defaultdict(lambda: defaultdict(int))
    by_domain: dict = {domain: defaultdict(int) for domain in Domain.values}
    overall: dict = defaultdict(int)
    for row in rows:
        by_site[row["site__name"]][row["status"]] += row["n"]
        overall[row["status"]] += row["n"]
        for domain in set(row["requirement__domains"] or ()) & set(by_domain):
            by_domain[domain][row["status"]] += row["n"]
    return {
        "overall": _rate("", overall),
        # As ORDER BY site name did: by name, the evaluations without a site last.
        "by_site": [_rate(name, counts) for name, counts in sorted(by_site.items(), key=lambda i: (i[0] is None, i[0] or ""))],
        "by_domain": [_rate(label, by_domain[domain]) for domain, label in Domain.choices],
        "overdue_count": sum(row["n"] for row in rows if row["overdue"]),
        "to_reevaluate": sum(row["n"] for row in rows if row["needs_reevaluation"]),
    }


def overdue(*, user, today: datetime.date, site=None, limit: int = 50):
    """Current evaluations past their next due date, oldest first (bounded)."""
    rows = current_evaluations(user=user, site=site).filter(next_due_on__lt=today)
    return rows.select_related("requirement__text", "site", "evaluator").order_by("next_due_on", "pk")[:limit]


def to_reevaluate(*, user, site=None):
    return current_evaluations(user=user, site=site).filter(needs_reevaluation=True)


def never_evaluated(*, user, site=None):
    """Applicable requirement-site pairs with no current evaluation (one query with NOT EXISTS)."""
    evaluated = Evaluation.objects.filter(requirement=OuterRef("requirement"), site=OuterRef("site"), is_current=True,
                                          archived_at__isnull=True)
    rows = Applicability.objects.restrict(user, "view").filter(
        status=ApplicabilityStatus.APPLICABLE, archived_at__isnull=True, requirement__archived_at__isnull=True,
    ).exclude(Exists(evaluated))
    return rows.filter(site=site) if site is not None else rows


def gaps_with_actions(*, user, site=None, limit: int = 100) -> list[dict]:
    """The current non-compliances (and partial ones) with their actions (two queries)."""
    gaps = list(current_evaluations(user=user, site=site).filter(status__in=GAPS)
                .select_related("requirement__text", "site").order_by("site__name", "requirement__text__reference")[:limit])
    actions = actions_by_record(Evaluation, user=user, ids=[gap.pk for gap in gaps])
    return [{"evaluation": gap, "actions": actions.get(gap.pk, [])} for gap in gaps]


def changes_since(*, user, since: datetime.date) -> dict:
    """Legal changes recorded since a date: new texts of the referential and new versions of
    the texts it held (what the management review reads as "changes in compliance
    obligations")."""
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=datetime.UTC)
    new_texts = Text.objects.restrict(user, "view").filter(created_at__gte=start, archived_at__isnull=True)
    versions = (TextVersion.objects.restrict(user, "view").filter(created_at__gte=start, number__gt=1)
                .select_related("text").order_by("-created_at"))
    return {"new_texts": list(new_texts.order_by("-created_at")[:100]), "versions": list(versions[:100])}


# --- for the management review --------------------------------------------------------------


def compliance_obligations(*, user) -> list[dict]:
    """The texts in force or upcoming with how many of their requirements apply somewhere
    (ISO 14001 6.1.3 / 45001 6.1.3: the organization's compliance obligations), one query."""
    applicable = Q(requirements__applicabilities__status=ApplicabilityStatus.APPLICABLE,
                   requirements__applicabilities__archived_at__isnull=True)
    rows = (Text.objects.restrict(user, "view").filter(archived_at__isnull=True).exclude(status="repealed")
            .annotate(applicable=Count("requirements", filter=applicable, distinct=True))
            .filter(applicable__gt=0).order_by("reference"))
    return [{"text": text, "applicable_requirements": text.applicable} for text in rows]


def evaluation_results(*, user) -> dict:
    """Results of the evaluation of compliance (ISO 14001 9.1.2 / 45001 9.1.2)."""
    return {"overall": overall(user=user), "by_site": rates_by_site(user=user),
            "by_domain": rates_by_domain(user=user), "gaps": gaps_with_actions(user=user)}
