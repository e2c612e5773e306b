"""The demo seed: realistic, complete, idempotent, two organizations."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from improvement.choices import ActionStatus
from improvement.models import Action
from qse.demo import DEMO_ACCOUNTS, seed_demo
from qse.models import Membership, Organization
from risks.models import DuerpVersion, EnvironmentalAspect, Risk


def test_the_demo_creates_both_organizations_every_account_and_actions_in_every_state(db):
    assert seed_demo() is True
    assert Organization.objects.count() == 2
    for username, role, organization in DEMO_ACCOUNTS:
        membership = Membership.objects.get(user__username=username)
        assert (membership.role, membership.organization.name) == (role, organization)
    main = Organization.objects.get(slug="usinage-precis-du-rhone")
    statuses = set(Action.objects.filter(organization=main).values_list("status", flat=True))
    assert statuses == set(ActionStatus.values)
    assert Action.objects.filter(organization=main, effectiveness_result="effective").exists()
    assert Risk.objects.filter(organization=main).count() >= 12


def test_the_demo_register_is_credible_across_qse_processes_sites_and_treatments(db):
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from risks.choices import RiskKind, Treatment

    seed_demo()
    main = Organization.objects.get(slug="usinage-precis-du-rhone")
    risks = list(Risk.objects.filter(organization=main))
    assert len(risks) >= 40
    assert {r.kind for r in risks} == set(RiskKind.values)
    assert {domain for r in risks for domain in r.domains} == {"Q", "S", "E"}
    assert len({r.process_id for r in risks}) >= 8 and {r.site.code for r in risks if r.site} == {"LYO", "VIE"}
    assert {r.treatment for r in risks} == set(Treatment.values)
    accepted = [r for r in risks if r.treatment == Treatment.ACCEPT]
    assert accepted and all(r.treatment_justification and r.accepted_by_id for r in accepted)
    assert sum(r.residual_score is not None for r in risks) >= 20
    today = timezone.localdate()
    overdue = [r for r in risks if r.next_review_on < today]
    assert 3 <= len(overdue) <= 12
    linked = Action.objects.filter(organization=main, origin_type=ContentType.objects.get_for_model(Risk))
    assert linked.count() >= 10 and all(r.next_review_on > today - datetime.timedelta(days=90) for r in overdue)
    assert DuerpVersion.objects.filter(organization=main).count() == 1
    assert len(DuerpVersion.objects.get(organization=main).snapshot["work_units"]) == 3
    assert EnvironmentalAspect.objects.filter(organization=main, is_significant=True).exists()


def test_the_demo_is_idempotent_and_its_accounts_log_in(db):
    call_command("seed_demo")
    counts = (Organization.objects.count(), Action.objects.count())
    call_command("seed_demo")
    assert (Organization.objects.count(), Action.objects.count()) == counts
    assert get_user_model().objects.get(username="coordinator").check_password("pilote-demo")
