"""The referential's and the evaluations' services: versions flag what must be re-evaluated,
one current evaluation per requirement and site, gaps lead to actions, applicability from the
site's facts and what a changed fact would change."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compliance import selectors, services
from compliance.conditions import SiteFacts
from compliance.factories import (
    ApplicabilityFactory,
    EvaluationFactory,
    IcpeClassificationFactory,
    RequirementFactory,
    SiteProfileFactory,
    TextFactory,
)
from compliance.models import Applicability, Evaluation, TextVersion
from improvement.factories import ActionFactory
from improvement.models import Action
from qse.roles import Role

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def coordinator(as_member):
    return as_member(Role.COORDINATOR)


def _text(world, **extra):
    return TextFactory(organization=world.a.organization, **extra)


def test_a_new_text_starts_with_its_first_version(world, coordinator):
    text = services.text_create(acting_user=coordinator, data={
        "kind": "order", "reference": "Arrêté du 23 janvier 1997", "title": "Bruit", "summary": "Émergences 5/3 dB(A)."})
    assert list(text.versions.values_list("number", "summary")) == [(1, "Émergences 5/3 dB(A).")]


def test_a_new_version_flags_requirements_and_current_evaluations_and_shows_the_change(world, coordinator):
    text = services.text_create(acting_user=coordinator, data={
        "kind": "order", "reference": "Arrêté du 2 février 1998", "title": "Rejets",
        "summary": "DCO : 300 mg/l.\nMES : 100 mg/l."})
    requirement = RequirementFactory(text=text)
    other = RequirementFactory(text=_text(world))
    old = EvaluationFactory(requirement=requirement, site=world.a.site, is_current=False)
    current = EvaluationFactory(requirement=requirement, site=world.a.site, evaluated_on=datetime.date(2026, 7, 1))
    untouched = EvaluationFactory(requirement=other, site=world.a.site)

    version = services.text_add_version(text=text, acting_user=coordinator, data={
        "summary": "DCO : 125 mg/l.\nMES : 100 mg/l.", "modified_by_reference": "Arrêté du 28 février 2022"})

    assert version.number == 2
    requirement.refresh_from_db(), other.refresh_from_db()
    assert (requirement.needs_reevaluation, other.needs_reevaluation) == (True, False)
    flags = dict(Evaluation.objects.filter(pk__in=[old.pk, current.pk, untouched.pk]).values_list("pk", "needs_reevaluation"))
    assert flags == {old.pk: False, current.pk: True, untouched.pk: False}
    text.refresh_from_db()
    assert text.summary == "DCO : 125 mg/l.\nMES : 100 mg/l."
    diff = selectors.version_diff(version)
    assert [(line["kind"], line["text"]) for line in diff[0]["lines"]] == [
        ("-", "DCO : 300 mg/l."), ("+", "DCO : 125 mg/l."), (" ", "MES : 100 mg/l.")]
    assert diff[0]["previous"] == 1
    assert selectors.version_diff(TextVersion.objects.get(text=text, number=1)) == []


def test_a_new_evaluation_becomes_the_current_one_and_clears_the_flag(world, coordinator):
    requirement = RequirementFactory(text=_text(world), evaluation_interval_months=24, needs_reevaluation=True)
    first = EvaluationFactory(requirement=requirement, site=world.a.site, needs_reevaluation=True)
    second = services.evaluation_record(acting_user=coordinator, data={
        "requirement": requirement, "site": world.a.site, "status": "partial", "evaluated_on": datetime.date(2026, 11, 2),
        "evaluator": coordinator})
    first.refresh_from_db(), requirement.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert second.next_due_on == datetime.date(2028, 11, 2)  # 24 months, from the requirement
    assert requirement.needs_reevaluation is False


def test_an_evaluation_of_another_site_keeps_its_own_current_verdict(world, coordinator):
    from qse.factories import SiteFactory

    requirement = RequirementFactory(text=_text(world))
    other_site = SiteFactory(organization=world.a.organization, code="A2")
    kept = EvaluationFactory(requirement=requirement, site=other_site)
    services.evaluation_record(acting_user=coordinator, data={
        "requirement": requirement, "site": world.a.site, "status": "compliant", "evaluated_on": TODAY,
        "evaluator": coordinator})
    kept.refresh_from_db()
    assert kept.is_current


def test_a_gap_creates_an_action_whose_origin_is_the_evaluation(world, coordinator):
    evaluation = EvaluationFactory(requirement=RequirementFactory(text=_text(world)), site=world.a.site,
                                   status="non_compliant")
    action = services.evaluation_action_create(evaluation=evaluation, acting_user=coordinator, data={
        "title": "Mettre à jour le registre", "owner": coordinator, "due_on": datetime.date(2026, 12, 31)})
    assert (action.origin, action.origin_kind, action.site) == (evaluation, "compliance", world.a.site)


def test_a_compliant_evaluation_leads_to_no_action(world, coordinator):
    evaluation = EvaluationFactory(requirement=RequirementFactory(text=_text(world)), site=world.a.site)
    with pytest.raises(ValidationError):
        services.evaluation_action_create(evaluation=evaluation, acting_user=coordinator, data={
            "title": "x", "owner": coordinator, "due_on": TODAY})
    assert not Action.objects.filter(origin_id=evaluation.pk, title="x").exists()


def test_an_existing_action_without_origin_can_be_linked_to_a_gap_but_not_one_with_an_origin(world, coordinator):
    evaluation = EvaluationFactory(requirement=RequirementFactory(text=_text(world)), site=world.a.site, status="partial")
    free = ActionFactory(organization=world.a.organization, owner=coordinator, plan=None)
    linked = services.evaluation_action_link(evaluation=evaluation, action=free, acting_user=coordinator)
    assert linked.origin == evaluation and linked.origin_kind == "compliance"
    with pytest.raises(ValidationError):
        services.evaluation_action_link(evaluation=evaluation, action=linked, acting_user=coordinator)


def test_a_manager_reads_but_does_not_evaluate(world, as_member):
    manager = as_member(Role.MANAGEMENT)
    with pytest.raises(PermissionDenied):
        services.evaluation_record(acting_user=manager, data={
            "requirement": RequirementFactory(text=_text(world)), "site": world.a.site, "status": "compliant",
            "evaluated_on": TODAY, "evaluator": manager})


def _requirements(world):
    text = _text(world, reference="Code du travail")
    return {
        "duerp": RequirementFactory(text=text, title="DUERP annuel", conditions=[{"headcount_at_least": 11}]),
        "cse": RequirementFactory(text=text, title="CSSCT", conditions=[{"headcount_at_least": 300}]),
        "icpe_a": RequirementFactory(text=text, title="Arrêté 1998", conditions=[{"icpe_regime": ["A"]}]),
        "paint": RequirementFactory(text=text, title="Cabine de peinture", conditions=[{"activity": "peinture"}]),
        "all": RequirementFactory(text=text, title="Tout site", conditions=[]),
    }


def test_the_site_facts_suggest_what_applies_beside_what_was_decided(world, coordinator):
    world.a.site.headcount = 60
    world.a.site.save()
    SiteProfileFactory(site=world.a.site, activities=["peinture"])
    IcpeClassificationFactory(site=world.a.site, rubrique="2910", regime="E")
    found = _requirements(world)
    ApplicabilityFactory(requirement=found["paint"], site=world.a.site, status="not_applicable",
                         justification="Cabine démontée")
    suggestions = {s.requirement.title: s for s in selectors.applicability_suggestions(world.a.site, user=coordinator)}
    assert {t: s.suggested_status for t, s in suggestions.items()} == {
        "DUERP annuel": "applicable", "CSSCT": "not_applicable", "Arrêté 1998": "not_applicable",
        "Cabine de peinture": "applicable", "Tout site": "applicable"}
    assert suggestions["Cabine de peinture"].disagrees  # the facts say it applies, the decision says no


def test_what_changes_when_the_site_gets_an_authorisation_and_grows_past_300(world, coordinator):
    world.a.site.headcount = 60
    world.a.site.save()
    _requirements(world)
    facts = selectors.site_facts(world.a.site, user=coordinator)
    from compliance.conditions import Classification

    changed = SiteFacts(headcount=320, activities=facts.activities,
                        classifications=(Classification("3110", "A", TODAY),))
    effect = selectors.fact_change_effect(world.a.site, user=coordinator, changed=changed)
    assert sorted(s.requirement.title for s in effect["gained"]) == ["Arrêté 1998", "CSSCT"]
    assert effect["lost"] == []
    shrunk = selectors.fact_change_effect(world.a.site, user=coordinator, changed=SiteFacts(headcount=8))
    assert [s.requirement.title for s in shrunk["lost"]] == ["DUERP annuel"]


def test_recording_decisions_creates_then_updates_and_requires_a_justification(world, coordinator):
    found = _requirements(world)
    count = services.applicabilities_apply(site=world.a.site, acting_user=coordinator, today=TODAY, rows=[
        {"requirement": found["duerp"], "status": "applicable"},
        {"requirement": found["cse"], "status": "not_applicable", "justification": "42 salariés"}])
    assert count == 2
    again = services.applicabilities_apply(site=world.a.site, acting_user=coordinator, today=TODAY, rows=[
        {"requirement": found["duerp"], "status": "applicable"},
        {"requirement": found["cse"], "status": "applicable"}])
    assert again == 1
    assert dict(Applicability.objects.filter(site=world.a.site).values_list("requirement__title", "status")) == {
        "DUERP annuel": "applicable", "CSSCT": "applicable"}
    with pytest.raises(ValidationError):
        services.applicabilities_apply(site=world.a.site, acting_user=coordinator, today=TODAY, rows=[
            {"requirement": found["paint"], "status": "not_applicable", "justification": ""}])
