"""PDF context builders for risks (plain data): the published Document unique, the register
of risks and opportunities, the environmental aspects register."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qse.models import Organization
from qse.reports import register_report
from risks import scoring
from risks.aspects import significance_rule
from risks.choices import RiskKind, RiskStatus, Treatment
from risks.library import localized
from risks.models import DuerpVersion, EnvironmentalAspect, Risk, RiskMatrix, WasteRegisterExtract
from risks.selectors import matrix_default, risk_heatmaps, risk_queryset
from risks.selectors_aspects import environmental_aspect_queryset
from risks.selectors_duerp import duerp_prevention_plan, duerp_scales, duerp_snapshot_display
from risks.selectors_duerp import ink as _ink


def duerp_version_context(version: DuerpVersion, user, *, today: datetime.date) -> dict:
    """A published version, read only from its frozen snapshot: the assessment per work
    unit, the scoring scales it was scored on, and the prevention plan."""
    work_units = duerp_snapshot_display(version.snapshot)
    risks = [risk for unit in work_units for risk in unit["risks"]]
    plan = duerp_prevention_plan(work_units)
    return {
        "version_title": str(version),
        "published_on": version.published_on,
        "published_by": _person(version.published_by),
        "work_units": work_units,
        "scales": duerp_scales(version.snapshot),
        "plan": plan,
        "unit_count": len(work_units),
        "risk_count": len(risks),
        "headcount": sum(unit["headcount"] for unit in work_units),
        "levels": _duerp_levels(risks),
    }


def _duerp_levels(risks: list[dict]) -> list[dict]:
    """Risks per level (highest score first), as named in the snapshot."""
    levels: dict[str, dict] = {}
    for risk in sorted(risks, key=lambda item: -item["score"]):
        entry = levels.setdefault(risk["level_name"], {"label": risk["level_name"], "colour": risk["colour"],
                                                       "ink": risk["ink"], "count": 0})
        entry["count"] += 1
    return list(levels.values())


register_report(
    "risks.duerp_version",
    model=DuerpVersion,
    title=gettext_lazy("Document unique (DUERP)"),
    context_builder=duerp_version_context,
    template="risks/pdf/duerp_version.html",
    # Read only from the version's frozen snapshot: the same PDF for every member who may view
    # the version, and it never goes stale.
    shared=True,
    content_version=lambda version: f"snapshot-{version.pk}",
)


# --- the register of risks and opportunities, the environmental aspects register ----------


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _band(matrix: RiskMatrix, score: int | None) -> dict | None:
    if score is None:
        return None
    band = scoring.level(matrix.data, score)
    return {"id": band.id, "label": localized(band.label), "colour": band.colour, "ink": _ink(band.colour),
            "score": score, "is_acceptable": band.is_acceptable}


def _phase(risk: Risk, phase: str) -> dict | None:
    gravity, probability = getattr(risk, f"{phase}_gravity"), getattr(risk, f"{phase}_probability")
    band = _band(risk.matrix, getattr(risk, f"{phase}_score"))
    if band is None:
        return None
    detectability = getattr(risk, f"{phase}_detectability")
    factors = [gravity, probability] + ([detectability] if detectability else [])
    return {**band, "factors": " × ".join(str(value) for value in factors)}


def _risk_row(risk: Risk, action_counts: dict, today: datetime.date) -> dict:
    return {
        "reference": risk.reference, "title": risk.title, "kind": risk.get_kind_display(), "matrix_id": risk.matrix_id,
        "is_opportunity": risk.kind == RiskKind.OPPORTUNITY, "domains": "".join(risk.domains),
        "process": risk.process.code if risk.process else "", "site": str(risk.site) if risk.site else "",
        "cause": risk.cause, "consequence": risk.consequence,
        "inherent": _phase(risk, "inherent"), "residual": _phase(risk, "residual"),
        "treatment": risk.get_treatment_display() if risk.treatment else "",
        "is_accepted": risk.treatment == Treatment.ACCEPT, "justification": risk.treatment_justification,
        "accepted_by": _person(risk.accepted_by), "owner": _person(risk.owner),
        "next_review_on": risk.next_review_on,
        "is_review_overdue": bool(risk.next_review_on and risk.next_review_on < today and risk.status == RiskStatus.OPEN),
        "status": risk.get_status_display(), "is_closed": risk.status == RiskStatus.CLOSED,
        "actions": action_counts.get(risk.pk, {"open": 0, "total": 0}),
    }


def _action_counts(user, risk_ids) -> dict[int, dict]:
    """Open and total actions per risk of origin: one GROUP BY query."""
    from improvement.selectors import action_counts_by_record

    return action_counts_by_record(Risk, user=user, ids=risk_ids)


def _level_summary(rows: list[dict], matrix: RiskMatrix | None) -> list[dict]:
    """Open risks and opportunities per band of the default matrix, inherent and residual
    (only those assessed on that matrix: another matrix may use the same band ids)."""
    if matrix is None:
        return []
    rows = [row for row in rows if row["matrix_id"] == matrix.pk]
    summary = []
    for band in sorted(matrix.data["bands"], key=lambda item: item["min"], reverse=True):
        def count(phase, band=band):
            return sum(1 for row in rows if not row["is_closed"] and row[phase] and row[phase]["id"] == band["id"])
        summary.append({"label": localized(band["label"]), "colour": band["colour"], "ink": _ink(band["colour"]),
                        "inherent": count("inherent"), "residual": count("residual")})
    return summary


def _register_queryset(user):
    return risk_queryset().restrict(user, "view").filter(archived_at__isnull=True)


def _most_pressing(rows: list[dict], limit: int) -> list[dict]:
    """The rows a summary keeps: open ones first, then the highest current score."""
    def current(row):
        phase = row["residual"] or row["inherent"]
        return phase["score"] if phase else 0
    return sorted(rows, key=lambda row: (row["is_closed"], -current(row)))[:limit]


def risk_register_note(organization: Organization, user) -> str | None:
    """Said before a large register's PDF is there: it holds a summary and the first rows."""
    return _summary_note(_register_queryset(user).count(), settings.QSE_REGISTER_PDF_DETAIL_ROWS)


