"""Computed indicators from the application's own data (actions, events, hours), through the
refresh service run as in the task (under the indicator owner's membership), and the task."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from improvement.choices import ActionStatus
from improvement.factories import ActionFactory
from nonconformities.choices import EventType
from nonconformities.factories import EventFactory, HoursWorkedFactory
from objectives.choices import MeasurementOrigin
from objectives.factories import IndicatorFactory
from objectives.models import Measurement
from objectives.services import indicator_refresh
from objectives.tasks import indicators_refresh_task
from qse.models import Membership
from qse.roles import Role
from qse.tenancy import organization_context

NOV_23 = datetime.date(2026, 11, 23)  # October is the latest period due (monthly)
OCTOBER = datetime.date(2026, 10, 1)


def _indicator(world, source, parameter="", site=None, **extra):
    return IndicatorFactory(organization=world.a.organization, owner=world.a.users[Role.COORDINATOR], source=source,
                            source_parameter=parameter, site=site, **extra)


def _refresh(world, indicator, today=NOV_23):
    membership = Membership.objects.get(user=indicator.owner, organization=world.a.organization)
    with organization_context(world.a.organization, membership):
        indicator_refresh(indicator=indicator, today=today)
    return dict(Measurement.objects.filter(indicator=indicator).values_list("period_on", "value"))


def _action(world, due, status=ActionStatus.PLANNED, done=None, organization=None):
    side = world.a if organization is None else world.b
    return ActionFactory(organization=side.organization, owner=side.users[Role.COORDINATOR], due_on=due, status=status,
                         done_on=done)


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def october_actions(world):
    _action(world, datetime.date(2026, 10, 10), ActionStatus.DONE, datetime.date(2026, 10, 8))  # on time
    _action(world, datetime.date(2026, 10, 20), ActionStatus.DONE, datetime.date(2026, 10, 25))  # done late
    _action(world, datetime.date(2026, 10, 15))  # still open: late
    _action(world, datetime.date(2026, 10, 5), ActionStatus.CANCELLED)  # not counted
    _action(world, datetime.date(2026, 9, 12), ActionStatus.DONE, datetime.date(2026, 11, 2))  # late until 2 Nov
    _action(world, datetime.date(2026, 10, 10), ActionStatus.PLANNED, organization="b")  # another organization


def test_the_rate_of_actions_done_on_time_counts_the_actions_due_in_the_period(world, october_actions):
    values = _refresh(world, _indicator(world, "actions_on_time"))
    assert values[OCTOBER] == Decimal("33.3000")  # 1 of the 3 due in October (the cancelled one left out)
    assert values[datetime.date(2026, 9, 1)] == Decimal("0.0000")  # the September one was done in November
    assert datetime.date(2026, 8, 1) not in values  # nothing due: no value, not a zero


def test_late_actions_are_counted_as_they_stood_on_the_last_day_of_each_period(world, october_actions):
    values = _refresh(world, _indicator(world, "late_actions", direction="lower", target=0, green_threshold=0, red_threshold=3))
    assert values[OCTOBER] == Decimal("2")  # the open October one, and September's done on 2 November
    assert values[datetime.date(2026, 9, 1)] == Decimal("1")  # on 30 September the one due on the 12th was open
    assert datetime.date(2026, 11, 1) not in values  # the running month is not a value yet


def _events(world):
    site = world.a.site
    for severity, cost in ((1, 100), (3, 2500)):
        EventFactory(organization=world.a.organization, site=site, event_type=EventType.INTERNAL_NC, severity=severity,
                     occurred_at=_aware(datetime.date(2026, 10, 12)), cost_scrap=Decimal(cost))
    EventFactory(organization=world.a.organization, site=site, event_type=EventType.WORK_ACCIDENT, severity=4,
                 occurred_at=_aware(datetime.date(2026, 10, 20)), lost_time=True, days_lost=10)
    EventFactory(organization=world.b.organization, site=world.b.site, event_type=EventType.INTERNAL_NC, severity=4,
                 occurred_at=_aware(datetime.date(2026, 10, 12)), cost_scrap=Decimal(9999))
    HoursWorkedFactory(site=site, month=OCTOBER, hours=100000)


def test_nonconformities_by_severity_and_cost_of_non_quality_come_from_the_events(world):
    _events(world)
    assert _refresh(world, _indicator(world, "nc_by_severity", "3"))[OCTOBER] == Decimal("1")
    assert _refresh(world, _indicator(world, "nc_by_severity", ""))[OCTOBER] == Decimal("2")  # the accident is not quality
    assert _refresh(world, _indicator(world, "non_quality_cost"))[OCTOBER] == Decimal("2600")


def test_accident_rates_come_from_the_events_modules_figures(world):
    _events(world)
    # TF = 1 accident x 1,000,000 / 100,000 h = 10; TG = 10 days x 1,000 / 100,000 h = 0.1
    assert _refresh(world, _indicator(world, "accident_frequency", site=world.a.site))[OCTOBER] == Decimal("10")
    assert _refresh(world, _indicator(world, "accident_severity", site=world.a.site))[OCTOBER] == Decimal("0.1")


def test_refreshing_again_writes_nothing_new_and_a_changed_value_is_updated(world, october_actions):
    indicator = _indicator(world, "late_actions")
    first = _refresh(world, indicator)
    versions = dict(Measurement.objects.filter(indicator=indicator).values_list("period_on", "version"))
    assert _refresh(world, indicator) == first
    assert dict(Measurement.objects.filter(indicator=indicator).values_list("period_on", "version")) == versions
    _action(world, datetime.date(2026, 10, 1))
    assert _refresh(world, indicator)[OCTOBER] == first[OCTOBER] + 1
    assert Measurement.objects.get(indicator=indicator, period_on=OCTOBER).version == versions[OCTOBER] + 1


def test_the_refresh_task_computes_every_computed_indicator_and_leaves_manual_ones_alone(world, october_actions):
    computed = _indicator(world, "late_actions")
    manual = _indicator(world, "manual")
    written = indicators_refresh_task(organization_id=world.a.organization.pk)
    assert written > 0
    origins = set(Measurement.objects.filter(indicator=computed).values_list("origin", flat=True))
    assert origins == {MeasurementOrigin.COMPUTED}
    assert not Measurement.objects.filter(indicator=manual).exists()


def test_the_nightly_refresh_schedule_is_created_once_and_removed_by_its_reverse(db):
    import importlib
    import json

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = importlib.import_module("objectives.migrations.0002_refresh_schedule")
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)
    task = PeriodicTask.objects.get(name="Refresh computed indicators")
    assert (task.task, json.loads(task.kwargs), task.crontab.hour, task.crontab.minute) == (
        "objectives.tasks.indicators_refresh_fan_out", {}, "5", "30")
    migration.delete_schedule(apps, None)
    assert not PeriodicTask.objects.filter(name="Refresh computed indicators").exists()
