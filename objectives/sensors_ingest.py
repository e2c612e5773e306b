"""Ingestion of sensor readings in batches (JSON or CSV): parse, validate every row, then
write the whole batch or nothing.

The write path is COPY into a session-local staging table, then one ``INSERT ... SELECT
... ON CONFLICT DO NOTHING`` into the partitioned table, so a replayed batch (a device that
did not get our answer and sends again) stores nothing twice: readings are unique on
(organization, device, measured_at). The same statement queues the hours that got new rows
for the roll-ups and moves each device's latest value.
"""

from __future__ import annotations

import csv
import datetime
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from objectives.models import Device
from objectives.sensors_sql import PENDING, READINGS, STATE

MAX_ROWS = 50_000
MAX_BYTES = 5 * 1024 * 1024  # settings.DATA_UPLOAD_MAX_MEMORY_SIZE: the body is read whole
# A device clock a little ahead of ours is tolerated; a reading further in the future is not.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# Older readings are refused: each month of data needs its partition, made on demand.
MAX_AGE = datetime.timedelta(days=366 * 5)
STAGING = "objectives_reading_batch"


class BatchError(Exception):
    """The batch as a whole cannot be read (not JSON, no rows, too many rows)."""


class RawRow(NamedTuple):
    """One reading as sent: ``number`` is its line (CSV, header = 1) or position (JSON, from 1).
    A tuple, not a dataclass: a batch makes tens of thousands of them."""

    number: int
    device: str | None
    at: object
    value: object
    unit: str | None = None


class DeviceLimits(NamedTuple):
    """What a reading is checked against: the fields of a device ingestion reads (a Device
    has them too)."""

    pk: int
    code: str
    unit: str
    valid_min: float
    valid_max: float


def device_limits(devices) -> list[DeviceLimits]:
    """A queryset of devices read as their limits only (no model instances)."""
    return [DeviceLimits(*row) for row in devices.values_list(*DeviceLimits._fields)]


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class IngestReport:
    """What happened to a batch: nothing written when there are errors."""

    received: int
    inserted: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def already_stored(self) -> int:
        return 0 if self.errors else self.received - self.inserted

    def as_dict(self) -> dict:
        return {
            "received": self.received, "inserted": self.inserted, "already_stored": self.already_stored,
            "errors": [error.as_dict() for error in self.errors],
        }


# --- parsing ---------------------------------------------------------------------------------

def parse_json(data) -> list[RawRow]:
    """``{"readings": [{"device": "code", "at": "ISO 8601", "value": 1.5, "unit": "dB(A)"}]}``
    or the list alone; ``device`` may be left out when a device token authenticates."""
    items = data.get("readings") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise BatchError(_('Send a list of readings, or an object with a "readings" list.'))
    _check_size(len(items))
    rows = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            item = {}
        device = item.get("device")
        rows.append(RawRow(number, None if device is None else str(device), item.get("at"), item.get("value"), item.get("unit")))
    return rows


def parse_csv(text: str) -> list[RawRow]:
    """A header line naming ``at`` and ``value`` (and ``device``, ``unit`` when needed), comma
    or semicolon separated; row numbers are the file's line numbers."""
    lines = text.splitlines()
    if not lines:
        raise BatchError(_("The CSV batch is empty."))
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    missing = {"at", "value"} - set(header)
    if missing:
        raise BatchError(_("The CSV header must name the columns: {columns}.").format(columns=", ".join(sorted(missing))))
    at_i, value_i = header.index("at"), header.index("value")
    device_i = header.index("device") if "device" in header else None
    unit_i = header.index("unit") if "unit" in header else None
    if '"' in text:  # quoted cells: the csv module's rules
        cells_of = csv.reader(lines[1:MAX_ROWS + 2], delimiter=delimiter)
    else:  # the usual machine-written file: a split per line is five times faster
        cells_of = (line.split(delimiter) for line in lines[1:MAX_ROWS + 2])
    width = len(header)
    rows = []
    for number, cells in enumerate(cells_of, start=2):
        if len(cells) < width:
            if not cells or cells == [""]:
                continue
            cells = cells + [""] * (width - len(cells))
        rows.append(RawRow(
            number, cells[device_i] if device_i is not None else None, cells[at_i], cells[value_i],
            (cells[unit_i] or None) if unit_i is not None else None,
        ))
    _check_size(len(rows))
    return rows


def _check_size(count: int) -> None:
    if count == 0:
        raise BatchError(_("The batch holds no reading."))
    if count > MAX_ROWS:
        raise BatchError(_("A batch holds at most {limit} readings.").format(limit=MAX_ROWS))


