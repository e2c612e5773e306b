"""``OwnershipRule`` with ``OwnedWhile``: an owner path that counts only while the row meets
conditions. The in-memory answer (``can()``) and the queryset filter (``restrict()``) agree,
row by row, with a table written by hand."""

import pytest

from nonconformities.choices import EventStatus as S
from nonconformities.factories import EventFactory
from nonconformities.models import Event
from qse.factories import ProcessFactory
from qse.permissions import can
from qse.querysets import OwnedWhile, OwnershipRule
from qse.roles import Role

# (status, who is in charge, who reported it) -> does the contributor "me" own it?
TABLE = [
    (S.REPORTED, None, "me", True),           # awaiting triage: the reporter's
    (S.REPORTED, "someone", "me", True),      # a person in charge named early does not end triage
    (S.OPEN, None, "me", True),               # open, nobody in charge yet: still the reporter's
    (S.OPEN, "someone", "me", False),         # taken in charge: no longer the reporter's
    (S.ANALYSIS, None, "me", False),
    (S.TREATMENT, "someone", "me", False),
    (S.CLOSED, None, "me", False),
    (S.REJECTED, None, "me", False),
    (S.OPEN, None, "someone", False),         # someone else's report
    (S.ANALYSIS, "me", "someone", True),      # the person in charge, whatever the status
    (S.CLOSED, "me", None, True),
]


def _user(world, who):
    return {"me": world.a.users[Role.CONTRIBUTOR], "someone": world.a.users[Role.AUDITOR], None: None}[who]


@pytest.mark.parametrize("status, in_charge, reporter, owns", TABLE)
def test_the_reporter_owns_an_event_only_until_it_is_taken_in_charge(world, as_member, status, in_charge,
                                                                      reporter, owns):
    me = as_member(Role.CONTRIBUTOR)
    # A process nobody of the table owns: only the owner and the reporter paths decide.
    process = ProcessFactory(organization=world.a.organization, code="ZZ", owner=world.a.users[Role.ADMIN])
    event = EventFactory(organization=world.a.organization, process=process, status=status,
                         owner=_user(world, in_charge), detected_by=_user(world, reporter))
    assert Event.ownership.matches(me, event) is owns
    assert can(me, "change", event) is owns
    assert Event.objects.restrict(me, "change").filter(pk=event.pk).exists() is owns


def test_owned_while_reads_a_condition_on_a_related_row_and_a_set_of_values(world):
    """The mechanism is generic: conditions may follow a relation and name several values."""
    me = world.a.users[Role.CONTRIBUTOR]
    rule = OwnershipRule(OwnedWhile("detected_by", status=[S.OPEN, S.ANALYSIS], process__code="R1"))
    cases = [(S.OPEN, world.a.process, True), (S.ANALYSIS, world.a.process, True),
             (S.CLOSED, world.a.process, False), (S.OPEN, None, False)]
    for status, process, expected in cases:
        event = EventFactory(organization=world.a.organization, status=status, process=process, detected_by=me)
        assert rule.matches(me, event) is expected, (status, process)
        assert Event.objects.filter(rule.q(me), pk=event.pk).exists() is expected, (status, process)
