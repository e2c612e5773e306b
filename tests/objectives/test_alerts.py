"""Alerts (in-app and e-mail, once per crossing) when an indicator turns red or is forecast to,
and the reminder of a measurement due."""

import datetime
from decimal import Decimal as D

from django.core import mail

from objectives import alerts, kpi
from objectives.choices import Direction, Frequency, ReminderKind
from objectives.factories import IndicatorFactory, MeasurementFactory
from qse import reminders
from qse.models import Notification, Reminder
from qse.roles import Role
from qse.tenancy import organization_context

HIGH = kpi.Thresholds(target=D("95"), green=D("95"), red=D("85"), direction=Direction.HIGHER_IS_BETTER)
NOV_23 = datetime.date(2026, 11, 23)


def _series(*values, first=datetime.date(2026, 1, 1)):
    return [(kpi.shift_period(first, Frequency.MONTHLY, i), D(v)) for i, v in enumerate(values)]


def test_turning_red_alerts_once_on_the_period_that_crossed():
    assert alerts.alerts_for(series=_series("96", "92", "84"), thresholds=HIGH, frequency=Frequency.MONTHLY) == [
        (ReminderKind.INDICATOR_RED, datetime.date(2026, 3, 1))]
    # still red the next month: no new alert (the crossing was already told)
    assert alerts.alerts_for(series=_series("96", "84", "80"), thresholds=HIGH, frequency=Frequency.MONTHLY) == []
    assert alerts.alerts_for(series=_series("84"), thresholds=HIGH, frequency=Frequency.MONTHLY) == [
        (ReminderKind.INDICATOR_RED, datetime.date(2026, 1, 1))]


def test_a_trend_towards_the_red_threshold_alerts_on_the_period_it_predicts():
    # -2 a month from 100: 90 in June, forecast 88, 86, 84 -> 84 <= 85 in September
    found = alerts.alerts_for(series=_series("100", "98", "96", "94", "92", "90"), thresholds=HIGH, frequency=Frequency.MONTHLY)
    assert found == [(ReminderKind.INDICATOR_FORECAST, datetime.date(2026, 9, 1))]
    assert alerts.alerts_for(series=_series("96", "97", "96", "97"), thresholds=HIGH, frequency=Frequency.MONTHLY) == []


def _indicator_going_red(world):
    owner = world.a.users[Role.PROCESS_OWNER]
    indicator = IndicatorFactory(organization=world.a.organization, owner=owner, process=world.a.process, name="Service")
    for month, value in ((8, "97"), (9, "93"), (10, "83")):
        MeasurementFactory(indicator=indicator, period_on=datetime.date(2026, month, 1), value=D(value))
    return indicator


def test_the_daily_planning_alerts_the_owner_and_the_coordinators_once_by_notification_and_email(world):
    indicator = _indicator_going_red(world)
    with organization_context(world.a.organization):
        alerts.plan_objectives_reminders(today=NOV_23)
        alerts.plan_objectives_reminders(today=NOV_23 + datetime.timedelta(days=1))
    rows = Reminder.objects.filter(kind=ReminderKind.INDICATOR_RED, object_id=indicator.pk)
    recipients = {world.a.users[Role.PROCESS_OWNER].pk, world.a.users[Role.COORDINATOR].pk}
    assert {(r.recipient_id, r.occurrence) for r in rows} == {(pk, datetime.date(2026, 10, 1)) for pk in recipients}
    reminders.send_pending(organization=world.a.organization)
    reminders.send_pending(organization=world.a.organization)
    sent = [m for m in mail.outbox if "Service" in m.subject]
    assert len(sent) == 2 and all("rouge" in m.subject for m in sent)
    assert Notification.objects.filter(recipient_id__in=recipients, url=indicator.get_absolute_url()).count() == 2


def test_a_manual_indicator_without_its_due_value_reminds_its_owner_until_the_value_is_entered(world):
    owner = world.a.users[Role.PROCESS_OWNER]
    late = IndicatorFactory(organization=world.a.organization, owner=owner, name="Absentéisme", red_threshold=None)
    MeasurementFactory(indicator=late, period_on=datetime.date(2026, 9, 1))
    on_time = IndicatorFactory(organization=world.a.organization, owner=owner, red_threshold=None)
    MeasurementFactory(indicator=on_time, period_on=datetime.date(2026, 10, 1))
    computed = IndicatorFactory(organization=world.a.organization, owner=owner, source="late_actions", red_threshold=None)
    with organization_context(world.a.organization):
        alerts.plan_objectives_reminders(today=NOV_23)
    due = Reminder.objects.filter(kind=ReminderKind.MEASUREMENT_DUE)
    assert {(r.object_id, r.recipient_id, r.occurrence) for r in due} == {(late.pk, owner.pk, datetime.date(2026, 10, 1))}
    assert not due.filter(object_id__in=[on_time.pk, computed.pk]).exists()
    MeasurementFactory(indicator=late, period_on=datetime.date(2026, 10, 1))
    reminders.send_pending(organization=world.a.organization)
    assert not [m for m in mail.outbox if "Absentéisme" in m.subject]  # entered since: nothing to say