# --- validation ------------------------------------------------------------------------------

@dataclass
class _Checked:
    """Valid rows as (device_id, measured_at as COPY text, value), and the batch's first and
    last POSIX seconds (which monthly partitions it needs)."""

    rows: list[tuple[int, str, float]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    first: float = math.inf
    last: float = -math.inf


@dataclass(frozen=True)
class _Target:
    """What a row is checked against, read once per device (not once per row)."""

    pk: int
    unit: str
    low: float
    high: float


def _targets(devices: dict[str, Device], default: Device | None) -> tuple[dict[str, _Target], _Target | None]:
    def target(device):
        return _Target(device.pk, device.unit, device.valid_min, device.valid_max)

    if default is not None:  # a device token: its own code only
        own = target(default)
        return {default.code: own}, own
    return {code: target(device) for code, device in devices.items()}, None


# A time PostgreSQL reads exactly as Python did goes to COPY as sent; any other ISO 8601 form
# Python accepts (week dates, basic format...) is written out by isoformat() first.
_PLAIN_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d(:\d\d)?)\Z").match


@dataclass
class _Bounds:
    latest: float  # POSIX seconds
    oldest: float


def validate(rows: Iterable[RawRow], *, devices: dict[str, Device], default: Device | None,
             now: datetime.datetime) -> _Checked:
    """Every row checked: known device, unit, numeric value within the device's valid range,
    a dated timestamp neither in the future nor too old, no duplicate and no step back in time
    for a device within the batch. Errors name the row and the field.

    This loop runs for every reading a plant sends, so a row that passes costs a float(), a
    fromisoformat() and a few comparisons of POSIX seconds; only a row that fails goes through
    ``_row_errors``, which finds the words for it."""
    checked = _Checked()
    targets, default_target = _targets(devices, default)
    bounds = _Bounds((now + CLOCK_SKEW).timestamp(), (now - MAX_AGE).timestamp())
    previous: dict[int, tuple[float, int]] = {}  # device -> (latest second, its row) in this batch
    valid = checked.rows
    fromisoformat, plain = datetime.datetime.fromisoformat, _PLAIN_TIME
    first_second, last_second = math.inf, -math.inf
    for row in rows:
        number, code, at_raw, value_raw, unit = row
        target = default_target if code is None or code == "" else targets.get(code)
        try:
            value = float(value_raw)
            at = fromisoformat(at_raw)
        except (TypeError, ValueError):  # "65,2", " 2026-…", None: the careful parsers decide
            value, at = _parse_value(value_raw)[0], _parse_at(at_raw)[0]
            if value is None or at is None:
                target = None
        if target is not None:
            second = at.timestamp()
        if (target is None or at.tzinfo is None or value_raw.__class__ is bool
                or not target.low <= value <= target.high or not bounds.oldest <= second <= bounds.latest
                or (unit is not None and unit != "" and unit != target.unit)):
            checked.errors += _row_errors(row, targets, default_target, bounds)
            continue
        last = previous.get(target.pk)
        if last is not None and second <= last[0]:
            checked.errors.append(_order_error(row, second, last))
            continue
        previous[target.pk] = (second, number)
        valid.append((target.pk, at_raw if plain(at_raw) else at.isoformat(), value))
        first_second, last_second = min(first_second, second), max(last_second, second)
    checked.first, checked.last = first_second, last_second
    return checked


def _row_errors(row: RawRow, targets: dict, default_target, bounds: _Bounds) -> list[RowError]:
    """Why a row was refused, field by field."""
    target = default_target if row.device in (None, "") else targets.get(row.device)
    if target is None:
        return [RowError(row.number, "device", _("Unknown sensor: {code}.").format(code=row.device or "—"))]
    errors = []
    if row.unit not in (None, "", target.unit):
        errors.append(RowError(row.number, "unit", _("Unit {unit} sent, the sensor measures in {expected}.").format(
            unit=row.unit, expected=target.unit)))
    value, message = _parse_value(row.value)
    if message:
        errors.append(RowError(row.number, "value", message))
    elif not target.low <= value <= target.high:
        errors.append(RowError(row.number, "value", _("{value} is outside the sensor's valid range ({low} to {high}).").format(
            value=value, low=target.low, high=target.high)))
    at, message = _parse_at(row.at)
    if message:
        errors.append(RowError(row.number, "at", message))
    elif at.timestamp() > bounds.latest:
        errors.append(RowError(row.number, "at", _("This reading is in the future.")))
    elif at.timestamp() < bounds.oldest:
        errors.append(RowError(row.number, "at", _("This reading is too old to be stored.")))
    return errors


