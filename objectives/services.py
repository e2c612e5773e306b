"""Every write of the objectives app: measurements (entered, imported, computed), the
refresh of computed indicators, the alerts, and moving a task on the Gantt."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from objectives import kpi
from objectives.choices import MeasurementOrigin
from objectives.models import Indicator, Measurement
from objectives.sources import is_computed, source_for
from qse import services as generic
from qse.permissions import can
from qse.tenancy import current_organization

# Computed indicators are recomputed over this many past periods (late data, corrected events).
REFRESH_PERIODS = 13


def measurement_create(*, acting_user, data: dict) -> Measurement:
    """A value entered by hand (or through the API) for the period that holds ``period_on``.
    Only who may add a measurement to *this* indicator (its owner, its process owner, a
    coordinator) may; a computed indicator takes no hand-entered value."""
    indicator: Indicator = data["indicator"]
    if is_computed(indicator.source):
        raise ValidationError({"indicator": _("This indicator is computed by the application: its values are not entered by hand.")})
    period_on = kpi.period_start(data["period_on"], indicator.frequency)
    measurement = Measurement(
        organization=current_organization(), created_by=acting_user, indicator=indicator, period_on=period_on,
        value=data["value"], comment=data.get("comment", ""), origin=data.get("origin", MeasurementOrigin.MANUAL),
    )
    if not can(acting_user, "add", measurement):
        raise PermissionDenied(_("You are not allowed to do this."))
    with generic.recorded(acting_user):
        measurement.validate_unique()
        measurement.validate_constraints()
        measurement.save()
    transaction.on_commit(lambda: _enqueue_alert_check(indicator))
    return measurement


def measurement_update(*, measurement: Measurement, acting_user, data: dict, expected_version: int | None) -> Measurement:
    """A corrected value (locked, versioned); the period stays the period's first day."""
    indicator = data.get("indicator", measurement.indicator)
    if "period_on" in data:
        data = {**data, "period_on": kpi.period_start(data["period_on"], indicator.frequency)}
    updated = generic.object_update(obj=measurement, acting_user=acting_user, data=data, expected_version=expected_version)
    transaction.on_commit(lambda: _enqueue_alert_check(indicator))
    return updated


def measurements_import(*, instances: list[Measurement], acting_user) -> None:
    """Imported rows (inside the import's transaction): each filed under its period's first
    day, refused when the importer may not add to that indicator or it is computed."""
    from qse.imports import bulk_save

    for row in instances:
        if is_computed(row.indicator.source) or not can(acting_user, "add", row):
            raise PermissionDenied(_("You may not add values to {indicator}.").format(indicator=row.indicator))
        row.period_on = kpi.period_start(row.period_on, row.indicator.frequency)
        row.origin = MeasurementOrigin.IMPORT
    bulk_save(instances, acting_user)


def _enqueue_alert_check(indicator: Indicator) -> None:
    from objectives.tasks import indicator_alerts_task

    indicator_alerts_task.delay(organization_id=indicator.organization_id, indicator_id=indicator.pk)


# --- computed indicators ---------------------------------------------------------------------


def indicator_refresh(*, indicator: Indicator, today: datetime.date) -> int:
    """Recompute a computed indicator's recent periods and store what changed (task context,
    run under its owner's membership). Returns the number of values written."""
    with generic.recorded(None, reason="computed"):
        return refresh_values(indicator=indicator, today=today)


def refresh_values(*, indicator: Indicator, today: datetime.date) -> int:
    """``indicator_refresh`` inside the caller's history context (the demo seed's: a nested
    context would rename the whole seed's history)."""
    source = source_for(indicator.source)
    if source is None or source.provider is None:
        return 0
    last = kpi.expected_period(indicator.frequency, today)
    # Complete periods only: a running month's rate would read as the latest value.
    periods = [kpi.shift_period(last, indicator.frequency, -n) for n in range(REFRESH_PERIODS - 1, -1, -1)]
    existing = {m.period_on: m for m in Measurement.objects.filter(indicator=indicator, period_on__in=periods)}
    written = 0
    for start in periods:
        value = source.provider(indicator=indicator, start=start, end=kpi.period_end(start, indicator.frequency))
        written += _store(indicator, start, value, existing.get(start))
    return written


def _store(indicator: Indicator, period_on: datetime.date, value: Decimal | None, current: Measurement | None) -> int:
    if value is None:
        return 0
    value = Decimal(value).quantize(Decimal("0.0001"))
    if current is None:
        Measurement.objects.create(
            organization_id=indicator.organization_id, indicator=indicator, period_on=period_on, value=value,
            origin=MeasurementOrigin.COMPUTED,
        )
        return 1
    if current.value == value:
        return 0
    Measurement.objects.filter(pk=current.pk).update(value=value, version=current.version + 1)
    return 1
