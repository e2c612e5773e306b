"""The demo's suggestions and projects: a dozen ideas in every state, supported, and a closed
DMAIC project with its measured gain."""

import datetime
from decimal import Decimal

from improvement.demo_ideas import seed_ideas
from improvement.models import ImprovementProject, Suggestion, SuggestionSupport
from qse.factories import SiteFactory
from qse.models import Membership
from qse.roles import Role

TODAY = datetime.date(2026, 11, 23)
ROLES = {"admin": Role.ADMIN, "coordinator": Role.COORDINATOR, "manager": Role.MANAGEMENT,
         "owner": Role.PROCESS_OWNER, "auditor": Role.AUDITOR, "contributor": Role.CONTRIBUTOR}


def test_the_demo_has_a_dozen_ideas_in_every_state_and_a_dmaic_project_with_its_gain(world):
    users = {key: world.a.users[role] for key, role in ROLES.items()}
    sites = {"LYO": world.a.site, "VIE": SiteFactory(organization=world.a.organization, code="VIE")}
    membership = Membership.objects.get(user=users["coordinator"], organization=world.a.organization)
    seed_ideas(membership=membership, users=users, sites=sites, processes={"R3": world.a.process}, today=TODAY)

    ideas = Suggestion.objects.filter(organization=world.a.organization)
    assert ideas.count() == 12
    assert set(ideas.values_list("status", flat=True)) == {"submitted", "under_review", "accepted", "implemented",
                                                           "rejected"}
    assert ideas.filter(decision="duplicate").exclude(duplicate_of=None).count() == 1
    assert SuggestionSupport.objects.filter(organization=world.a.organization).count() == 16
    assert len({created.month for created in ideas.values_list("created_at", flat=True)}) >= 8
    dmaic = ImprovementProject.objects.get(organization=world.a.organization, method="dmaic")
    assert dmaic.status == "closed" and dmaic.phases.filter(status="done").count() == 5
    assert (dmaic.gain.change, dmaic.gain.improved) == (Decimal("-2.8"), True)
    assert ImprovementProject.objects.get(method="kaizen").suggestions.count() == 1
