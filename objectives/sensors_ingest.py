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
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from objectives.models import Device
from objectives.sensors_sql import PENDING, READINGS, STATE

MAX_ROWS = 50_000
MAX_BYTES = 8 * 1024 * 1024
# A device clock a little ahead of ours is tolerated; a reading further in the future is not.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# Older readings are refused: each month of data needs its partition, made on demand.
MAX_AGE = datetime.timedelta(days=366 * 5)
STAGING = "objectives_reading_batch"


class BatchError(Exception):
    """The batch as a whole cannot be read (not JSON, no rows, too many rows)."""


@dataclass(frozen=True)
class RawRow:
    """One reading as sent: ``number`` is its line (CSV, header = 1) or position (JSON, from 1)."""

    number: int
    device: str | None
    at: object
    value: object
    unit: str | None = None


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
    width = len(header)
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not cells:
            continue
        cells = cells + [""] * (width - len(cells))
        rows.append(RawRow(
            number, cells[device_i] if device_i is not None else None, cells[at_i], cells[value_i],
            (cells[unit_i] or None) if unit_i is not None else None,
        ))
        if len(rows) > MAX_ROWS:
            break
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
    """Valid rows as (device_id, measured_at, value), ready for COPY."""

    rows: list[tuple[int, datetime.datetime, float]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


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


def validate(rows: Iterable[RawRow], *, devices: dict[str, Device], default: Device | None,
             now: datetime.datetime) -> _Checked:
    """Every row checked: known device, unit, numeric value within the device's valid range,
    a dated timestamp neither in the future nor too old, no duplicate and no step back in time
    for a device within the batch. Errors name the row and the field."""
    checked = _Checked()
    latest = now + CLOCK_SKEW
    oldest = now - MAX_AGE
    seen: dict[tuple[int, datetime.datetime], int] = {}
    previous: dict[int, tuple[datetime.datetime, int]] = {}
    for row in rows:
        errors = checked.errors
        before = len(errors)
        device = default if row.device in (None, "") else devices.get(row.device)
        if device is None or (default is not None and device.pk != default.pk):
            errors.append(RowError(row.number, "device", _("Unknown sensor: {code}.").format(code=row.device or "—")))
            continue
        if row.unit not in (None, "", device.unit):
            errors.append(RowError(row.number, "unit", _("Unit {unit} sent, the sensor measures in {expected}.").format(
                unit=row.unit, expected=device.unit)))
        value, message = _parse_value(row.value)
        if message:
            errors.append(RowError(row.number, "value", message))
        elif not device.valid_min <= value <= device.valid_max:
            errors.append(RowError(row.number, "value", _("{value} is outside the sensor's valid range ({low} to {high}).").format(
                value=value, low=device.valid_min, high=device.valid_max)))
        at, message = _parse_at(row.at)
        if message:
            errors.append(RowError(row.number, "at", message))
        elif at > latest:
            errors.append(RowError(row.number, "at", _("This reading is in the future.")))
        elif at < oldest:
            errors.append(RowError(row.number, "at", _("This reading is too old to be stored.")))
        else:
            _check_order(row, device.pk, at, seen, previous, errors)
        if len(errors) == before:
            checked.rows.append((device.pk, at, value))
    return checked


def _check_order(row, device_id, at, seen, previous, errors) -> None:
    """A device's readings go forward in time within a batch: an equal time is a duplicate,
    an earlier one is out of order (each is named with the row it clashes with)."""
    key = (device_id, at)
    if key in seen:
        errors.append(RowError(row.number, "at", _("Duplicate of row {row}.").format(row=seen[key])))
        return
    seen[key] = row.number
    last = previous.get(device_id)
    if last is not None and at < last[0]:
        errors.append(RowError(row.number, "at", _("Out of order: earlier than row {row}.").format(row=last[1])))
        return
    previous[device_id] = (at, row.number)


# --- writing ---------------------------------------------------------------------------------

def ensure_partitions(months: Iterable[datetime.date]) -> None:
    """Create the monthly partitions these months need (owner-made, with their policy)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT objectives_sensor_partition(m) FROM unnest(%s::date[]) AS m", [sorted(set(months))])


def _months(rows) -> set[datetime.date]:
    return {at.astimezone(datetime.UTC).date().replace(day=1) for _device, at, _value in rows}


# The hours that got new rows are queued with DO UPDATE (not DO NOTHING): the row lock makes a
# roll-up that is claiming the same hour skip it (SKIP LOCKED) or wait, so no reading committed
# after a roll-up's snapshot is ever dropped from the queue unseen.
_INSERT = f"""
WITH inserted AS (
    INSERT INTO {READINGS} (organization_id, device_id, measured_at, value)
    SELECT %(organization)s, device_id, measured_at, value FROM {STAGING}
    ON CONFLICT DO NOTHING
    RETURNING device_id, measured_at, value
), pending AS (
    INSERT INTO {PENDING} (organization_id, device_id, hour)
    SELECT DISTINCT %(organization)s, device_id, date_trunc('hour', measured_at, 'UTC') FROM inserted
    ON CONFLICT (organization_id, device_id, hour) DO UPDATE SET hour = excluded.hour
), latest AS (
    INSERT INTO {STATE} AS s (organization_id, device_id, last_measured_at, last_value, received, last_received_at)
    SELECT DISTINCT ON (device_id) %(organization)s, device_id, measured_at, value,
           count(*) OVER (PARTITION BY device_id), now()
    FROM inserted ORDER BY device_id, measured_at DESC
    ON CONFLICT (device_id, organization_id) DO UPDATE SET
        last_value = CASE WHEN excluded.last_measured_at >= s.last_measured_at THEN excluded.last_value ELSE s.last_value END,
        last_measured_at = GREATEST(s.last_measured_at, excluded.last_measured_at),
        received = s.received + excluded.received,
        last_received_at = excluded.last_received_at
)
SELECT count(*) FROM inserted
"""


def write(rows: list[tuple[int, datetime.datetime, float]], *, organization_id: int) -> int:
    """COPY the checked rows to staging, then insert the new ones; returns how many were new."""
    ensure_partitions(_months(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} (device_id bigint, measured_at timestamptz, value float8)"
            " ON COMMIT DELETE ROWS"
        )
        with cursor.copy(f"COPY {STAGING} (device_id, measured_at, value) FROM STDIN") as copy:
            copy.write("".join([f"{device}\t{at.isoformat()}\t{value!r}\n" for device, at, value in rows]))
        cursor.execute(_INSERT, {"organization": organization_id})
        inserted = cursor.fetchone()[0]
        cursor.execute(f"TRUNCATE {STAGING}")  # a second batch in the same transaction starts empty
    return inserted


def readings_ingest(*, organization, rows: list[RawRow], devices: dict[str, Device], default: Device | None = None,
                    now: datetime.datetime | None = None) -> IngestReport:
    """Validate a batch and store it whole, or report every row's errors and store nothing.

    ``devices`` maps the codes the sender may write to (already checked with ``can()``);
    ``default`` is the device a device token authenticates (rows may then omit the code).
    """
    report = IngestReport(received=len(rows))
    checked = validate(rows, devices=devices, default=default, now=now or timezone.now())
    if checked.errors:
        report.errors = checked.errors
        return report
    with transaction.atomic():
        report.inserted = write(checked.rows, organization_id=organization.pk)
    if report.inserted:
        from objectives.sensors_tasks import schedule_rollups

        schedule_rollups(organization_id=organization.pk)
    return report
