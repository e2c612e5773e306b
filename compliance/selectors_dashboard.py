"""Figures of the compliance dashboard, the compliance report and the management review
(ISO 14001 9.1.2 / 9.3, ISO 45001 9.1.2 / 9.3): compliance rates per site, domain and theme,
evaluations overdue, gaps and their actions, requirements never evaluated, legal changes since
a date. Aggregates run in SQL over the current evaluations; every read is scoped with
``restrict()``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import CharField, Count, Exists, F, Func, OuterRef, Q

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
    """The dashboard's figures over the current evaluations, in one query grouped by site:
    the rates per site, per domain and overall, and the counts of overdue evaluations and of
    evaluations to re-evaluate (the domains' conditional counts, the overdue and the
    to-re-evaluate ones are filter clauses of the same scan; the overall and per-domain rates
    add the sites up). Each of them used to read every current evaluation again."""
    counts = {
        **STATUS_COUNTS,
        **{f"{domain}__{status}": Count("pk", filter=Q(status=status, requirement__domains__contains=[domain]))
           for domain in Domain.values for status in ComplianceStatus.values},
        "overdue": Count("pk", filter=Q(next_due_on__lt=today)),
        "to_reevaluate": Count("pk", filter=Q(needs_reevaluation=True)),
    }
    rows = list(current_evaluations(user=user).values("site__name").annotate(**counts).order_by("site__name"))

    def total(key: str) -> int:
        return sum(row[key] for row in rows)

    return {
        "overall": _rate("", {status: total(status) for status in ComplianceStatus.values}),
        "by_site": [_rate(row["site__name"], row) for row in rows],
        "by_domain": [
            _rate(label, {status: total(f"{domain}__{status}") for status in ComplianceStatus.values})
            for domain, label in Domain.choices
        ],
        "overdue_count": total("overdue"),
        "to_reevaluate": total("to_reevaluate"),
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
