"""Reads of an event's root-cause analysis for its pages and PDFs: the 5-whys tree, the
Ishikawa diagram, the root causes with their actions, the 8D and the A3. Already scoped
(``restrict()``) and prefetched: the query count does not grow with the number of causes."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.safestring import mark_safe

from nonconformities import fishbone
from nonconformities.choices import CauseCategory, EightDStep
from nonconformities.models import (
    A3Report,
    CorrectiveActionLink,
    EightD,
    Event,
    IshikawaCause,
    RootCause,
    WhyStep,
)
from nonconformities.workflow import is_finished
from qse.permissions import can


def why_steps(*, user, event: Event) -> list[WhyStep]:
    return list(WhyStep.objects.restrict(user, "view").filter(event=event, archived_at__isnull=True))


def why_tree(steps: list[WhyStep]) -> list[dict]:
    """Steps as nested nodes ``{"step", "children", "depth"}``, in position order."""
    by_parent: dict[int | None, list[WhyStep]] = {}
    for step in steps:
        by_parent.setdefault(step.parent_id, []).append(step)

    def nodes(parent_id, depth):
        return [{"step": s, "depth": depth, "number": depth + 1, "children": nodes(s.pk, depth + 1)}
                for s in by_parent.get(parent_id, [])]

    return nodes(None, 0)


def ishikawa_causes(*, user, event: Event) -> list[IshikawaCause]:
    return list(IshikawaCause.objects.restrict(user, "view").filter(event=event, archived_at__isnull=True))


def ishikawa_by_category(causes: list[IshikawaCause]) -> list[dict]:
    """The 6M, each with its causes and their sub-causes."""
    children: dict[int, list[IshikawaCause]] = {}
    for cause in causes:
        if cause.parent_id:
            children.setdefault(cause.parent_id, []).append(cause)
    return [
        {"category": value, "label": label, "causes": [
            {"cause": c, "children": children.get(c.pk, [])}
            for c in causes if c.category == value and not c.parent_id
        ]}
        for value, label in CauseCategory.choices
    ]


def fishbone_svg(*, effect: str, groups: list[dict]) -> str:
    """The fishbone diagram of the event (safe markup: every text is escaped by the geometry)."""
    causes = {
        group["category"]: [
            fishbone.Cause(entry["cause"].text, entry["cause"].is_root_cause,
                           [fishbone.Cause(child.text, child.is_root_cause) for child in entry["children"]])
            for entry in group["causes"]
        ]
        for group in groups
    }
    labels = {group["category"]: str(group["label"]) for group in groups}
    return mark_safe(fishbone.fishbone_svg(effect, causes, labels))  # noqa: S308  (escaped in fishbone.render)


def root_causes(*, user, event: Event) -> list[RootCause]:
    """Root causes with the actions addressing them (owner and status), two queries."""
    links = CorrectiveActionLink.objects.restrict(user, "view").filter(archived_at__isnull=True).select_related(
        "action", "action__owner", "action__effectiveness_checked_by")
    return list(
        RootCause.objects.restrict(user, "view").filter(event=event, archived_at__isnull=True)
        .select_related("validated_by", "why_step", "ishikawa_cause")
        .prefetch_related(Prefetch("action_links", queryset=links, to_attr="links"))
    )


def eightd_of(*, user, event: Event) -> EightD | None:
    return (
        EightD.objects.restrict(user, "view").filter(event=event, archived_at__isnull=True)
        .select_related("champion", "leader").prefetch_related("team").first()
    )


def a3_of(*, user, event: Event) -> A3Report | None:
    return A3Report.objects.restrict(user, "view").filter(event=event, archived_at__isnull=True).select_related(
        "owner").first()


def eightd_steps(eightd: EightD) -> list[dict]:
    """Each step with its label, the date it was done and whether it is the current one."""
    return [
        {"step": value, "code": f"D{value}", "label": label, "done_on": getattr(eightd, f"d{value}_done_on"),
         "is_current": value == eightd.step and not eightd.is_closed}
        for value, label in EightDStep.choices
    ]


def event_analysis(*, user, event) -> dict:
    """What the event page shows of the analysis: 5 whys, Ishikawa, root causes, 8D, A3.

    Seven queries (plus the per-request grant caches of ``can``), whatever the number of
    steps, causes and actions."""
    steps = why_steps(user=user, event=event)
    # Adding to the analysis takes the right to change the event (``services_analysis.ensure_may_analyse``).
    may_analyse = can(user, "change", event)
    may_act = may_analyse and not is_finished(event.status)
    groups = ishikawa_by_category(ishikawa_causes(user=user, event=event))
    eightd = eightd_of(user=user, event=event)
    a3 = a3_of(user=user, event=event)
    causes = root_causes(user=user, event=event)
    return {
        "analysis_event": event,
        "why_tree": why_tree(steps),
        "why_count": len(steps),
        "ishikawa": groups,
        "ishikawa_count": sum(len(g["causes"]) + sum(len(e["children"]) for e in g["causes"]) for g in groups),
        "fishbone_svg": fishbone_svg(effect=event.title, groups=groups),
        "root_causes": causes,
        "validated_count": sum(cause.is_validated for cause in causes),
        "eightd": eightd,
        "eightd_steps": eightd_steps(eightd) if eightd else [],
        "a3": a3,
        "cause_categories": CauseCategory.choices,
        "can_analyse": may_analyse and can(user, "add", WhyStep) and can(user, "add", IshikawaCause),
        "can_add_root_cause": may_analyse and can(user, "add", RootCause),
        "can_validate_root_causes": any(can(user, "change", cause) for cause in causes),
        "can_link_action": may_act and can(user, "add", CorrectiveActionLink),
        "can_start_eightd": eightd is None and may_analyse and can(user, "add", EightD),
        "can_start_a3": a3 is None and may_analyse and can(user, "add", A3Report),
    }
