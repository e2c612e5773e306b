"""The demo's banks and supplier register: every bank loaded, seven suppliers evaluated (the
two named in the demo's supplier NCs among them), one certificate expiring within the month,
a closed supplier audit whose answers give its scorecard."""

import datetime

from audits.demo_suppliers import seed_suppliers
from audits.models import QuestionBank, Supplier
from audits.selectors_suppliers import suppliers_evaluated
from qse.models import Membership
from qse.roles import Role

TODAY = datetime.date(2026, 11, 23)


def test_the_demo_evaluates_seven_suppliers_from_banks_figures_and_an_audit(world, as_member):
    as_member(Role.COORDINATOR)
    users = {"manager": world.a.users[Role.MANAGEMENT], "owner": world.a.users[Role.PROCESS_OWNER],
             "auditor": world.a.users[Role.AUDITOR]}
    membership = Membership.objects.get(user=world.a.users[Role.COORDINATOR], organization=world.a.organization)
    seed_suppliers(membership=membership, users=users, today=TODAY)
    assert QuestionBank.objects.filter(organization=world.a.organization).count() == 6  # five loaded, one copy
    rows = {s.name: s for s in suppliers_evaluated(today=TODAY, queryset=Supplier.objects.filter(organization=world.a.organization))}
    assert len(rows) == 7 and all(row.score is not None for row in rows.values())
    surface = rows["Rhône Traitements de Surface"]
    # Its audit: 8 conforming or improvement (100), 1 observation (75), 2 minor NCs (40), 1 major (0).
    assert round(surface.audit_score, 4) == round((8 * 100 + 75 + 2 * 40 + 0) / 12, 4)
    assert surface.next_expiry == TODAY + datetime.timedelta(days=24)
    assert {row.rating for row in rows.values()} <= {"A", "B", "C"}
