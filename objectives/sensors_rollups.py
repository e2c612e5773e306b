"""Hourly and daily roll-ups of sensor readings, refreshed incrementally.

The ingestion queues every (device, hour) that received new rows, late ones included; a
refresh claims a slice of that queue, recomputes those hours from the raw readings (an index
range scan each), then the local days that contain them from the hourly roll-up. Pages,
dashboards and indicators read the roll-ups only, never the raw readings.

Claiming and aggregating are two statements in one transaction: the aggregate's snapshot is
taken after the claim, so it sees every reading whose queue entry it removed (an ingestion
still running holds its entry's lock, and SKIP LOCKED leaves it for the next refresh).
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction

from objectives.sensors_sql import DAILY, DAY_ZONE, HOURLY, PENDING, READINGS

CLAIM_SIZE = 5_000
MAX_ROUNDS = 200
_LOCK_NAMESPACE = 74_211  # pg_advisory_xact_lock(namespace, organization): one refresh at a time

_CLAIM = f"""
DELETE FROM {PENDING} p USING (
    SELECT organization_id, device_id, hour FROM {PENDING} WHERE organization_id = %(organization)s
    ORDER BY hour LIMIT %(limit)s FOR UPDATE SKIP LOCKED
) c
WHERE p.organization_id = c.organization_id AND p.device_id = c.device_id AND p.hour = c.hour
RETURNING p.device_id, p.hour
"""

# Out of range: outside the device's limits as they are now (a change of limits queues the
# device's hours again, see sensors_services.device_update). Each claimed hour reads its own
# rows (LATERAL: an index range scan in the one partition it falls in, whatever the planner's
# statistics on freshly loaded partitions say).
_HOURLY = f"""
INSERT INTO {HOURLY} (organization_id, device_id, hour, readings, total, minimum, maximum, out_of_range, refreshed_at)
SELECT d.organization_id, c.device_id, c.hour, agg.readings, agg.total, agg.minimum, agg.maximum, agg.out_of_range, now()
FROM unnest(%(devices)s::bigint[], %(hours)s::timestamptz[]) AS c(device_id, hour)
JOIN objectives_device d ON d.id = c.device_id
CROSS JOIN LATERAL (
    SELECT count(*) AS readings, sum(r.value) AS total, min(r.value) AS minimum, max(r.value) AS maximum,
           count(*) FILTER (WHERE r.value < d.limit_low OR r.value > d.limit_high) AS out_of_range
    FROM {READINGS} r
    WHERE r.device_id = c.device_id AND r.measured_at >= c.hour AND r.measured_at < c.hour + interval '1 hour'
      AND r.organization_id = d.organization_id
) agg
WHERE agg.readings > 0
ON CONFLICT (device_id, hour, organization_id) DO UPDATE SET
    readings = excluded.readings, total = excluded.total, minimum = excluded.minimum,
    maximum = excluded.maximum, out_of_range = excluded.out_of_range, refreshed_at = excluded.refreshed_at
"""

_DAILY = f"""
WITH days AS (
    SELECT DISTINCT device_id, (hour AT TIME ZONE '{DAY_ZONE}')::date AS day
    FROM unnest(%(devices)s::bigint[], %(hours)s::timestamptz[]) AS c(device_id, hour)
)
INSERT INTO {DAILY} (organization_id, device_id, day, readings, total, minimum, maximum, out_of_range, refreshed_at)
SELECT %(organization)s, days.device_id, days.day, agg.readings, agg.total, agg.minimum, agg.maximum, agg.out_of_range, now()
FROM days
CROSS JOIN LATERAL (
    SELECT sum(h.readings) AS readings, sum(h.total) AS total, min(h.minimum) AS minimum, max(h.maximum) AS maximum,
           sum(h.out_of_range) AS out_of_range
    FROM {HOURLY} h
    WHERE h.device_id = days.device_id AND h.organization_id = %(organization)s
      AND h.hour >= (days.day::timestamp AT TIME ZONE '{DAY_ZONE}')
      AND h.hour < ((days.day + 1)::timestamp AT TIME ZONE '{DAY_ZONE}')
) agg
WHERE agg.readings > 0
ON CONFLICT (device_id, day, organization_id) DO UPDATE SET
    readings = excluded.readings, total = excluded.total, minimum = excluded.minimum,
    maximum = excluded.maximum, out_of_range = excluded.out_of_range, refreshed_at = excluded.refreshed_at
"""


def _claim(cursor, organization_id: int, limit: int) -> tuple[list[int], list[datetime.datetime]]:
    cursor.execute(_CLAIM, {"limit": limit, "organization": organization_id})
    claimed = cursor.fetchall()
    return [device for device, _hour in claimed], [hour for _device, hour in claimed]


def rollups_refresh_once(*, organization_id: int, limit: int = CLAIM_SIZE) -> int:
    """One slice of the queue of the active organization, in one transaction: the number of
    hours rolled up (0 when the queue is empty or another refresh holds the organization)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, organization_id])
        if not cursor.fetchone()[0]:
            return 0
        devices, hours = _claim(cursor, organization_id, limit)
        if not devices:
            return 0
        params = {"devices": devices, "hours": hours, "organization": organization_id}
        cursor.execute(_HOURLY, params)
        cursor.execute(_DAILY, params)
    return len(devices)


def rollups_refresh(*, organization, limit: int = CLAIM_SIZE, max_rounds: int = MAX_ROUNDS) -> int:
    """Drain an organization's queue, a slice per transaction with the organization active
    (row-level security applies): the total of hours rolled up."""
    from qse.tenancy import organization_context

    total = 0
    for _round in range(max_rounds):
        with organization_context(organization):
            done = rollups_refresh_once(organization_id=organization.pk, limit=limit)
        total += done
        if done < limit:
            break
    return total


def requeue_device(*, organization_id: int, device_id: int) -> int:
    """Queue again every hour a device has in its roll-up (its limits changed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PENDING} (organization_id, device_id, hour) SELECT organization_id, device_id, hour"
            f" FROM {HOURLY} WHERE organization_id = %s AND device_id = %s ON CONFLICT DO NOTHING",
            [organization_id, device_id],
        )
        return cursor.rowcount


def partitions_ensure(*, today: datetime.date, months_ahead: int = 3) -> list[str]:
    """The current month's partition and the next ones (the beat task): idempotent."""
    first = today.replace(day=1)
    months = []
    for offset in range(months_ahead + 1):
        year, month = divmod(first.month - 1 + offset, 12)
        months.append(datetime.date(first.year + year, month + 1, 1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT objectives_sensor_partition(m) FROM unnest(%s::date[]) AS m", [months])
        return [row[0] for row in cursor.fetchall()]
