"""The management review's sections this module provides (``qse.review``): opportunities for
improvement and workers' participation (suggestions), and the improvement projects with their
measured gains. Each selector aggregates in SQL (a few grouped queries, none per row)."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qse.review import ReviewScope, ReviewSection, register_section


def _scoped(queryset, scope: ReviewScope, *, site_field: str = "site", process_field: str = "process"):
    """The rows of the review's sites (and organization-wide ones) and, for a process review, its process."""
    rows = queryset.in_current_organization().filter(archived_at__isnull=True)
    if scope.site_ids:
        rows = rows.filter(Q(**{f"{site_field}__in": scope.site_ids}) | Q(**{f"{site_field}__isnull": True}))
    if scope.process_id:
        rows = rows.filter(**{process_field: scope.process_id})
    return rows


def suggestions_section(scope: ReviewScope) -> dict:
    """Suggestions proposed in the period: by state, per team and month, and those accepted."""
    from improvement import selectors_ideas
    from improvement.models import Suggestion

    rows = _scoped(Suggestion.objects.all(), scope)
    counts = selectors_ideas.suggestion_counts(rows, start=scope.start, end=scope.end)
    accepted = selectors_ideas.accepted_in_period(rows.select_related("team"), start=scope.start, end=scope.end)
    proposers = (rows.filter(created_at__date__gte=scope.start, created_at__date__lte=scope.end)
                 .exclude(author=None).values("author").distinct().count())
    return {
        "summary": _("{total} suggestions proposed by {people} people in the period; {accepted} accepted or "
                     "implemented.").format(total=counts["total"], people=proposers, accepted=len(accepted)),
        "by_status": counts["by_status"],
        "columns": [str(_("team")), str(_("Suggestions")), str(_("Accepted or implemented"))],
        "rows": [[row["team__name"] or str(_("(no team)")), row["total"], row["accepted"]] for row in counts["by_team"]],
        "accepted": [{"title": s.title, "team": s.team.name if s.team else "", "status": s.get_status_display(),
                      "decided_on": s.decided_on.isoformat() if s.decided_on else "", "impact": s.impact,
                      "effort": s.effort} for s in accepted],
        "chart": {"kind": "bar", "labels": [row["month"] for row in counts["by_month"]],
                  "series": [{"name": str(_("Suggestions")), "values": [row["total"] for row in counts["by_month"]]}]},
    }


def projects_section(scope: ReviewScope) -> dict:
    """Improvement projects open during the period, and the gains they measured."""
    from improvement.models import ImprovementProject
    from improvement.models.projects import ProjectStatus

    rows = _scoped(ImprovementProject.objects.select_related("indicator", "leader"), scope)
    rows = rows.filter(Q(start_on__isnull=True) | Q(start_on__lte=scope.end)).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=scope.start)).exclude(status=ProjectStatus.CANCELLED)
    projects = list(rows.order_by(F("closed_on").desc(nulls_last=True), "title")[:50])
    measured = [project for project in projects if project.gain is not None]
    return {
        "summary": _("{total} improvement projects in the period, {closed} closed; {measured} with a measured "
                     "gain, {improved} improved their indicator.").format(
            total=len(projects), closed=sum(p.status == ProjectStatus.CLOSED for p in projects),
            measured=len(measured), improved=sum(p.gain.improved for p in measured)),
        "columns": [str(_("project")), str(_("method")), str(_("status")), str(_("baseline (before)")),
                    str(_("measured result (after)")), str(_("Gain"))],
        "rows": [[p.title, p.get_method_display(), p.get_status_display(), _decimal(p.baseline, p.unit),
                  _decimal(p.result, p.unit), _gain_text(p)] for p in projects],
        "chart": {"kind": "bar", "labels": [p.title[:30] for p in measured], "series": [
            {"name": str(_("baseline (before)")), "values": [float(p.baseline) for p in measured]},
            {"name": str(_("measured result (after)")), "values": [float(p.result) for p in measured]},
        ]},
    }


def _decimal(value, unit: str) -> str:
    if value is None:
        return "—"
    return f"{number_format(value.normalize())} {unit}".strip()


def _gain_text(project) -> str:
    gain = project.gain
    if gain is None:
        return "—"
    sign = "+" if gain.change > 0 else ""
    text = f"{sign}{number_format(gain.change.normalize())} {project.unit}".strip()
    if gain.percent is not None:
        text += f" ({sign}{number_format(gain.percent)} %)"
    return text


def register_sections() -> None:
    """Called from ImprovementConfig.ready()."""
    register_section(ReviewSection(
        key="improvement.suggestions", title=gettext_lazy("Opportunities for improvement and workers' participation"),
        selector=suggestions_section, order=80, process_review=True,
    ))
    register_section(ReviewSection(
        key="improvement.projects", title=gettext_lazy("Improvement projects and their measured gains"),
        selector=projects_section, order=85, process_review=True,
    ))
