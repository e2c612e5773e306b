"""What Python reads of a plain batch while PostgreSQL stores it (sensors_ingest_sql).

PostgreSQL types every cell of a plain batch and inserts it; meanwhile Python, idle until the
answer comes, reads each row from the same body (its shape is confirmed by sensors_shapes
first, so a split is exact) and checks it by sensors_ingest.validate's rules, and finds what
needs the rows in order: whether each device's times go forward, which hours got readings (the
roll-ups' queue) and each device's latest value and count. That spares PostgreSQL a sort of
the batch by device, a window over it and the checks (0.6 to 1 us a reading), for about 1.5 us
of Python that costs no time: PostgreSQL takes 3 us a reading meanwhile.

``summarize`` applies ``sensors_ingest.validate``'s rules in a leaner loop, not validate itself:
validate (its row objects, its fallbacks for loose spellings) took longer than PostgreSQL's
insert, and the gateway's JSON fell from 0.31 to 0.27-0.29 of COPY. The tests check that every
row validate refuses makes ``summarize`` give up too (tests/objectives/test_sensors_batch.py)."""

from __future__ import annotations

import datetime
import re
import typing

from objectives import sensors_shapes

# Every object's device, time, value and unit (its shape confirmed: codes, times and units hold
# no quote, a number no comma or brace).
_JSON_ROWS = {
    True: re.compile(r'"device": ?"([^"]*)", ?"at": ?"([^"]*)", ?"value": ?([^,}]*)'),
    False: re.compile(r'"at": ?"([^"]*)", ?"value": ?([^,}]*)'),
}
_JSON_UNITS = re.compile(r'"value": ?[^,}]*(?:, ?"unit": ?"([^"]*)")?\}')


class Limits(typing.NamedTuple):
    """What each row is checked against (sensors_ingest.validate's rules)."""

    devices: dict[str, tuple[int, str, float, float]]  # code -> (pk, unit, low, high)
    default_code: str | None
    oldest: float  # POSIX seconds
    latest: float


class BatchSummary(typing.NamedTuple):
    """The rows read, the hours (device, UTC hour) that got readings, and per device its
    latest time, that time's value, and how many rows it sent."""

    rows: int
    hours: list[tuple[int, datetime.datetime]]
    latest: dict[int, tuple[datetime.datetime, float, int]]


def json_cells(objects: str, with_device: bool, with_unit: bool) -> list[tuple]:
    """(device or None, time, value, unit or None) of each reading object, in order."""
    found = _JSON_ROWS[with_device].findall(objects)
    units = _JSON_UNITS.findall(objects) if with_unit else [None] * len(found)
    if with_device:
        return [(code, at, value, unit) for (code, at, value), unit in zip(found, units, strict=True)]
    return [(None, at, value, unit) for (at, value), unit in zip(found, units, strict=True)]


def csv_cells(payload: str) -> list[tuple] | None:
    """(device or None, time, value, unit or None) of each line after the header, in order."""
    header = sensors_shapes.csv_header(payload)
    if header is None:
        return None
    names, delimiter = header
    at, value = names.index("at"), names.index("value")
    device = names.index("device") if "device" in names else None
    unit = names.index("unit") if "unit" in names else None
    cells = []
    for line in payload.split("\n")[1:]:
        line = line.rstrip("\r")
        if line:
            parts = line.split(delimiter)
            cells.append((parts[device] if device is not None else None, parts[at], parts[value],
                          parts[unit] if unit is not None else None))
    return cells


def summarize(cells: list[tuple], limits: Limits) -> BatchSummary | None:
    """The batch's summary when every row passes sensors_ingest.validate's checks (a device the
    sender may write to, its unit if sent, a value within its range, a time within the bounds
    and later than the device's previous one); None at the first that does not (the careful
    path then finds the words for it)."""
    fromisoformat, devices, default_code = datetime.datetime.fromisoformat, limits.devices, limits.default_code
    oldest, newest, hours, latest = limits.oldest, limits.latest, set(), {}
    try:
        for code, at_text, value_text, unit in cells:
            pk, device_unit, low, high = devices[code or default_code]
            at, value = fromisoformat(at_text), float(value_text)
            second = at.timestamp()
            last = latest.get(pk)
            if (not low <= value <= high or not oldest <= second <= newest or (unit and unit != device_unit)
                    or (last is not None and second <= last[0])):
                return None
            latest[pk] = (second, at, value, 1 if last is None else last[3] + 1)
            hours.add((pk, int(second // 3600)))
    except (KeyError, ValueError):  # an unknown device; a month 13 (PostgreSQL refuses it too)
        return None
    utc = datetime.UTC
    return BatchSummary(
        rows=len(cells),
        hours=[(device, datetime.datetime.fromtimestamp(hour * 3600, utc)) for device, hour in sorted(hours)],
        latest={device: (at, value, count) for device, (_second, at, value, count) in latest.items()},
    )
