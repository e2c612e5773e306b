"""Every write of an event's root-cause analysis: 5 whys, Ishikawa, root causes and the
actions addressing them, the 8D (steps under guards) and the A3.

The caller has found the event through ``restrict()`` (a 404 otherwise); these services
check the acting user's right on the record they write, and that every record they tie
together belongs to the same event.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from improvement.choices import ActionStatus, EffectivenessResult
from nonconformities import eightd as workflow
from nonconformities.choices import CauseCategory, EventStatus
from nonconformities.models import (
    A3Report,
    ActionPurpose,
    CorrectiveActionLink,
    EightD,
    Event,
    IshikawaCause,
    RootCause,
    WhyStep,
)
from nonconformities.services import event_action_create, event_transition
from nonconformities.workflow import NEXT_STEP
from qse.services import (
    ConflictError,
    ensure_can,
    object_bump,
    object_create,
    object_update,
    recorded,
)

EIGHTD_TEXT_FIELDS = (
    "external_members", "emergency_response", "problem_what", "problem_where", "problem_when", "problem_who",
    "problem_how_many", "problem_how", "containment_summary", "containment_verified_on", "escape_point",
    "chosen_actions_rationale", "implementation_validation", "recurrence_prevention", "lessons_learned",
    "congratulation",
)


def ensure_may_analyse(acting_user, event: Event) -> None:
    """Adding to an event's analysis is part of treating the event: besides the right to add
    the record, it takes the right to change the event (a process owner: the events they are
    in charge of or whose process they own)."""
    ensure_can(acting_user, "change", event)


def _same_event(record, event: Event, label: str) -> None:
    if record is not None and record.event_id != event.pk:
        raise ValidationError(_("The {label} belongs to another event.").format(label=label))


def _category(value: str) -> str:
    if value not in CauseCategory.values:
        raise ValidationError({"category": [_("Choose a category of the 6M.")]})
    return value


# --- 5 whys ------------------------------------------------------------------------------


def why_step_add(*, acting_user, event: Event, question: str, answer: str, parent: WhyStep | None = None) -> WhyStep:
    """Ask one more "why?" about the event, or about the answer of ``parent`` (a new branch
    when the parent already has an answer below it)."""
    ensure_may_analyse(acting_user, event)
    _same_event(parent, event, _("step"))
    if parent is not None and parent.is_root_cause:
        raise ValidationError(_("This answer is marked as a root cause: unmark it before asking why again."))
    if not answer.strip() or not question.strip():
        raise ValidationError(_("Give both the question and the answer."))
    siblings = WhyStep.objects.filter(event=event, parent=parent).count()
    return object_create(
        model=WhyStep, acting_user=acting_user,
        data={"event": event, "parent": parent, "question": question.strip(), "answer": answer.strip(),
              "position": siblings},
    )


def why_step_update(*, step: WhyStep, acting_user, question: str, answer: str,
                    expected_version: int | None = None) -> WhyStep:
    if not answer.strip() or not question.strip():
        raise ValidationError(_("Give both the question and the answer."))
    return object_update(obj=step, acting_user=acting_user, data={"question": question.strip(),
                         "answer": answer.strip()}, expected_version=expected_version)


def why_step_mark_root_cause(*, step: WhyStep, acting_user, category: str, description: str = "") -> RootCause:
    """End a branch: the answer is a root cause, recorded as a ``RootCause`` to validate."""
    ensure_can(acting_user, "change", step)
    ensure_can(acting_user, "add", RootCause)
    ensure_may_analyse(acting_user, step.event)
    if step.children.filter(archived_at__isnull=True).exists():
        raise ValidationError(_("Only the last answer of a branch can be a root cause."))
    with recorded(acting_user, reason=_("Root cause found by the 5 whys")):
        object_bump(obj=step, acting_user=acting_user, expected_version=None, is_root_cause=True)
        return object_create(
            model=RootCause, acting_user=acting_user,
            data={"event": step.event, "category": _category(category),
                  "description": description.strip() or step.answer, "why_step": step},
        )


# --- Ishikawa ----------------------------------------------------------------------------


def ishikawa_cause_add(*, acting_user, event: Event, text: str, category: str = "",
                       parent: IshikawaCause | None = None) -> IshikawaCause:
    """A cause on one of the 6M bones, or a sub-cause of ``parent`` (on the parent's bone)."""
    ensure_may_analyse(acting_user, event)
    _same_event(parent, event, _("cause"))
    if parent is not None:
        if parent.parent_id:
            raise ValidationError(_("A sub-cause cannot have sub-causes of its own."))
        category = parent.category
    if not text.strip():
        raise ValidationError({"text": [_("Describe the cause.")]})
    siblings = IshikawaCause.objects.filter(event=event, parent=parent, category=category).count()
    return object_create(
        model=IshikawaCause, acting_user=acting_user,
        data={"event": event, "category": _category(category), "parent": parent, "text": text.strip(),
              "position": siblings},
    )


def ishikawa_cause_update(*, cause: IshikawaCause, acting_user, text: str,
                          expected_version: int | None = None) -> IshikawaCause:
    if not text.strip():
        raise ValidationError({"text": [_("Describe the cause.")]})
    return object_update(obj=cause, acting_user=acting_user, data={"text": text.strip()},
                         expected_version=expected_version)


def ishikawa_cause_retain(*, cause: IshikawaCause, acting_user, description: str = "") -> RootCause:
    """Retain a cause of the diagram as a root cause (its category is its bone)."""
    ensure_can(acting_user, "change", cause)
    ensure_can(acting_user, "add", RootCause)
    ensure_may_analyse(acting_user, cause.event)
    if cause.is_root_cause:
        raise ValidationError(_("This cause is already retained."))
    text = description.strip() or (f"{cause.parent.text} : {cause.text}" if cause.parent_id else cause.text)
    with recorded(acting_user, reason=_("Root cause retained from the Ishikawa diagram")):
        object_bump(obj=cause, acting_user=acting_user, expected_version=None, is_root_cause=True)
        return object_create(
            model=RootCause, acting_user=acting_user,
            data={"event": cause.event, "category": cause.category, "description": text, "ishikawa_cause": cause},
        )


def analysis_item_remove(*, item: WhyStep | IshikawaCause, acting_user) -> None:
    """Archive a step or cause entered by mistake, with what hangs below it. One that led
    to a root cause stays: the root cause is evidence."""
    ensure_can(acting_user, "archive", item)
    if item.is_root_cause or item.children.filter(is_root_cause=True, archived_at__isnull=True).exists():
        raise ValidationError(_("This item led to a root cause; it is kept as evidence."))
    with recorded(acting_user, reason=_("Removed from the analysis")):
        type(item).objects.filter(pk__in=[item.pk, *_descendants(item)]).update(archived_at=timezone.now())


def _descendants(item) -> list[int]:
    found, frontier = [], [item.pk]
    while frontier:
        frontier = list(type(item).objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        found += frontier
    return found


# --- root causes -------------------------------------------------------------------------


def root_cause_create(*, acting_user, event: Event, category: str, description: str,
                      is_escape_point: bool = False) -> RootCause:
    """A root cause recorded directly (not found through the 5 whys or the diagram)."""
    ensure_may_analyse(acting_user, event)
    if not description.strip():
        raise ValidationError({"description": [_("Describe the root cause.")]})
    return object_create(
        model=RootCause, acting_user=acting_user,
        data={"event": event, "category": _category(category), "description": description.strip(),
              "is_escape_point": is_escape_point},
    )


def root_cause_update(*, root_cause: RootCause, acting_user, data: dict,
                      expected_version: int | None = None) -> RootCause:
    allowed = {k: v for k, v in data.items() if k in {"category", "description", "is_escape_point"}}
    if "category" in allowed:
        _category(allowed["category"])
    return object_update(obj=root_cause, acting_user=acting_user, data=allowed, expected_version=expected_version)


def root_cause_validate(*, root_cause: RootCause, acting_user, evidence: str, today: datetime.date,
                        expected_version: int | None = None) -> RootCause:
    """Confirm a root cause with its evidence (test, reproduction, data): who and when are kept."""
    ensure_can(acting_user, "change", root_cause)
    if not evidence.strip():
        raise ValidationError({"validation_evidence": [_("Say how the cause was confirmed.")]})
    if root_cause.is_validated:
        raise ValidationError(_("This root cause is already validated."))
    return object_bump(
        obj=root_cause, acting_user=acting_user, expected_version=expected_version, reason=_("Root cause validated"),
        validated_on=today, validated_by=acting_user, validation_evidence=evidence.strip(),
    )


def corrective_action_create(*, acting_user, root_cause: RootCause, data: dict,
                             purpose: str = ActionPurpose.CORRECTIVE) -> CorrectiveActionLink:
    """Create the action (an improvement Action whose origin is the event) and tie it to the
    root cause it addresses: the event's action service, with the link required here."""
    ensure_can(acting_user, "add", CorrectiveActionLink)
    ensure_may_analyse(acting_user, root_cause.event)
    if purpose not in ActionPurpose.values:
        raise ValidationError({"purpose": [_("Choose corrective or preventive.")]})
    with recorded(acting_user, reason=_("Action for a root cause")):
        action = event_action_create(event=root_cause.event, acting_user=acting_user, data=data, purpose=purpose,
                                     root_cause=root_cause)
    return action.event_link


# --- 8D ----------------------------------------------------------------------------------


def eightd_start(*, acting_user, event: Event, champion, leader, team=(), external_members: str = "") -> EightD:
    """Open the 8D of an event (one per event) with its champion, leader and team."""
    ensure_may_analyse(acting_user, event)
    if EightD.objects.filter(event=event).exists():
        raise ValidationError(_("This event already has an 8D."))
    return object_create(
        model=EightD, acting_user=acting_user,
        data={"event": event, "champion": champion, "leader": leader, "team": list(team),
              "external_members": external_members},
    )


def eightd_update(*, eightd: EightD, acting_user, data: dict, expected_version: int | None = None) -> EightD:
    """Edit the texts, the team or the people of an 8D (the step moves only by ``eightd_advance``)."""
    if eightd.is_closed:
        raise ValidationError(_("This 8D is closed."))
    allowed = {k: v for k, v in data.items() if k in {*EIGHTD_TEXT_FIELDS, "champion", "leader", "team"}}
    return object_update(obj=eightd, acting_user=acting_user, data=allowed, expected_version=expected_version)


def eightd_facts(eightd: EightD) -> workflow.EightDFacts:
    """What the guards need, read in a constant number of queries."""
    event = eightd.event
    causes = list(RootCause.objects.filter(event=event, archived_at__isnull=True))
    validated = {cause.pk for cause in causes if cause.is_validated}
    links = list(
        CorrectiveActionLink.objects.filter(event=event, archived_at__isnull=True)
        .exclude(action__status=ActionStatus.CANCELLED).select_related("action")
    )
    return workflow.EightDFacts(
        step=eightd.step,
        is_closed=eightd.is_closed,
        emergency_response=eightd.emergency_response,
        has_leader=eightd.leader_id is not None,
        team_size=eightd.team.exclude(pk=eightd.leader_id).count(),
        problem_what=eightd.problem_what,
        has_containment=bool(eightd.containment_summary.strip()) or event.immediate_actions.exists(),
        containment_verified=eightd.containment_verified_on is not None,
        validated_root_causes=len(validated),
        has_escape_point=bool(eightd.escape_point.strip()) or any(c.is_escape_point for c in causes if c.pk in validated),
        actions_on_validated_causes=sum(
            1 for link in links if link.root_cause_id in validated and link.purpose == ActionPurpose.CORRECTIVE),
        open_actions=sum(1 for link in links if link.action.status != ActionStatus.DONE),
        actions=len(links),
        recurrence_prevention=eightd.recurrence_prevention,
        actions_not_effective=sum(
            1 for link in links if link.action.effectiveness_result != EffectivenessResult.EFFECTIVE),
    )


def eightd_advance(*, eightd: EightD, acting_user, today: datetime.date,
                   expected_version: int | None = None) -> EightD:
    """Complete the current step under its guards and move to the next; completing D8
    closes the 8D and the event. The 8D row is locked so that two clicks never skip a step."""
    ensure_can(acting_user, "change", eightd)
    with recorded(acting_user):
        current = EightD.objects.select_for_update().select_related("event").get(pk=eightd.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(current)
        errors = workflow.completion_errors(eightd_facts(current))
        if errors:
            raise ValidationError(errors)
        step = current.step
        changes = {workflow.done_field(step): today, "step": workflow.next_step(step)}
        updated = object_bump(obj=current, acting_user=acting_user, expected_version=None,
                              reason=str(_("8D step completed: {step}").format(step=current.get_step_display())),
                              **changes)
        if step == workflow.D.D8:
            _close_event(event=current.event, acting_user=acting_user, today=today)
    return updated


def _close_event(*, event: Event, acting_user, today: datetime.date) -> None:
    """D8 is the closure of the event: it walks the event's own workflow (analysis,
    treatment, verification, closed), whose guards the 8D has already satisfied."""
    event = Event.objects.get(pk=event.pk)
    while event.status != EventStatus.CLOSED:
        if event.status not in NEXT_STEP:
            raise ValidationError(_("The event is “{status}”: it cannot be closed by the 8D.").format(
                status=event.get_status_display()))
        event = event_transition(event=event, acting_user=acting_user, to_status=NEXT_STEP[event.status],
                                 reason=_("8D closed"), today=today)


# --- A3 ----------------------------------------------------------------------------------

A3_FIELDS = ("owner", "background", "current_state", "goal", "analysis", "countermeasures", "plan", "follow_up")


def a3_create(*, acting_user, event: Event, data: dict) -> A3Report:
    """Open the A3 of an event (one per event)."""
    ensure_may_analyse(acting_user, event)
    if A3Report.objects.filter(event=event).exists():
        raise ValidationError(_("This event already has an A3."))
    allowed = {k: v for k, v in data.items() if k in A3_FIELDS}
    return object_create(model=A3Report, acting_user=acting_user, data={**allowed, "event": event})


def a3_update(*, a3: A3Report, acting_user, data: dict, expected_version: int | None = None) -> A3Report:
    allowed = {k: v for k, v in data.items() if k in A3_FIELDS}
    return object_update(obj=a3, acting_user=acting_user, data=allowed, expected_version=expected_version)
