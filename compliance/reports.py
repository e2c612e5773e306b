"""PDF of a site's compliance (the evaluation of compliance, ISO 14001 / 45001 9.1.2): rates
per domain and theme, the gaps with their actions, evaluations overdue or to re-evaluate, what
was never evaluated. One report per site: a group's 150 sites are 150 short PDFs, never one
that runs to hundreds of pages."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy

from compliance import selectors_dashboard as figures
from qse.models import Site
from qse.reports import register_report

ROWS_SHOWN = 200


def site_compliance_context(site: Site, user, *, today: datetime.date) -> dict:
    never = figures.never_evaluated(user=user, site=site).select_related("requirement__text").order_by(
        "requirement__text__reference", "pk")
    return {
        "site": site, "today": today,
        "overall": figures.overall(user=user, site=site),
        "by_domain": figures.rates_by_domain(user=user, site=site),
        "by_theme": figures.rates_by_theme(user=user, site=site),
        "gaps": figures.gaps_with_actions(user=user, site=site, limit=ROWS_SHOWN),
        "overdue": list(figures.overdue(user=user, today=today, site=site, limit=ROWS_SHOWN)),
        "to_reevaluate": list(figures.to_reevaluate(user=user, site=site).select_related("requirement__text")[:ROWS_SHOWN]),
        "never_evaluated": list(never[:ROWS_SHOWN]), "never_evaluated_count": never.count(),
    }


register_report(
    "compliance.site_compliance", model=Site, title=gettext_lazy("Compliance evaluation"),
    context_builder=site_compliance_context, template="compliance/pdf/site_compliance.html",
)
