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
    assert DuerpVersion.objects.filter(organization=main).count() == 1
    assert len(DuerpVersion.objects.get(organization=main).snapshot["work_units"]) == 3
    assert EnvironmentalAspect.objects.filter(organization=main, is_significant=True).exists()


def test_the_demo_is_idempotent_and_its_accounts_log_in(db):
    call_command("seed_demo")
    counts = (Organization.objects.count(), Action.objects.count())
    call_command("seed_demo")
    assert (Organization.objects.count(), Action.objects.count()) == counts
    assert get_user_model().objects.get(username="coordinator").check_password("pilote-demo")
