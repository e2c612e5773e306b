"""PDF context builders for improvement (plain data, read through the selectors)."""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from improvement import selectors
from improvement.choices import ActionStatus, EffectivenessResult
from improvement.models import Action, ActionPlan
from qse.reports import bar_chart, register_report

STATUS_COLORS = {
    ActionStatus.PLANNED: "#7a8794",
    ActionStatus.IN_PROGRESS: "#1d5ea8",
    ActionStatus.DONE: "#17703a",
    ActionStatus.CANCELLED: "#b8c0c8",
}


PLAN_FIELDS = ("title", "owner", "process", "site", "status", "due_on", "description")
ACTION_FIELDS = ("owner", "due_on", "status", "progress", "effectiveness_result")


def _labels(model, names) -> dict[str, str]:
    """Column and field labels from the models' (already translated) verbose names."""
    return {name: capfirst(model._meta.get_field(name).verbose_name) for name in names}


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _effectiveness(action: Action) -> str:
    if action.effectiveness_result:
        return _("{result} on {date}").format(
            result=action.get_effectiveness_result_display(),
            date=date_format(action.effectiveness_checked_on, "SHORT_DATE_FORMAT") if action.effectiveness_checked_on else "",
        ).strip()
    if action.status == ActionStatus.DONE:
        return _("To be checked")
    return ""


def _action_row(action: Action, today: datetime.date) -> dict:
    return {
        "title": action.title,
        "deliverable": action.deliverable,
        "owner": _person(action.owner),
        "due_on": action.due_on,
        "status": action.status,
        "status_label": action.get_status_display(),
        "is_late": action.is_late_on(today),
        "progress": action.progress,
        "effectiveness": _effectiveness(action),
        "is_effective": action.effectiveness_result == EffectivenessResult.EFFECTIVE,
    }


def action_plan_context(plan: ActionPlan, user, *, today: datetime.date) -> dict:
    """The action plan sheet: the plan, its actions, counts by status and their chart.
    Two queries whatever the number of actions."""
    plan = selectors.action_plan_queryset().restrict(user, "view").get(pk=plan.pk)
    actions = list(
        selectors.action_queryset().restrict(user, "view")
        .filter(plan=plan, archived_at__isnull=True).order_by("due_on", "pk")
    )
    counts = Counter(action.status for action in actions)
    by_status = [(label, counts[value], STATUS_COLORS[value]) for value, label in ActionStatus.choices]
    return {
        "plan": {
            "title": plan.title,
            "description": plan.description,
            "owner": _person(plan.owner),
            "process": f"{plan.process.code} · {plan.process.name}" if plan.process else "",
            "site": str(plan.site) if plan.site else "",
            "status": plan.get_status_display(),
            "due_on": plan.due_on,
            "is_archived": plan.is_archived,
        },
        "plan_labels": _labels(ActionPlan, PLAN_FIELDS),
        "actions": [_action_row(action, today) for action in actions],
        "action_labels": {"action": capfirst(Action._meta.verbose_name), **_labels(Action, ACTION_FIELDS)},
        "by_status": [{"label": label, "count": count, "color": color} for label, count, color in by_status],
        "total": len(actions),
        "late_count": sum(action.is_late_on(today) for action in actions),
        "awaiting_check_count": sum(action.awaits_effectiveness_check for action in actions),
        "chart": bar_chart([(str(label), count, color) for label, count, color in by_status]),
        "today": today,
    }


register_report(
    "improvement.action_plan",
    model=ActionPlan,
    title=gettext_lazy("Action plan"),
    context_builder=action_plan_context,
    template="improvement/pdf/action_plan.html",
)
# The management review pack and the improvement project's closing report register their kinds (issue 13).
from improvement import reports_ideas, review_pack  # noqa: E402,F401