def _order_error(row: RawRow, second: float, last: tuple[float, int]) -> RowError:
    """A device's readings go forward in time within a batch: the time of the device's latest
    row is a duplicate of it, an earlier time is out of order (named with that row)."""
    if second == last[0]:
        return RowError(row.number, "at", _("Duplicate of row {row}.").format(row=last[1]))
    return RowError(row.number, "at", _("Out of order: earlier than row {row}.").format(row=last[1]))


def _parse_at(raw) -> tuple[datetime.datetime | None, str]:
    if not isinstance(raw, str) or not raw:
        return None, _("A date and time is required (ISO 8601, with its time zone).")
    try:
        at = datetime.datetime.fromisoformat(raw.strip())
    except ValueError:
        return None, _("Not a date and time: {value}.").format(value=raw[:40])
    if at.tzinfo is None:
        return None, _("The time zone is missing (add Z or +01:00, for example).")
    return at, ""


def _parse_value(raw) -> tuple[float | None, str]:
    if isinstance(raw, bool) or raw is None or raw == "":
        return None, _("A numeric value is required.")
    try:
        value = float(raw.replace(",", ".")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        return None, _("Not a number: {value}.").format(value=str(raw)[:40])
    if not math.isfinite(value):
        return None, _("Not a number: {value}.").format(value=str(raw)[:40])
    return value, ""


# --- writing ---------------------------------------------------------------------------------

def ensure_partitions(months: Iterable[datetime.date]) -> None:
    """Create the monthly partitions these months need (owner-made, with their policy)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT objectives_sensor_partition(m) FROM unnest(%s::date[]) AS m", [sorted(set(months))])


def months_between(first: float, last: float) -> list[datetime.date]:
    """The first days of the UTC months from POSIX second ``first`` to ``last``."""
    month = datetime.datetime.fromtimestamp(first, datetime.UTC).date().replace(day=1)
    end = datetime.datetime.fromtimestamp(last, datetime.UTC).date()
    months = []
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


# The UTC hour of a reading: date_bin is arithmetic on the timestamp, a third of the cost of
# date_trunc('hour', ..., 'UTC') (a time zone conversion per row), and the same hour.
HOUR_OF = "date_bin('1 hour', measured_at, TIMESTAMPTZ '2000-01-01 00:00+00')"
# A device's latest value moves only forward in time (a late batch of older readings keeps it).
STATE_CONFLICT = """ON CONFLICT (device_id, organization_id) DO UPDATE SET
        last_value = CASE WHEN excluded.last_measured_at >= s.last_measured_at THEN excluded.last_value ELSE s.last_value END,
        last_measured_at = GREATEST(s.last_measured_at, excluded.last_measured_at),
        received = s.received + excluded.received,
        last_received_at = excluded.last_received_at"""
# The hours that got new rows are queued with DO UPDATE (not DO NOTHING): the row lock makes a
# roll-up that is claiming the same hour skip it (SKIP LOCKED) or wait, so no reading committed
# after a roll-up's snapshot is ever dropped from the queue unseen.
PENDING_CONFLICT = "ON CONFLICT (organization_id, device_id, hour) DO UPDATE SET hour = excluded.hour"
QUEUE_AND_STATE = f"""
pending AS (
    INSERT INTO {PENDING} (organization_id, device_id, hour)
    SELECT DISTINCT %(organization)s, device_id, {HOUR_OF} FROM new_rows
    {PENDING_CONFLICT}
), latest AS (
    INSERT INTO {STATE} AS s (organization_id, device_id, last_measured_at, last_value, received, last_received_at)
    SELECT DISTINCT ON (device_id) %(organization)s, device_id, measured_at, value,
           count(*) OVER (PARTITION BY device_id), now()
    FROM new_rows ORDER BY device_id, measured_at DESC
    {STATE_CONFLICT}
)
"""
# Usually every row of a batch is new: a plain INSERT (a third cheaper than ON CONFLICT),
# then the queue and the state from the staging rows themselves.
_INSERT_NEW = f"""
INSERT INTO {READINGS} (organization_id, device_id, measured_at, value)
SELECT %(organization)s, device_id, measured_at, value FROM {STAGING}
"""
_AFTER_NEW = f"WITH new_rows AS (SELECT device_id, measured_at, value FROM {STAGING}), {QUEUE_AND_STATE} SELECT count(*) FROM new_rows"
# A replay (or an overlap): only the rows that were not stored yet count.
_INSERT_MISSING = f"""
WITH new_rows AS (
    INSERT INTO {READINGS} (organization_id, device_id, measured_at, value)
    SELECT %(organization)s, device_id, measured_at, value FROM {STAGING}
    ON CONFLICT DO NOTHING
    RETURNING device_id, measured_at, value
), {QUEUE_AND_STATE} SELECT count(*) FROM new_rows"""


def ensure_staging(cursor) -> None:
    """The session's staging table (no row-level security: it is private to the session, and
    PostgreSQL refuses COPY FROM into a table under a policy, the readings included)."""
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} (device_id bigint, measured_at timestamptz, value float8, ok boolean)"
        " ON COMMIT DELETE ROWS"
    )


def insert_staged(cursor, *, organization_id: int) -> int:
    """Insert the staged rows through the policy, queue their hours, move the devices' latest
    value; empty the staging table; the number of rows that were new."""
    params = {"organization": organization_id}
    try:
        with transaction.atomic():  # a savepoint: a stored row makes this plain INSERT fail
            cursor.execute(_INSERT_NEW, params)
        cursor.execute(_AFTER_NEW, params)
    except IntegrityError:
        cursor.execute(_INSERT_MISSING, params)
    inserted = cursor.fetchone()[0]
    cursor.execute(f"TRUNCATE {STAGING}")  # a second batch in the same transaction starts empty
    return inserted


def write(checked: _Checked, *, organization_id: int) -> int:
    """COPY rows checked in Python to staging, then insert the new ones; how many were new."""
    ensure_partitions(months_between(checked.first, checked.last))
    with connection.cursor() as cursor:
        ensure_staging(cursor)
        with cursor.copy(f"COPY {STAGING} (device_id, measured_at, value) FROM STDIN") as copy:
            copy.write("".join([f"{device}\t{at}\t{value!r}\n" for device, at, value in checked.rows]))
        return insert_staged(cursor, organization_id=organization_id)


def readings_ingest(*, organization, payload: str, fmt: str, devices: list[Device | DeviceLimits], default: Device | None = None,
                    now: datetime.datetime | None = None) -> IngestReport:
    """Store a batch (CSV or JSON text) whole, or report every row's errors and store nothing.

    ``devices`` are those the sender may write to (already checked with ``restrict()``);
    ``default`` is the device a device token authenticates (rows may then omit the code).
    PostgreSQL checks the batch first (sensors_ingest_sql); on any doubt, Python reads it
    again row by row and decides, with a message for each refused row.
    """
    from objectives.sensors_ingest_sql import readings_insert_checked

    now = now or timezone.now()
    targets = [(d.code, d.pk, d.unit, d.valid_min, d.valid_max) for d in devices]
    stored = readings_insert_checked(organization_id=organization.pk, payload=payload, fmt=fmt, targets=targets,
                                     default_code=default.code if default else None, now=now)
    if stored is None:
        rows = parse_csv(payload) if fmt == "csv" else parse_json(_json_loads(payload))
        return readings_ingest_rows(organization=organization, rows=rows, devices={d.code: d for d in devices},
                                    default=default, now=now)
    report = IngestReport(received=stored[0], inserted=stored[1])
    _after_ingest(organization, report)
    return report


def _json_loads(payload: str):
    from qse.api.parsers import MAX_DEPTH, depth_exceeds

    try:
        data = json.loads(payload)
    except (ValueError, RecursionError) as error:
        raise BatchError(_("The batch is not valid JSON.")) from error
    if depth_exceeds(data, MAX_DEPTH):
        raise BatchError(_("The JSON body is nested too deeply."))
    return data


def _after_ingest(organization, report: IngestReport) -> None:
    if report.inserted:
        from objectives.sensors_tasks import schedule_rollups

        schedule_rollups(organization_id=organization.pk)


def readings_ingest_rows(*, organization, rows: list[RawRow], devices: dict[str, Device], default: Device | None = None,
                         now: datetime.datetime | None = None) -> IngestReport:
    """The careful path: every row checked in Python, each refusal with its message."""
    report = IngestReport(received=len(rows))
    checked = validate(rows, devices=devices, default=default, now=now or timezone.now())
    if checked.errors:
        report.errors = checked.errors
        return report
    with transaction.atomic():
        report.inserted = write(checked, organization_id=organization.pk)
    _after_ingest(organization, report)
    return report
