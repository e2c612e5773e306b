"""The event workflow's table and guards, and the field rules: pure functions, as tables."""

import datetime

import pytest

from nonconformities import workflow
from nonconformities.choices import EventStatus as S
from nonconformities.choices import EventType, Severity
from nonconformities.workflow import EventFacts, LinkedAction

DONE, OPEN = LinkedAction("done"), LinkedAction("in_progress")
EFFECTIVE, UNCHECKED = LinkedAction("done", "effective"), LinkedAction("done", "")


def facts(status, severity=Severity.MAJOR, root_causes=0, actions=()):
    return EventFacts(status=status, severity=severity, root_cause_count=root_causes, actions=list(actions))


@pytest.mark.parametrize("current, target, allowed", [
    (S.REPORTED, S.OPEN, True), (S.REPORTED, S.ANALYSIS, False), (S.OPEN, S.ANALYSIS, True),
    (S.OPEN, S.CLOSED, False), (S.ANALYSIS, S.VERIFICATION, False), (S.CLOSED, S.OPEN, False),
    (S.REJECTED, S.OPEN, False), (S.TREATMENT, S.ANALYSIS, True), (S.VERIFICATION, S.TREATMENT, True),
])
def test_the_transition_table(current, target, allowed):
    state = facts(current, root_causes=1, actions=[EFFECTIVE])
    assert (workflow.transition_errors(facts=state, target=target, reason="r") == []) is allowed


@pytest.mark.parametrize("state, target, reason, refused_with", [
    # rejecting needs a reason
    (facts(S.REPORTED), S.REJECTED, "", "Say why"),
    (facts(S.REPORTED), S.REJECTED, "Doublon", None),
    (facts(S.OPEN), S.REJECTED, "  ", "Say why"),
    # no treatment without a root cause...
    (facts(S.ANALYSIS), S.TREATMENT, "", "at least one root cause"),
    (facts(S.ANALYSIS, root_causes=1), S.TREATMENT, "", None),
    # ...unless the event is minor and the skip is justified
    (facts(S.ANALYSIS, severity=Severity.MINOR), S.TREATMENT, "", "justify"),
    (facts(S.ANALYSIS, severity=Severity.MINOR), S.TREATMENT, "Rayure esthétique, pièce acceptée", None),
    (facts(S.ANALYSIS, severity=Severity.MODERATE), S.TREATMENT, "justification", "at least one root cause"),
    # no verification without actions, all done
    (facts(S.TREATMENT), S.VERIFICATION, "", "at least one corrective action"),
    (facts(S.TREATMENT, actions=[DONE, OPEN]), S.VERIFICATION, "", "1 linked action"),
    (facts(S.TREATMENT, actions=[DONE, DONE]), S.VERIFICATION, "", None),
    # no closure until every action is checked effective
    (facts(S.VERIFICATION, actions=[EFFECTIVE, UNCHECKED]), S.CLOSED, "", "no effectiveness check"),
    (facts(S.VERIFICATION, actions=[EFFECTIVE, LinkedAction("done", "not_effective")]), S.CLOSED, "", "1 linked"),
    (facts(S.VERIFICATION, actions=[]), S.CLOSED, "", "checked effective"),
    (facts(S.VERIFICATION, actions=[EFFECTIVE, EFFECTIVE]), S.CLOSED, "", None),
])
def test_every_guard_refuses_and_allows(state, target, reason, refused_with):
    errors = workflow.transition_errors(facts=state, target=target, reason=reason)
    if refused_with is None:
        assert errors == []
    else:
        assert len(errors) == 1 and refused_with in errors[0]


def test_an_unknown_target_is_refused_with_a_message():
    assert workflow.transition_errors(facts=facts(S.OPEN), target="nowhere") != []


MONDAY = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize("event_type, due", [
    (EventType.WORK_ACCIDENT, MONDAY + datetime.timedelta(hours=48)),
    (EventType.COMMUTING_ACCIDENT, MONDAY + datetime.timedelta(hours=48)),
    (EventType.OCCUPATIONAL_DISEASE, None),
    (EventType.NEAR_MISS, None),
])
def test_the_48_hour_deadline_is_for_work_and_commuting_accidents(event_type, due):
    assert workflow.declaration_due_at(event_type, MONDAY) == due


@pytest.mark.parametrize("declared_on, now, late", [
    (None, MONDAY + datetime.timedelta(hours=47), False),
    (None, MONDAY + datetime.timedelta(hours=49), True),
    (datetime.date(2026, 11, 25), MONDAY + datetime.timedelta(days=9), False),
    (datetime.date(2026, 11, 26), MONDAY + datetime.timedelta(days=9), True),
])
def test_a_declaration_is_late_after_the_deadline(declared_on, now, late):
    due = MONDAY + datetime.timedelta(hours=48)
    assert workflow.is_declaration_late(due_at=due, declared_on=declared_on, now=now) is late


DAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize("changes, fields", [
    ({}, set()),
    ({"detected_on": DAY - datetime.timedelta(days=1)}, {"detected_on"}),
    ({"has_victim": True}, {"victim"}),
    ({"lost_time": True, "days_lost": 2}, {"lost_time", "days_lost"}),
    ({"event_type": EventType.WORK_ACCIDENT, "lost_time": True, "days_lost": 2, "has_victim": True}, set()),
    ({"event_type": EventType.WORK_ACCIDENT, "days_lost": 2}, {"days_lost"}),
    ({"event_type": EventType.WORK_ACCIDENT, "declared_on": DAY - datetime.timedelta(days=1)}, {"declared_on"}),
])
def test_the_field_rules(changes, fields):
    values = {"event_type": EventType.INTERNAL_NC, "occurred_on": DAY, "detected_on": DAY, "has_victim": False,
              "lost_time": False, "days_lost": 0, "declared_on": None, **changes}
    assert set(workflow.field_errors(**values)) == fields


@pytest.mark.parametrize("status, severity, forward, back, may_skip, may_reject, finished", [
    (S.REPORTED, Severity.MAJOR, None, None, False, False, False),  # triage decides, not the page
    (S.OPEN, Severity.MAJOR, S.ANALYSIS, None, False, True, False),
    (S.ANALYSIS, Severity.MAJOR, S.TREATMENT, None, False, False, False),
    (S.ANALYSIS, Severity.MINOR, S.TREATMENT, None, True, False, False),
    (S.TREATMENT, Severity.MINOR, S.VERIFICATION, S.ANALYSIS, False, False, False),
    (S.VERIFICATION, Severity.MAJOR, S.CLOSED, S.TREATMENT, False, False, False),
    (S.CLOSED, Severity.MAJOR, None, None, False, False, True),
    (S.REJECTED, Severity.MINOR, None, None, False, False, True),
])
def test_the_steps_the_event_page_offers_follow_the_table(status, severity, forward, back, may_skip, may_reject,
                                                          finished):
    steps = workflow.offered_steps(status=status, severity=severity)
    assert (steps.forward, steps.back, steps.may_skip_analysis, steps.may_reject, steps.is_finished) == (
        forward, back, may_skip, may_reject, finished)
