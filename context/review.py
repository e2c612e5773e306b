"""The review sections the context provides: changes in issues (SWOT / PESTEL included),
interested parties' needs and expectations, the climate decision and the policy."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from context import selectors
from context.choices import IssueEffect, IssueOrigin, PolicyKind, SwotQuadrant
from context.models import ClimateDecision, ContextIssue, InterestedParty, SwotItem
from qse.review import ReviewScope, ReviewSection, register_section, visible

CHANGES_LIMIT = 40
CHANGE_LABELS = {"created": gettext_lazy("created"), "changed": gettext_lazy("changed"),
                 "archived": gettext_lazy("archived")}


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def issues(scope: ReviewScope) -> dict:
    """Issues by origin and effect, SWOT items by quadrant (aggregated in SQL), and the
    context's records created, changed or archived during the period (from their history)."""
    counts = visible(ContextIssue, scope).aggregate(**{
        f"{origin}_{effect}": Count("pk", filter=Q(origin=origin, effect=effect))
        for origin in IssueOrigin.values for effect in IssueEffect.values
    })
    swot = dict(visible(SwotItem, scope).values_list("quadrant").annotate(n=Count("pk")).order_by())
    changes = [c for c in selectors.context_changes_since(user=scope.user, since=scope.start)
               if c.changed_at.date() <= scope.end] if scope.user is not None else []
    return {
        "summary": _("{internal} internal and {external} external issues ({positive} positive, {negative} "
                     "negative); {changes} changes in the context during the period.").format(
            internal=counts["internal_positive"] + counts["internal_negative"],
            external=counts["external_positive"] + counts["external_negative"],
            positive=counts["internal_positive"] + counts["external_positive"],
            negative=counts["internal_negative"] + counts["external_negative"], changes=len(changes)),
        "chart": {"kind": "bar", "labels": [str(label) for _value, label in SwotQuadrant.choices],
                  "series": [{"name": str(_("SWOT items")), "values": [swot.get(v, 0) for v in SwotQuadrant.values]}]},
        "columns": [_("Record"), _("Kind"), _("Change"), _("Date")],
        "rows": [[c.label, c.model_label, str(CHANGE_LABELS[c.change]), _date(c.changed_at.date())]
                 for c in changes[:CHANGES_LIMIT]],
    }


def interested_parties(scope: ReviewScope) -> dict:
    """Each party with its influence, interest and how many needs and expectations it has
    (compliance obligations among them), one query."""
    parties = (visible(InterestedParty, scope)
               .annotate(needs=Count("expectations", filter=Q(expectations__archived_at__isnull=True)),
                         obligations=Count("expectations", filter=Q(expectations__archived_at__isnull=True,
                                                                    expectations__is_compliance_obligation=True)))
               .order_by("-influence", "-interest", "name"))
    rows = [[p.name, p.get_category_display(), p.influence, p.interest, p.needs, p.obligations,
             _date(p.last_reviewed_on)] for p in parties[:60]]
    return {
        "summary": _("{count} interested parties with {needs} needs and expectations, {obligations} of them "
                     "compliance obligations.").format(count=len(rows), needs=sum(r[4] for r in rows),
                                                       obligations=sum(r[5] for r in rows)),
        "columns": [_("Party"), _("Category"), _("Influence"), _("Interest"), _("Needs and expectations"),
                    _("Compliance obligations"), _("Last reviewed on")],
        "rows": rows,
    }


def climate(scope: ReviewScope) -> dict:
    """The climate-change decision in force at the period's end (ISO amendment of 2024)."""
    decision = (visible(ClimateDecision, scope).filter(decided_on__lte=scope.end)
                .order_by("-decided_on", "-pk").first())
    if decision is None:
        return {"summary": _("No decision recorded on whether climate change is a relevant issue.")}
    verdict = _("relevant") if decision.is_relevant else _("not relevant")
    return {
        "summary": _("Climate change judged {verdict} on {date}; next review on {next}.").format(
            verdict=verdict, date=_date(decision.decided_on), next=_date(decision.next_review_on)),
        "note": decision.justification,
    }


def policy(scope: ReviewScope) -> dict:
    """The approved statements in force (mission, vision, QSE policy, scope) and their version."""
    if scope.user is None:
        return {"summary": ""}
    current = selectors.current_policies(user=scope.user)
    rows = [[str(label), current[kind].version_number, _date(current[kind].approved_on)]
            for kind, label in PolicyKind.choices if kind in current]
    statement = current.get(PolicyKind.POLICY)
    return {
        "summary": _("QSE policy version {version} approved on {date}.").format(
            version=statement.version_number, date=_date(statement.approved_on)) if statement
        else _("No approved QSE policy."),
        "columns": [_("Statement"), _("Version"), _("Approved on")],
        "rows": rows,
        "note": statement.text if statement else "",
    }


def register() -> None:
    for key, title, selector, order in (
        ("context.issues", gettext_lazy("Changes in external and internal issues"), issues, 20),
        ("context.climate", gettext_lazy("Climate change decision"), climate, 22),
        ("context.interested_parties", gettext_lazy("Interested parties: needs, expectations and communications"),
         interested_parties, 24),
        ("context.policy", gettext_lazy("QSE policy"), policy, 26),
    ):
        register_section(ReviewSection(key=key, title=title, selector=selector, order=order))
