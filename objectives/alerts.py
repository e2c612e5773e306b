"""Reminders of the objectives app: a measurement due (manual indicators, to their owner) and
the alerts (an indicator turned red, a forecast predicts it will): in-app notification and
e-mail through ``qse.reminders``, once per crossing since a reminder row is unique per
(recipient, kind, occurrence, indicator): the occurrence of "turned red" is the period that
crossed, that of a forecast the period it predicts."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import formats
from django.utils.translation import gettext as _

from objectives import forecast, kpi, selectors
from objectives.choices import Direction, IndicatorStatus, ReminderKind
from objectives.models import Indicator
from qse.models import Reminder
from qse.reminders import Message, plan_reminders
from qse.reminders_planning import coordinator_ids
from qse.tenancy import current_organization


def alerts_for(*, series: list[tuple[datetime.date, object]], thresholds: kpi.Thresholds, frequency: str) -> list[tuple[str, datetime.date]]:
    """Pure: (kind, occurrence) of the alerts a series calls for. Red: the latest value is red
    and the one before was not. Forecast: the latest is not red and the OLS forecast crosses
    the red threshold within its horizon (occurrence: the period predicted)."""
    if not series:
        return []
    latest_period, latest_value = series[-1]
    levels = [kpi.level_of(value, thresholds) for _period, value in series[-2:]]
    if levels[-1] == IndicatorStatus.RED:
        return [(ReminderKind.INDICATOR_RED, latest_period)] if len(levels) == 1 or levels[0] != IndicatorStatus.RED else []
    if thresholds.red is None:
        return []
    prediction = forecast.ols_forecast(
        [float(value) for _period, value in series], red_threshold=float(thresholds.red),
        higher_is_better=thresholds.direction == Direction.HIGHER_IS_BETTER,
    )
    if prediction is None or prediction.breach_step is None:
        return []
    return [(ReminderKind.INDICATOR_FORECAST, kpi.shift_period(latest_period, frequency, prediction.breach_step))]


def plan_indicator_alerts(*, indicator: Indicator, series=None) -> int:
    """Plan the indicator's alerts for its owner and the coordinators (idempotent)."""
    series = selectors.series_of(indicator) if series is None else series
    found = alerts_for(series=series, thresholds=selectors.thresholds_of(indicator), frequency=indicator.frequency)
    if not found:
        return 0
    content_type = ContentType.objects.get_for_model(Indicator)
    recipients = {indicator.owner_id, *coordinator_ids()}
    return plan_reminders(rows=[
        Reminder(organization_id=indicator.organization_id, recipient_id=user_id, kind=kind, occurrence=occurrence,
                 content_type=content_type, object_id=indicator.pk)
        for kind, occurrence in found for user_id in sorted(recipients)
    ])


def plan_objectives_reminders(*, today: datetime.date) -> int:
    """The daily planner: measurements due, and the alerts of every indicator (two queries
    plus the inserts)."""
    organization = current_organization()
    if organization is None:
        return 0
    content_type = ContentType.objects.get_for_model(Indicator)
    rows = [
        Reminder(organization=organization, recipient_id=owner_id, kind=ReminderKind.MEASUREMENT_DUE, occurrence=period,
                 content_type=content_type, object_id=indicator_id)
        for indicator_id, owner_id, period in selectors.indicators_due(today=today)
    ]
    planned = plan_reminders(rows=rows)
    indicators = list(Indicator.objects.in_current_organization().filter(archived_at__isnull=True))
    first = today - datetime.timedelta(days=3 * 366)
    series = selectors.series_by_indicator([i.pk for i in indicators], first=first)
    return planned + sum(plan_indicator_alerts(indicator=i, series=series[i.pk]) for i in indicators)


def _indicator(reminder: Reminder) -> Indicator | None:
    return Indicator.objects.in_current_organization().filter(pk=reminder.object_id, archived_at__isnull=True).first()


def render_measurement_due(reminder: Reminder) -> Message | None:
    """Nothing once the value was entered."""
    indicator = _indicator(reminder)
    if indicator is None or indicator.measurements.filter(period_on=reminder.occurrence, archived_at__isnull=True).exists():
        return None
    period = formats.date_format(reminder.occurrence, "YEAR_MONTH_FORMAT")
    return Message(
        subject=_("Measurement due: {indicator} for {period}").format(indicator=indicator, period=period),
        body=_("The value of {indicator} for the period starting {period} is due. Enter it on the indicator's page.").format(
            indicator=indicator, period=formats.date_format(reminder.occurrence, "SHORT_DATE_FORMAT")),
        url=indicator.get_absolute_url(),
    )


def render_indicator_alert(reminder: Reminder) -> Message | None:
    indicator = _indicator(reminder)
    if indicator is None:
        return None
    period = formats.date_format(reminder.occurrence, "SHORT_DATE_FORMAT")
    if reminder.kind == ReminderKind.INDICATOR_RED:
        subject = _("{indicator} turned red").format(indicator=indicator)
        body = _("The value of the period starting {period} is at or beyond the red threshold ({red} {unit}).")
    else:
        subject = _("{indicator} is forecast to turn red").format(indicator=indicator)
        body = _(
            "On its current trend (least squares over the last 12 periods) the indicator would reach its red "
            "threshold ({red} {unit}) in the period starting {period}. A preventive action can be opened from its page."
        )
    body = body.format(period=period, red=formats.localize(indicator.red_threshold), unit=indicator.unit)
    return Message(subject=subject, body=body, url=indicator.get_absolute_url())
