"""The demo register: every type and status, accidents, hours worked, and statuses the
workflow's guards would have allowed."""

from decimal import Decimal

from nonconformities.choices import EventStatus, EventType, Severity
from nonconformities.models import Event, HoursWorked
from nonconformities.services import event_facts
from nonconformities.workflow import transition_errors
from qse.demo import seed_demo
from qse.models import Organization, Site


def test_the_demo_register_is_complete_and_consistent(db):
    seed_demo()
    main = Organization.objects.get(slug="usinage-precis-du-rhone")
    events = Event.objects.filter(organization=main)
    assert set(events.values_list("event_type", flat=True)) == set(EventType.values)
    assert set(events.values_list("status", flat=True)) == set(EventStatus.values)
    assert 20 <= events.count() <= 30
    assert events.filter(cost_total__gt=0).count() >= 8
    accidents = events.filter(event_type__in=[EventType.WORK_ACCIDENT, EventType.COMMUTING_ACCIDENT])
    assert accidents.filter(victim__isnull=False, lost_time=True, days_lost__gt=0).count() >= 2
    assert any(a.declared_on and a.declared_on > a.declaration_due_at.date() for a in accidents)
    assert events.filter(recurrence_of__isnull=False).exists()
    for site in Site.objects.filter(organization=main):
        months = HoursWorked.objects.filter(organization=main, site=site)
        assert months.count() == 12
    lyon = HoursWorked.objects.filter(organization=main, site__code="LYO").values_list("hours", flat=True)
    assert Decimal("100000") < sum(lyon) < Decimal("150000")
    _assert_statuses_follow_the_guards(main, events)


def _assert_statuses_follow_the_guards(main, events):
    """Each status past analysis is one the guards would have let the event reach."""
    from dataclasses import replace

    from qse.tenancy import organization_context

    previous = {EventStatus.TREATMENT: EventStatus.ANALYSIS, EventStatus.VERIFICATION: EventStatus.TREATMENT,
                EventStatus.CLOSED: EventStatus.VERIFICATION}
    with organization_context(main):
        for event in events.filter(status__in=list(previous)):
            facts = replace(event_facts(event), status=previous[event.status])
            reason = "Mineur" if event.severity == Severity.MINOR else ""
            errors = transition_errors(facts=facts, target=event.status, reason=reason)
            assert errors == [], (event.title, event.status, errors)
