"""Applicability conditions against a site's facts: a table of hand-written cases."""

import datetime

import pytest
from django.utils import translation

from compliance.conditions import Classification, SiteFacts, describe, errors, evaluate


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (the French ones are the catalogue's business)."""
    with translation.override("en"):
        yield

PLANT = SiteFacts(
    headcount=42, activities=frozenset({"peinture", "soudage"}),
    classifications=(Classification("2910", "E", datetime.date(2019, 3, 1)), Classification("2940", "D", None)),
)


@pytest.mark.parametrize(("conditions", "applies"), [
    ([], True),
    ([{"headcount_at_least": 11}], True),
    ([{"headcount_at_least": 50}], False),
    ([{"headcount_at_least": 11, "headcount_below": 50}], True),
    ([{"headcount_below": 42}], False),
    ([{"activity": "peinture"}], True),
    ([{"activity": "chaufferie"}], False),
    ([{"icpe_regime": ["A"]}], False),
    ([{"icpe_regime": ["A", "E"]}], True),
    ([{"icpe_rubrique": "2910"}], True),
    ([{"icpe_rubrique": "2910", "regimes": ["A"]}], False),
    ([{"icpe_rubrique": "2910", "since": "2018-12-20"}], True),
    ([{"icpe_rubrique": "2910", "before": "2018-12-20"}], False),
    ([{"icpe_rubrique": "2940", "since": "2018-01-01"}], None),  # the act's date is unknown
    ([{"icpe_rubrique": "1510"}], False),
    ([{"any": [{"icpe_rubrique": "1510"}, {"activity": "soudage"}]}], True),
    ([{"any": [{"icpe_rubrique": "1510"}, {"activity": "forge"}]}], False),
    ([{"headcount_at_least": 11}, {"icpe_regime": ["A"]}], False),
])
def test_conditions_against_the_plant(conditions, applies):
    assert evaluate(conditions, PLANT).applies is applies


def test_an_unknown_headcount_leaves_the_decision_to_the_coordinator():
    verdict = evaluate([{"headcount_at_least": 11}], SiteFacts())
    assert verdict.applies is None and verdict.reasons == ["Headcount unknown"]


def test_crossing_the_50_threshold_changes_the_verdict():
    rule = [{"headcount_at_least": 50}]
    assert evaluate(rule, SiteFacts(headcount=49)).applies is False
    assert evaluate(rule, SiteFacts(headcount=50)).applies is True


def test_the_reasons_say_which_fact_decided():
    verdict = evaluate([{"headcount_at_least": 11}, {"icpe_regime": ["E"]}], PLANT)
    assert verdict.reasons == ["Headcount 42 (threshold 11)", "ICPE regime E: rubriques 2910"]


@pytest.mark.parametrize(("conditions", "expected"), [
    ([], []),
    ([{"headcount_at_least": 11}], []),
    ({"headcount_at_least": 11}, ["The conditions are a list."]),
    ([{"size": 3}], ["Unknown condition: size."]),
    ([{"headcount_at_least": "onze"}], ["A headcount threshold is a whole number."]),
    ([{"icpe_regime": ["X"]}], ["ICPE regimes are among A, E, DC, D and NC."]),
    ([{"icpe_rubrique": "2910", "since": "20/12/2018"}], ["A date is written YYYY-MM-DD."]),
    (["headcount"], ['Each condition is an object such as {"headcount_at_least": 11}.']),
])
def test_wrong_conditions_are_named(conditions, expected):
    assert errors(conditions) == expected


def test_conditions_read_as_a_short_text():
    assert describe([]) == "Every site"
    assert describe([{"headcount_at_least": 11}, {"any": [{"icpe_regime": ["A"]}, {"activity": "peinture"}]}]) == (
        "headcount ≥ 11; (ICPE A or activity peinture)")
