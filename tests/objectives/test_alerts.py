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


def test_a_trend_towards_the_red_threshold_alerts_once_from_the_period_it_was_first_forecast():
    # -2 a month from 100: from April (4 values: 100..94, forecast 92, 90, 88, 86, 84) every
    # forecast crosses 85 within 6 periods; March has only 3 values (no forecast)
    found = alerts.alerts_for(series=_series("100", "98", "96", "94", "92", "90"), thresholds=HIGH, frequency=Frequency.MONTHLY)
    assert found == [(ReminderKind.INDICATOR_FORECAST, datetime.date(2026, 4, 1))]
    assert alerts.alerts_for(series=_series("96", "97", "96", "97"), thresholds=HIGH, frequency=Frequency.MONTHLY) == []


def test_a_forecast_whose_predicted_period_moves_is_still_the_same_crossing():
    # June's forecast: 84 in September; July's 86 steepens the slope to -62/28 = -2.21 a month:
    # 84.9 in August. The crossing predicted moved, the episode (from April) did not.
    june = alerts.alerts_for(series=_series("100", "98", "96", "94", "92", "90"), thresholds=HIGH, frequency=Frequency.MONTHLY)
    july = alerts.alerts_for(series=_series("100", "98", "96", "94", "92", "90", "86"), thresholds=HIGH,
                             frequency=Frequency.MONTHLY)
    assert june == july == [(ReminderKind.INDICATOR_FORECAST, datetime.date(2026, 4, 1))]
    # the trend recovered in August (forecast above 85), then turns down again: a new episode
    recovered = _series("100", "98", "96", "94", "92", "90", "86", "97", "98", "97", "96")
    assert alerts.alerts_for(series=recovered, thresholds=HIGH, frequency=Frequency.MONTHLY) == []
    # flat, then down: May's 92 forecasts 89.2 at worst (slope -0.8), June's 88 crosses (slope
    # -27/17.5 = -1.54: 84.3 in October); the episode starts in June
    steady_then_down = _series("96", "97", "96", "97", "92", "88")
    assert alerts.alerts_for(series=steady_then_down[:5], thresholds=HIGH, frequency=Frequency.MONTHLY) == []
    assert alerts.alerts_for(series=steady_then_down, thresholds=HIGH, frequency=Frequency.MONTHLY) == [
        (ReminderKind.INDICATOR_FORECAST, datetime.date(2026, 6, 1))]


def test_a_forecast_alert_is_planned_once_over_the_months_and_its_email_gives_the_method_and_interval(client, world):
    owner = world.a.users[Role.PROCESS_OWNER]
    indicator = IndicatorFactory(organization=world.a.organization, owner=owner, process=world.a.process, name="Service")
    values = ("100", "98", "96", "94", "92", "90", "86")
    for month, value in enumerate(values, start=1):
        MeasurementFactory(indicator=indicator, period_on=datetime.date(2026, month, 1), value=D(value))
        with organization_context(world.a.organization):
            alerts.plan_objectives_reminders(today=datetime.date(2026, month, 20))
    rows = Reminder.objects.filter(kind=ReminderKind.INDICATOR_FORECAST, object_id=indicator.pk)
    recipients = {owner.pk, world.a.users[Role.COORDINATOR].pk}
    assert sorted((r.recipient_id, r.occurrence) for r in rows) == sorted((pk, datetime.date(2026, 4, 1)) for pk in recipients)

    reminders.send_pending(organization=world.a.organization)
    sent = [m for m in mail.outbox if "Service" in m.subject]
    assert len(sent) == 2
    # y = 100.36 - 2.214 t over 7 values; August (t = 7): 84.86, s = 0.655, t(5) = 2.571,
    # half-width 2.571 x 0.655 x sqrt(1 + 1/7 + 16/28) = 2.20
    assert "01/08/2026" in sent[0].body and "84,9" in sent[0].body and "82,7" in sent[0].body and "87,1" in sent[0].body
    assert "7" in sent[0].body and "95 %" in sent[0].body
    client.force_login(owner)
    assert client.get(f"/api/v1/objectives/indicators/{indicator.pk}/analysis/").json()["forecast"]["breach_period"] == "2026-08-01"


def test_a_forecast_alert_that_no_longer_holds_when_sent_says_nothing(world):
    indicator = IndicatorFactory(organization=world.a.organization, owner=world.a.users[Role.PROCESS_OWNER], name="Délais")
    for month, value in enumerate(("100", "98", "96", "94"), start=1):
        MeasurementFactory(indicator=indicator, period_on=datetime.date(2026, month, 1), value=D(value))
    with organization_context(world.a.organization):
        alerts.plan_objectives_reminders(today=datetime.date(2026, 4, 20))
    MeasurementFactory(indicator=indicator, period_on=datetime.date(2026, 5, 1), value=D("100"))  # back up before the sweep
    reminders.send_pending(organization=world.a.organization)
    assert not [m for m in mail.outbox if "Délais" in m.subject]


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
