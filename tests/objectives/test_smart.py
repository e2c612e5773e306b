"""The SMART check: each criterion confirmed and justified; measurable needs an indicator,
time-bound a deadline."""

import datetime

from django.utils import translation

from objectives.smart import CRITERIA, is_smart, smart_check

ALL = {key: True for key in CRITERIA}
WHY = {key: "parce que" for key in CRITERIA}
DEADLINE = datetime.date(2027, 6, 30)


def _problems(**kwargs):
    args = {"confirmations": ALL, "justifications": WHY, "indicator_count": 1, "due_on": DEADLINE, **kwargs}
    with translation.override("en"):
        return {c.key: str(c.problem) for c in smart_check(**args) if not c.ok}


def test_a_fully_confirmed_justified_measured_and_dated_objective_is_smart():
    criteria = smart_check(confirmations=ALL, justifications=WHY, indicator_count=2, due_on=DEADLINE)
    assert is_smart(criteria) and [c.key for c in criteria] == list(CRITERIA)


def test_each_failing_criterion_says_why():
    assert _problems(confirmations={**ALL, "achievable": False}) == {"achievable": "Not confirmed."}
    assert _problems(justifications={**WHY, "realistic": "  "}) == {"realistic": "Confirmed without a justification."}
    assert _problems(indicator_count=0) == {"measurable": "No indicator measures it."}
    assert _problems(due_on=None) == {"time_bound": "No deadline."}
    assert set(_problems(confirmations={})) == set(CRITERIA)
