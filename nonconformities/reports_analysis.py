"""PDF context builders of the analysis reports (plain data, read through the selectors):
the 8D report in the format aerospace and automotive customers ask for, and the one-page A3."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from improvement.choices import EffectivenessResult
from improvement.selectors import actions_of
from nonconformities import selectors_analysis as selectors
from nonconformities.models import A3Report, EightD
from nonconformities.selectors import immediate_actions_of
from qse.reports import register_report

EIGHTD_KIND = "nonconformities.eightd"
A3_KIND = "nonconformities.a3"


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _effectiveness(action) -> str:
    if action.effectiveness_result:
        checked = action.effectiveness_checked_on.strftime("%d/%m/%Y") if action.effectiveness_checked_on else ""
        return f"{action.get_effectiveness_result_display()} {checked}".strip()
    return _("To be checked") if action.status == "done" else ""


def _action_row(action, today: datetime.date, *, cause=None, purpose: str = "") -> dict:
    return {
        "title": action.title, "deliverable": action.deliverable, "owner": _person(action.owner),
        "due_on": action.due_on, "done_on": action.done_on, "status": action.status,
        "status_label": action.get_status_display(), "is_late": action.is_late_on(today),
        "effectiveness": _effectiveness(action), "criterion": action.effectiveness_criterion,
        "is_effective": action.effectiveness_result == EffectivenessResult.EFFECTIVE,
        "cause": cause, "purpose": purpose,
    }


def _why_chains(tree: list[dict]) -> list[list[dict]]:
    """Each branch of the 5 whys from the first why to its last answer (for print)."""
    chains = []

    def walk(node, path):
        path = [*path, {"question": node["step"].question, "answer": node["step"].answer,
                        "is_root": node["step"].is_root_cause}]
        if not node["children"]:
            chains.append(path)
        for child in node["children"]:
            walk(child, path)

    for node in tree:
        walk(node, [])
    return chains


def _analysis(user, event, today: datetime.date) -> dict:
    """Root causes (with their actions), the fishbone and the 5 whys of an event: five queries."""
    groups = selectors.ishikawa_by_category(selectors.ishikawa_causes(user=user, event=event))
    causes = selectors.root_causes(user=user, event=event)
    rows, actions = [], []
    for number, cause in enumerate(causes, start=1):
        rows.append({
            "number": number, "category": cause.get_category_display(), "description": cause.description,
            "is_escape_point": cause.is_escape_point, "is_validated": cause.is_validated,
            "validated_on": cause.validated_on, "validated_by": _person(cause.validated_by),
            "evidence": cause.validation_evidence,
            "origin": _("5 whys") if cause.why_step_id else (_("Ishikawa") if cause.ishikawa_cause_id else ""),
        })
        actions += [_action_row(link.action, today, cause=number, purpose=link.get_purpose_display())
                    for link in cause.links]
    return {
        "root_causes": rows,
        "actions": actions,
        "fishbone_svg": selectors.fishbone_svg(effect=event.title, groups=groups),
        "has_causes": any(group["causes"] for group in groups),
        "why_chains": _why_chains(selectors.why_tree(selectors.why_steps(user=user, event=event))),
    }


def _event_header(event) -> dict:
    return {
        "reference": event.reference, "title": event.title, "description": event.description,
        "type": event.get_event_type_display(), "customer": event.third_party,
        "customer_reference": event.third_party_reference, "product": event.product,
        "quantity": event.quantity_affected, "severity": event.get_severity_display(),
        "requirement": event.requirement, "detected_on": event.detected_on,
        "occurred_at": event.occurred_at, "closed_on": event.closed_on, "status": event.get_status_display(),
        "site": str(event.site) if event.site_id else "", "owner": _person(event.owner),
    }


def eightd_context(eightd: EightD, user, *, today: datetime.date) -> dict:
    """The 8D report: header block, D0 to D8, root causes with the fishbone, the actions
    with owners, dates, status and effectiveness, and the sign-off. A constant number of queries."""
    eightd = (
        EightD.objects.restrict(user, "view").select_related("event", "event__site", "event__owner", "champion",
                                                            "leader").prefetch_related("team").get(pk=eightd.pk)
    )
    event = eightd.event
    return {
        "event": _event_header(event),
        "eightd": eightd,
        "champion": _person(eightd.champion),
        "leader": _person(eightd.leader),
        "team": [{"name": _person(u), "role": _("Member")} for u in eightd.team.all() if u.pk != eightd.leader_id],
        "steps": selectors.eightd_steps(eightd),
        "opened_on": event.detected_on,
        "closed_on": eightd.d8_done_on,
        "containment": [
            {"description": a.description, "by": _person(a.done_by) or a.done_by_name, "at": a.done_at,
             "quantity": a.quantity_contained}
            for a in immediate_actions_of(user=user, event=event)
        ],
        **_analysis(user, event, today),
        "today": today,
    }


def a3_context(a3: A3Report, user, *, today: datetime.date) -> dict:
    """The A3 on one landscape page: the story, the analysis (fishbone and 5 whys) and the
    plan (every action of the event). A constant number of queries."""
    a3 = A3Report.objects.restrict(user, "view").select_related("event", "event__site", "event__owner",
                                                                "owner").get(pk=a3.pk)
    event = a3.event
    plan = [_action_row(action, today) for action in actions_of(event, user=user).order_by("due_on", "pk")]
    return {
        "event": _event_header(event),
        "a3": a3,
        "owner": _person(a3.owner),
        **_analysis(user, event, today),
        "plan_rows": plan,
        "today": today,
    }


register_report(
    EIGHTD_KIND, model=EightD, title=gettext_lazy("8D report"), context_builder=eightd_context,
    template="nonconformities/pdf/eightd.html",
)
register_report(
    A3_KIND, model=A3Report, title=gettext_lazy("A3 report"), context_builder=a3_context,
    template="nonconformities/pdf/a3.html",
)
