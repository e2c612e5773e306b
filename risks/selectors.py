"""Reads for the register's pages, the heatmap, dashboards and (later) management reviews."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
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


PHASES = ("inherent", "residual")


def risk_heatmaps(*, user, matrix: RiskMatrix, risks=None) -> dict[str, list[list[HeatmapCell]]]:
    """Open risks counted per (gravity, probability) cell of a matrix, ``{"inherent": grid,
    "residual": grid}``: one GROUP BY query on the four coordinates (at most one row per pair
    of cells), each phase's grid added up from it; a phase not assessed is left out of its grid.

    Rows go from the highest gravity down; ``risks`` narrows the set (the page's filters).
    """
    base = (risks if risks is not None else Risk.objects.all()).restrict(user, "view")
    coordinates = [f"{phase}_{axis}" for phase in PHASES for axis in ("gravity", "probability")]
    rows = (
        base.filter(matrix=matrix, status=RiskStatus.OPEN, archived_at__isnull=True)
        .values(*coordinates).annotate(n=Count("pk")).order_by()
    )
    counts: dict[str, dict] = {phase: defaultdict(int) for phase in PHASES}
    for row in rows:
        for phase in PHASES:
            if row[f"{phase}_gravity"] is not None:
                counts[phase][(row[f"{phase}_gravity"], row[f"{phase}_probability"])] += row["n"]
    data = matrix.data
    return {
        phase: [
            [_cell(data, gravity, probability, counts[phase].get((gravity, probability), 0))
             for probability in scoring.scale_values(data, "probability")]
            for gravity in reversed(scoring.scale_values(data, "gravity"))
        ]
        for phase in PHASES
    }


def risk_heatmap(*, user, matrix: RiskMatrix, residual: bool = False, risks=None) -> list[list[HeatmapCell]]:
    """One phase's grid of ``risk_heatmaps`` (one query)."""
    return risk_heatmaps(user=user, matrix=matrix, risks=risks)["residual" if residual else "inherent"]


def _cell(data: dict, gravity: int, probability: int, count: int) -> HeatmapCell:
    band = scoring.level(data, scoring.cell_score(data, gravity, probability))
    return HeatmapCell(gravity, probability, count, band.colour, localized(band.label))


def risk_top(*, user, limit: int = 10, risks=None):
    """The open risks with the highest current score (residual when assessed), for dashboards.

    The top rows are chosen on the risk table alone, then only they are joined to what the
    page shows (``risk_queryset``): sorting every open risk with its joins (the matrix's JSON on each of 6,000
    rows) spilled to disk and was most of the heatmap's time."""
    base = (risks if risks is not None else risk_queryset()).restrict(user, "view")
    current_score = Coalesce("residual_score", "inherent_score")
    top = (
        base.filter(kind=RiskKind.RISK, status=RiskStatus.OPEN, archived_at__isnull=True)
        .annotate(current_score=current_score)
        .order_by("-current_score", "reference")
        .values_list("pk", flat=True)[:limit]
    )
    # Only the chosen rows, by their ids: as a subquery, the planner still joined the matrix
    # to every risk before keeping ten.
    return (
        risk_queryset().filter(pk__in=list(top)).annotate(current_score=current_score)
        .order_by("-current_score", "reference")
    )
