"""The review sections the regulatory watch provides: the compliance obligations (and their
changes during the period) and the results of the evaluation of compliance."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.selectors_dashboard import changes_since, compliance_obligations, evaluation_results
from qse.review import ReviewScope, ReviewSection, register_section

LIST_LIMIT = 40


def obligations(scope: ReviewScope) -> dict:
    """The texts in force with applicable requirements, and the new texts and versions
    recorded during the period (three queries)."""
    if scope.user is None:
        return {"summary": ""}
    texts = compliance_obligations(user=scope.user)
    changes = changes_since(user=scope.user, since=scope.start)
    new_texts = [t for t in changes["new_texts"] if t.created_at.date() <= scope.end]
    versions = [v for v in changes["versions"] if v.created_at.date() <= scope.end]
    return {
        "summary": _("{count} texts apply ({requirements} applicable requirements); {new} new texts and {versions} "
                     "new versions during the period.").format(
            count=len(texts), requirements=sum(row["applicable_requirements"] for row in texts),
            new=len(new_texts), versions=len(versions)),
        "columns": [_("Reference"), _("Title"), _("Applicable requirements")],
        "rows": [[row["text"].reference, row["text"].title, row["applicable_requirements"]]
                 for row in texts[:LIST_LIMIT]],
        "changes": [[t.reference, date_format(t.created_at.date(), "SHORT_DATE_FORMAT")] for t in new_texts[:20]],
    }


def evaluation(scope: ReviewScope) -> dict:
    """The current evaluation of compliance: the overall rate, per site and per domain, and the
    gaps with their actions."""
    if scope.user is None:
        return {"summary": ""}
    results = evaluation_results(user=scope.user)
    overall = results["overall"]
    by_site = results["by_site"]
    return {
        "summary": _("{rate} % compliant over {evaluated} evaluated requirements; {gaps} gaps "
                     "(non-compliant or partial).").format(
            rate=overall.rate if overall.rate is not None else "—", evaluated=overall.evaluated,
            gaps=overall.non_compliant + overall.partial),
        "chart": {"kind": "bar", "labels": [rate.label for rate in by_site],
                  "series": [{"name": str(_("Compliant (%)")), "values": [rate.rate for rate in by_site]}]},
        "columns": [_("Site"), _("Requirement"), _("Status"), _("Actions")],
        "rows": [[gap["evaluation"].site.name if gap["evaluation"].site else "", str(gap["evaluation"].requirement),
                  gap["evaluation"].get_status_display(), len(gap["actions"])] for gap in results["gaps"][:LIST_LIMIT]],
    }


def register() -> None:
    register_section(ReviewSection(key="compliance.obligations", title=gettext_lazy("Compliance obligations"),
                                   selector=obligations, order=60))
    register_section(ReviewSection(key="compliance.evaluation", title=gettext_lazy("Evaluation of compliance"),
                                   selector=evaluation, order=62))
