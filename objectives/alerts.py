"""Reminders of the objectives app: a measurement due (manual indicators, to their owner) and
the alerts (an indicator turned red, a forecast predicts it will): in-app notification and
e-mail through ``qse.reminders``, once per crossing since a reminder row is unique per
(recipient, kind, occurrence, indicator): the occurrence of "turned red" is the period that
crossed, that of a forecast the period from which the forecasts kept predicting the crossing."""

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

# How far back a forecast episode is looked for (periods): a trend told long ago is not retold.
EPISODE_LOOKBACK = 36


def alerts_for(*, series: list[tuple[datetime.date, object]], thresholds: kpi.Thresholds, frequency: str) -> list[tuple[str, datetime.date]]:
    """Pure: (kind, occurrence) of the alerts a series calls for. Red: the latest value is red
    and the one before was not (occurrence: the period that crossed). Forecast: the latest is
    not red and the OLS forecast crosses the red threshold within its horizon; its occurrence is
    the period from which the forecasts have kept predicting a crossing (the episode's start),
    not the period predicted: each new value moves the predicted period, and the owner would
    otherwise be told of the same crossing again every time it moves."""
    if not series:
        return []
    latest_period, _latest_value = series[-1]
    levels = [kpi.level_of(value, thresholds) for _period, value in series[-2:]]
    if levels[-1] == IndicatorStatus.RED:
        return [(ReminderKind.INDICATOR_RED, latest_period)] if len(levels) == 1 or levels[0] != IndicatorStatus.RED else []
    start = forecast_episode_start(series=series, thresholds=thresholds)
    return [] if start is None else [(ReminderKind.INDICATOR_FORECAST, start)]


def breach_forecast(*, series: list[tuple[datetime.date, object]], thresholds: kpi.Thresholds) -> forecast.Forecast | None:
    """Pure: the OLS forecast of the series when it crosses the red threshold within its
    horizon, None otherwise (no threshold, too few values, no crossing)."""
    if thresholds.red is None:
        return None
    prediction = forecast.ols_forecast(
        [float(value) for _period, value in series], red_threshold=float(thresholds.red),
        higher_is_better=thresholds.direction == Direction.HIGHER_IS_BETTER,
    )
    return prediction if prediction is not None and prediction.breach_step is not None else None


def forecast_episode_start(*, series: list[tuple[datetime.date, object]], thresholds: kpi.Thresholds) -> datetime.date | None:
    """Pure: the first period of the run of latest periods, ending with the last one, whose
    series (up to that period) each forecast a crossing, none of them red; None when the
    latest forecast crosses nothing."""
    start = None
    for end in range(len(series), max(len(series) - EPISODE_LOOKBACK, 0), -1):
        head = series[:end]
        if kpi.level_of(head[-1][1], thresholds) == IndicatorStatus.RED or breach_forecast(series=head, thresholds=thresholds) is None:
            break
        start = head[-1][0]
    return start


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
    """The alert's words; a forecast is recomputed from the indicator's values when sent (a pure
    function of them: the page shows the same figures) and says nothing once the trend no
    longer crosses."""
    indicator = _indicator(reminder)
    if indicator is None:
        return None
    unit = indicator.unit
    if reminder.kind == ReminderKind.INDICATOR_RED:
        subject = _("{indicator} turned red").format(indicator=indicator)
        body = _("The value of the period starting {period} is at or beyond the red threshold ({red} {unit}).").format(
            period=formats.date_format(reminder.occurrence, "SHORT_DATE_FORMAT"),
            red=formats.localize(indicator.red_threshold), unit=unit)
        return Message(subject=subject, body=body, url=indicator.get_absolute_url())
    series = selectors.series_of(indicator)
    prediction = breach_forecast(series=series, thresholds=selectors.thresholds_of(indicator))
    if prediction is None:
        return None
    step = prediction.breach_step
    period = kpi.shift_period(series[-1][0], indicator.frequency, step)
    body = _(
        "On its current trend (least squares over the last {window} values, 95 % prediction interval) the indicator "
        "would reach its red threshold ({red} {unit}) in the period starting {period}: {value} {unit} forecast, "
        "between {low} and {high}. A preventive action can be opened from its page."
    ).format(window=prediction.window, red=formats.localize(indicator.red_threshold), unit=unit,
             period=formats.date_format(period, "SHORT_DATE_FORMAT"),
             value=_figure(prediction.predicted[step - 1]), low=_figure(prediction.lower[step - 1]),
             high=_figure(prediction.upper[step - 1]))
    subject = _("{indicator} is forecast to turn red").format(indicator=indicator)
    return Message(subject=subject, body=body, url=indicator.get_absolute_url())


def _figure(value: float) -> str:
    return formats.number_format(round(value, 1), 1, use_l10n=True)
