"""Reads over sensor data, from the roll-ups only (never the raw readings in a request).

For the pages of this module and for indicators fed by a sensor (``Indicator.device``, added
at merge): a device's series over a period at hourly or daily grain, and, for several
devices in one query, their latest value and their aggregates over a period. Callers pass
devices they have already checked with ``restrict()`` / ``can()``; row-level security still
limits every query to the active organization.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

from objectives.sensors_choices import Grain
from objectives.sensors_sql import DAILY, DAY_ZONE, HOURLY, STATE


@dataclass(frozen=True)
class SeriesPoint:
    """One hour (``at`` a UTC datetime) or one local day (``at`` a date) of a device."""

    at: datetime.datetime | datetime.date
    readings: int
    mean: float
    minimum: float
    maximum: float
    out_of_range: int


@dataclass(frozen=True)
class DeviceFigures:
    """A device's latest reading and its aggregates over a period (None: no reading in it)."""

    device_id: int
    last_value: float | None
    last_measured_at: datetime.datetime | None
    readings: int
    mean: float | None
    minimum: float | None
    maximum: float | None
    out_of_range: int


def _day_bounds(start: datetime.date, end: datetime.date) -> tuple[str, list]:
    """SQL bounds of the hours of local days [start, end)."""
    return (
        f"hour >= (%s::timestamp AT TIME ZONE '{DAY_ZONE}') AND hour < (%s::timestamp AT TIME ZONE '{DAY_ZONE}')",
        [start, end],
    )


def device_series(*, device_id: int, start: datetime.date, end: datetime.date, grain: str = Grain.DAY) -> list[SeriesPoint]:
    """A device's points over the local days [start, end), oldest first: one per hour that had
    readings (``grain="hour"``) or one per day (``grain="day"``); one query on a roll-up."""
    if grain == Grain.HOUR:
        bounds, params = _day_bounds(start, end)
        sql = (f"SELECT hour, readings, total / readings, minimum, maximum, out_of_range FROM {HOURLY}"
               f" WHERE device_id = %s AND {bounds} ORDER BY hour")
    else:
        sql = (f"SELECT day, readings, total / readings, minimum, maximum, out_of_range FROM {DAILY}"
               " WHERE device_id = %s AND day >= %s AND day < %s ORDER BY day")
        params = [start, end]
    with connection.cursor() as cursor:
        cursor.execute(sql, [device_id, *params])
        return [SeriesPoint(*row) for row in cursor.fetchall()]


_FIGURES = f"""
SELECT ids.device_id, s.last_value, s.last_measured_at,
       coalesce(sum(d.readings), 0), sum(d.total) / nullif(sum(d.readings), 0), min(d.minimum), max(d.maximum),
       coalesce(sum(d.out_of_range), 0)
FROM unnest(%(ids)s::bigint[]) AS ids(device_id)
LEFT JOIN {STATE} s ON s.device_id = ids.device_id
LEFT JOIN {DAILY} d ON d.device_id = ids.device_id AND d.day >= %(start)s AND d.day < %(end)s
GROUP BY ids.device_id, s.last_value, s.last_measured_at
"""


def devices_figures(*, device_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict[int, DeviceFigures]:
    """Latest value and aggregates over the local days [start, end) of several devices, in
    one query on the daily roll-up and the devices' state; every asked id has an entry."""
    ids = sorted(set(device_ids))
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_FIGURES, {"ids": ids, "start": start, "end": end})
        return {row[0]: DeviceFigures(*row) for row in cursor.fetchall()}


@dataclass(frozen=True)
class Window:
    label: object
    days: int


def device_windows(*, device_id: int, today: datetime.date, windows: list[Window]) -> list[tuple[Window, DeviceFigures]]:
    """The device page's figures over the last N local days for each window, in one query."""
    columns = ", ".join(
        f"coalesce(sum(readings) FILTER (WHERE day > %(today)s - {w.days}), 0),"
        f" sum(total) FILTER (WHERE day > %(today)s - {w.days}) / nullif(sum(readings) FILTER (WHERE day > %(today)s - {w.days}), 0),"
        f" min(minimum) FILTER (WHERE day > %(today)s - {w.days}), max(maximum) FILTER (WHERE day > %(today)s - {w.days}),"
        f" coalesce(sum(out_of_range) FILTER (WHERE day > %(today)s - {w.days}), 0)"
        for w in windows
    )
    longest = max(w.days for w in windows)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {DAILY} WHERE device_id = %(device)s AND day > %(today)s - {longest} AND day <= %(today)s",
            {"device": device_id, "today": today},
        )
        row = cursor.fetchone()
    return [
        (w, DeviceFigures(device_id, None, None, *row[i * 5:(i + 1) * 5])) for i, w in enumerate(windows)
    ]


def device_latest(*, device_id: int) -> tuple[float, datetime.datetime, int] | None:
    """(last value, when it was measured, readings received in total), or None."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value, last_measured_at, received FROM {STATE} WHERE device_id = %s", [device_id])
        return cursor.fetchone()
