"""The review sections the audits app provides (qse.review): the audit results by standard and
process and the programme's completion (their selectors live in ``selectors_review``), and the
"external providers' performance" (ISO 9001 8.4, 9.3.2 c) 7): suppliers ranked by their
evaluation, with their NCs and delivery figures, and the certifications expiring. Registered
from AuditsConfig.ready() through ``register()``, as every app's ``review.py``."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.choices_banks import SupplierRating
from audits.models import Supplier, SupplierCertification
from audits.selectors_review import audit_results, programme_completion
from audits.selectors_suppliers import (
    CRITICAL_AND_WEAKEST_FIRST,
    expiring_certifications,
    suppliers_evaluated,
)
from qse.review import ReviewScope, ReviewSection, register_section

# A review pack shows the head of the ranking; the register holds the rest.
MAX_ROWS = 30


def _number(value, digits: int = 0):
    return None if value is None else round(value, digits)


def supplier_review(scope: ReviewScope) -> dict:
    """Ranked suppliers at the end of the review's period (two queries whatever their number)."""
    # The critical and weakest first: what the review must decide on.
    suppliers = suppliers_evaluated(today=scope.end, order=CRITICAL_AND_WEAKEST_FIRST, limit=MAX_ROWS,
                                    queryset=Supplier.objects.in_current_organization().filter(archived_at__isnull=True))
    ranked = [{name: getattr(supplier, name) for name in (
        "name", "critical", "status", "rating", "score", "audit_score", "on_time_rate", "ppm", "nc_count")}
        for supplier in suppliers]
    expiring = list(expiring_certifications(today=scope.end, queryset=SupplierCertification.objects.in_current_organization())
                    .values("supplier__name", "standard", "expires_on")[:MAX_ROWS])
    rated = [row for row in ranked if row["rating"]]
    summary = _("{count} suppliers evaluated: {a} in class A, {b} in class B, {c} in class C; {ncs} supplier NCs over "
                "twelve months; {expiring} certifications expired or expiring.").format(
        count=len(rated), a=sum(r["rating"] == SupplierRating.A for r in rated),
        b=sum(r["rating"] == SupplierRating.B for r in rated), c=sum(r["rating"] == SupplierRating.C for r in rated),
        ncs=sum(r["nc_count"] for r in ranked), expiring=len(expiring))
    return {
        "summary": summary,
        "columns": [_("supplier"), _("critical"), _("class"), _("score"), _("audit score"), _("on time (%)"), _("ppm"),
                    _("NCs (12 months)")],
        "rows": [[row["name"], _("yes") if row["critical"] else "", row["rating"] or "—", _number(row["score"]),
                  _number(row["audit_score"]), _number(row["on_time_rate"], 1), _number(row["ppm"]), row["nc_count"]]
                 for row in ranked],
        "certifications": [[row["supplier__name"], row["standard"], date_format(row["expires_on"], "SHORT_DATE_FORMAT")]
                           for row in expiring],
    }


def register() -> None:
    for key, title, selector, order, process in (
        ("audits.results", gettext_lazy("Audit results"), audit_results, 60, True),
        ("audits.programme", gettext_lazy("Audit programme completion"), programme_completion, 61, True),
        ("audits.suppliers", gettext_lazy("External providers' performance"), supplier_review, 60, False),
    ):
        register_section(ReviewSection(key=key, title=title, selector=selector, order=order, process_review=process))