def _summary_note(total: int, limit: int) -> str | None:
    if total <= limit:
        return None
    return _("The register holds {total} risks and opportunities: this PDF gives its overview and the {limit} "
             "most pressing (open ones first, highest score first). The complete register is the XLSX export "
             "of the risk list.").format(total=total, limit=limit)


def risk_register_context(organization: Organization, user, *, today: datetime.date) -> dict:
    """Every live risk and opportunity with its inherent and residual assessment, treatment,
    owner, review date and actions, plus the heatmap counts of the default matrix. Six
    queries whatever the number of risks. Past ``QSE_REGISTER_PDF_DETAIL_ROWS`` rows the
    detail keeps the most pressing ones: a register of thousands of risks would be a PDF of
    hundreds of pages that WeasyPrint cannot lay out (a RecursionError after 95 s at 6,000),
    and that nobody reads; the overview still counts every row."""
    risks = list(_register_queryset(user).order_by("kind", "reference", "pk"))
    action_counts = _action_counts(user, [risk.pk for risk in risks])
    rows = [_risk_row(risk, action_counts, today) for risk in risks]
    matrix = matrix_default(user=user)
    heatmaps = None
    if matrix is not None:
        heatmaps = {"probabilities": scoring.scale_values(matrix.data, "probability"),
                    **risk_heatmaps(user=user, matrix=matrix)}
    open_rows = [row for row in rows if not row["is_closed"]]
    limit = settings.QSE_REGISTER_PDF_DETAIL_ROWS
    detail = rows if len(rows) <= limit else _most_pressing(rows, limit)
    return {
        "risks": [row for row in detail if not row["is_opportunity"]],
        "opportunities": [row for row in detail if row["is_opportunity"]],
        "contents_note": _summary_note(len(rows), limit),
        "matrix_name": str(matrix) if matrix else "",
        "threshold": matrix.acceptability_threshold if matrix else None,
        "heatmaps": heatmaps,
        "levels": _level_summary(rows, matrix),
        "open_count": len(open_rows),
        "overdue_count": sum(row["is_review_overdue"] for row in rows),
        "accepted_count": sum(row["is_accepted"] for row in open_rows),
        "today": today,
    }


def _aspect_row(aspect: EnvironmentalAspect) -> dict:
    return {
        "site": str(aspect.site), "process": aspect.process.code if aspect.process else "",
        "activity": aspect.activity, "aspect": aspect.aspect, "impact": aspect.impact,
        "condition": aspect.get_condition_display(), "severity": aspect.severity, "frequency": aspect.frequency,
        "control": aspect.control, "score": aspect.score, "is_significant": aspect.is_significant,
        "is_compliance_obligation": aspect.is_compliance_obligation,
        "compliance_reference": aspect.compliance_reference, "owner": _person(aspect.owner),
        "last_reviewed_on": aspect.last_reviewed_on,
    }


def aspects_register_context(organization: Organization, user, *, today: datetime.date) -> dict:
    """The environmental aspects register, significant aspects first on each site. Two queries
    whatever the number of aspects."""
    aspects = list(
        environmental_aspect_queryset().restrict(user, "view").filter(archived_at__isnull=True)
        .order_by("site__name", "-is_significant", "-score", "activity", "pk")
    )
    rule = significance_rule()
    return {
        "aspects": [_aspect_row(aspect) for aspect in aspects],
        "total": len(aspects),
        "significant_count": sum(aspect.is_significant for aspect in aspects),
        "threshold": rule["threshold"],
        "always_significant": [localized(entry.get("label")) for entry in rule.get("always_significant", [])],
        "today": today,
    }


register_report(
    "risks.register",
    model=Organization,
    title=gettext_lazy("Register of risks and opportunities"),
    context_builder=risk_register_context,
    template="risks/pdf/risk_register.html",
    contents_note=risk_register_note,
)
register_report(
    "risks.aspects_register",
    model=Organization,
    title=gettext_lazy("Environmental aspects register"),
    context_builder=aspects_register_context,
    template="risks/pdf/aspects_register.html",
)


# --- the waste register, per site and period -------------------------------------------------


def waste_register_context(extract, user, *, today: datetime.date) -> dict:
    """The extract's removals in chronological order with the fields of the order of 31 May
    2021, the period's totals and the checks. Three queries whatever the number of removals."""
    from risks import selectors_environment as selectors

    lines = [selectors.waste_register_line(removal)
             for removal in selectors.waste_register_rows(user=user, extract=extract)]
    return {
        "site": extract.site, "start_on": extract.start_on, "end_on": extract.end_on, "purpose": extract.purpose,
        "lines": lines,
        "totals": selectors.waste_totals(user=user, start=extract.start_on, end=extract.end_on, site=extract.site),
        "flagged_count": sum(1 for line in lines if line["flags"]),
        "today": today,
    }


register_report(
    "risks.waste_register",
    model=WasteRegisterExtract,
    title=gettext_lazy("Register of outgoing waste"),
    context_builder=waste_register_context,
    template="risks/pdf/waste_register.html",
)
