"""The review sections the risks register provides: the effectiveness of the actions taken on
risks and opportunities, the significant environmental aspects and the environmental
performance (waste and consumption)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from improvement.choices import ActionOriginKind, ActionStatus, EffectivenessResult
from improvement.models import Action
from qse.review import ReviewScope, ReviewSection, in_scope, register_section, visible
from risks.choices import RiskKind, RiskStatus
from risks.models import EnvironmentalAspect, Meter, Risk
from risks.selectors_environment import (
    meter_monthly_consumption,
    months,
    waste_monthly_figures,
    waste_totals,
)

LIST_LIMIT = 40


def risks_opportunities(scope: ReviewScope) -> dict:
    """Open risks and opportunities by kind, how many the treatment brought down (residual
    below inherent), the actions on them (done, checked effective) and the highest ones. Three
    queries."""
    risks = in_scope(visible(Risk, scope), scope).filter(status=RiskStatus.OPEN)
    counts = risks.aggregate(
        risks=Count("pk", filter=Q(kind=RiskKind.RISK)), opportunities=Count("pk", filter=Q(kind=RiskKind.OPPORTUNITY)),
        reduced=Count("pk", filter=Q(residual_score__lt=F("inherent_score"))),
    )
    actions = in_scope(visible(Action, scope), scope).filter(origin_kind=ActionOriginKind.RISK).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        effective=Count("pk", filter=Q(effectiveness_result=EffectivenessResult.EFFECTIVE)),
        not_effective=Count("pk", filter=Q(effectiveness_result=EffectivenessResult.NOT_EFFECTIVE)),
    )
    top = risks.order_by("-inherent_score", "reference")[:LIST_LIMIT]
    return {
        "summary": _("{risks} open risks and {opportunities} opportunities, {reduced} brought down by their treatment; "
                     "{done} of {total} actions done, {effective} checked effective, {not_effective} not "
                     "effective.").format(**counts, **actions),
        "columns": [_("Reference"), _("Title"), _("Kind"), _("Inherent score"), _("Residual score"), _("Treatment")],
        "rows": [[r.reference, r.title, r.get_kind_display(), r.inherent_score, r.residual_score or "",
                  r.get_treatment_display()] for r in top],
    }


def significant_aspects(scope: ReviewScope) -> dict:
    """The significant environmental aspects, highest score first (two queries)."""
    aspects = in_scope(visible(EnvironmentalAspect, scope), scope).filter(is_significant=True)
    listed = aspects.select_related("site").order_by("-score", "pk")[:LIST_LIMIT]
    return {
        "summary": _("{count} significant environmental aspects, {obligations} linked to a compliance "
                     "obligation.").format(**aspects.aggregate(count=Count("pk"),
                                                               obligations=Count("pk", filter=Q(is_compliance_obligation=True)))),
        "columns": [_("Site"), _("Activity"), _("Aspect"), _("Impact"), _("Score")],
        "rows": [[a.site.name if a.site else "", a.activity, a.aspect, a.impact, a.score] for a in listed],
    }


def _tonnes(value) -> str:
    return f"{(value or Decimal(0)).quantize(Decimal('0.1'))}"


def environmental_performance(scope: ReviewScope) -> dict:
    """Waste of the period (tonnes, hazardous share, recovery rate) and each meter's monthly
    consumption, with their trend (four queries)."""
    if scope.user is None:
        return {"summary": ""}
    totals = waste_totals(user=scope.user, start=scope.start, end=scope.end)
    monthly = waste_monthly_figures(user=scope.user, start=scope.start, end=scope.end)
    labels = months(scope.start, scope.end)
    per_month = {m: Decimal(0) for m in labels}
    for row in monthly:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        if month in per_month:
            per_month[month] += row["tonnes"] or 0
    meters = list(visible(Meter, scope).order_by("name")[:10])
    consumption = meter_monthly_consumption(user=scope.user, start=scope.start, end=scope.end, meters=meters)
    rows = [[m.name, m.get_unit_display(), _tonnes(sum((v for (mid, _month), v in consumption.items() if mid == m.pk),
                                                      Decimal(0)))] for m in meters]
    return {
        "summary": _("{tonnes} t of waste removed, {hazardous} % hazardous, {recovery} % recovered.").format(
            tonnes=_tonnes(totals["tonnes"]), hazardous=totals["hazardous_share"] or 0,
            recovery=totals["recovery_rate"] or 0),
        "chart": {"kind": "bar", "labels": [m.strftime("%m/%y") for m in labels],
                  "series": [{"name": str(_("Waste (t)")), "values": [float(per_month[m]) for m in labels]}]},
        "columns": [_("Meter"), _("Unit"), _("Consumption over the period")],
        "rows": rows,
    }


def register() -> None:
    for key, title, selector, order, process in (
        ("risks.risks_opportunities", gettext_lazy("Effectiveness of actions on risks and opportunities"),
         risks_opportunities, 50, True),
        ("risks.significant_aspects", gettext_lazy("Significant environmental aspects"), significant_aspects, 52, True),
        ("risks.environmental_performance", gettext_lazy("Environmental performance"), environmental_performance,
         54, False),
    ):
        register_section(ReviewSection(key=key, title=title, selector=selector, order=order, process_review=process))
