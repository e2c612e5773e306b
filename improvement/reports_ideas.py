"""The improvement project's closing report (PDF): plain data read through the selectors."""

from __future__ import annotations

import datetime

from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from improvement import selectors_ideas
from improvement.models import ImprovementProject
from improvement.reports import _action_row, _labels, _person
from qse.reports import bar_chart, register_report

PROJECT_FIELDS = ("title", "objective", "method", "leader", "team", "site", "process", "status", "start_on",
                  "due_on", "closed_on", "indicator", "baseline", "target", "result", "resistances", "blockers",
                  "levers", "conclusion")


def _number(value, unit: str) -> str:
    return "" if value is None else f"{number_format(value.normalize())} {unit}".strip()


def _gain(project: ImprovementProject) -> dict | None:
    gain = project.gain
    if gain is None:
        return None
    sign = "+" if gain.change > 0 else ""
    return {"change": f"{sign}{number_format(gain.change.normalize())} {project.unit}".strip(),
            "percent": f"{sign}{number_format(gain.percent)} %" if gain.percent is not None else "",
            "improved": gain.improved,
            "reached": f"{number_format(gain.target_reached_percent)} %" if gain.target_reached_percent is not None
            else ""}


def _chart(project: ImprovementProject) -> dict | None:
    """Before, target and after as horizontal bars (vector SVG in the PDF)."""
    items = [(str(label), value, color) for label, value, color in (
        (_("Before"), project.baseline, "#7a8794"), (_("Target"), project.target, "#1d5ea8"),
        (_("After"), project.result, "#17703a")) if value is not None and value >= 0]
    return bar_chart([(label, float(value), color) for label, value, color in items]) if len(items) > 1 else None


def project_closing_context(project: ImprovementProject, user, *, today: datetime.date) -> dict:
    """The closing report: the project, its phases and deliverables, the gain before / after, what
    resisted, blocked and helped, and its actions (three queries whatever their number)."""
    project = selectors_ideas.project_queryset().restrict(user, "view").get(pk=project.pk)
    phases = list(selectors_ideas.phase_queryset().filter(project=project, archived_at__isnull=True))
    members = [_person(member) for member in project.members.all()]
    actions = list(selectors_ideas.actions_from(project, user))
    return {
        "project": {
            "title": project.title, "objective": project.objective, "method": project.get_method_display(),
            "leader": _person(project.leader), "team": project.team.name if project.team else "",
            "members": ", ".join(members), "site": str(project.site) if project.site else "",
            "process": f"{project.process.code} · {project.process.name}" if project.process else "",
            "status": project.get_status_display(), "start_on": project.start_on, "due_on": project.due_on,
            "closed_on": project.closed_on, "indicator": str(project.indicator) if project.indicator else "",
            "baseline": _number(project.baseline, project.unit), "target": _number(project.target, project.unit),
            "result": _number(project.result, project.unit), "resistances": project.resistances,
            "blockers": project.blockers, "levers": project.levers, "conclusion": project.conclusion,
        },
        "labels": {**_labels(ImprovementProject, PROJECT_FIELDS), "members": capfirst(_("members"))},
        "gain": _gain(project),
        "chart": _chart(project),
        "phases": [{"name": phase.label, "deliverables": phase.deliverables_text, "status": phase.get_status_display(),
                    "start_on": phase.start_on, "due_on": phase.due_on, "done_on": phase.done_on} for phase in phases],
        "actions": [_action_row(action, today) for action in actions],
        "today": today,
    }


register_report(
    "improvement.project_closing",
    model=ImprovementProject,
    title=gettext_lazy("Improvement project closing report"),
    context_builder=project_closing_context,
    template="improvement/pdf/project_closing.html",
)
