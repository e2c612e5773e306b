"""Reads for the register's pages, the heatmap, dashboards and (later) management reviews."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from risks import scoring
from risks.choices import RiskKind, RiskStatus
from risks.library import localized
from risks.models import Risk, RiskMatrix


def risk_queryset():
    """Risks with what every list and detail shows, in one query."""
    return Risk.objects.select_related("matrix", "process", "site", "owner", "accepted_by")


def matrix_queryset():
    return RiskMatrix.objects.annotate(risk_count=Count("risks", filter=Q(risks__archived_at__isnull=True)))


def matrix_default(*, user) -> RiskMatrix | None:
    """The organization's default matrix (or its first one)."""
    matrices = RiskMatrix.objects.restrict(user, "view").filter(archived_at__isnull=True)
    return matrices.order_by("-is_default", "name", "pk").first()


@dataclass
class HeatmapCell:
    gravity: int
    probability: int
    count: int
    colour: str
    label: str


def risk_heatmap(*, user, matrix: RiskMatrix, residual: bool = False, risks=None) -> list[list[HeatmapCell]]:
    """Open risks counted per (gravity, probability) cell of a matrix: one GROUP BY query.

    Rows go from the highest gravity down; ``risks`` narrows the set (the page's filters).
    """
    phase = "residual" if residual else "inherent"
    base = (risks if risks is not None else Risk.objects.all()).restrict(user, "view")
    counts = {
        (row["g"], row["p"]): row["n"]
        for row in base.filter(matrix=matrix, status=RiskStatus.OPEN, archived_at__isnull=True)
        .exclude(**{f"{phase}_gravity__isnull": True})
        .values(g=F(f"{phase}_gravity"), p=F(f"{phase}_probability"))
        .annotate(n=Count("pk"))
        .order_by()
    }
    data = matrix.data
    return [
        [_cell(data, gravity, probability, counts.get((gravity, probability), 0))
         for probability in scoring.scale_values(data, "probability")]
        for gravity in reversed(scoring.scale_values(data, "gravity"))
    ]


def _cell(data: dict, gravity: int, probability: int, count: int) -> HeatmapCell:
    band = scoring.level(data, scoring.cell_score(data, gravity, probability))
    return HeatmapCell(gravity, probability, count, band.colour, localized(band.label))


def risk_top(*, user, limit: int = 10, risks=None):
    """The open risks with the highest current score (residual when assessed), for dashboards."""
    base = (risks if risks is not None else risk_queryset()).restrict(user, "view")
    return (
        base.filter(kind=RiskKind.RISK, status=RiskStatus.OPEN, archived_at__isnull=True)
        .annotate(current_score=Coalesce("residual_score", "inherent_score"))
        .order_by("-current_score", "reference")[:limit]
    )
