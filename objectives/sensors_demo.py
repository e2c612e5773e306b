"""Demo sensors: a noise meter in the Lyon machining shop and the Vienne site's energy meter,
each with a year of hourly readings (written through the ingestion's staging path, since
PostgreSQL refuses COPY into a table under row-level security) and their roll-ups."""

from __future__ import annotations

import datetime
import random

from django.db import connection
from django.utils import timezone

from objectives import sensors_ingest, sensors_rollups
from objectives.sensors_choices import DeviceKind
from objectives.sensors_factories import DeviceFactory

HOURS = 365 * 24


def noise_level(at: datetime.datetime, rng: random.Random) -> float:
    """dB(A) at a press: two shifts on weekdays (6 h - 22 h local), quiet nights and weekends,
    now and then above the 85 dB(A) upper action value."""
    local = timezone.localtime(at)
    working = local.weekday() < 5 and 6 <= local.hour < 22
    base = 79.0 if working else 46.0
    peak = 8.0 if working and rng.random() < 0.06 else 0.0
    return round(base + rng.uniform(-3.5, 3.5) + peak, 1)


def energy_use(at: datetime.datetime, rng: random.Random) -> float:
    """kWh in the hour: the working day, the base load at night, more in winter (heating)."""
    local = timezone.localtime(at)
    working = local.weekday() < 5 and 7 <= local.hour < 19
    winter = 1.25 if local.month in (11, 12, 1, 2) else 1.0
    return round((120.0 if working else 32.0) * winter + rng.uniform(-6, 6), 1)


def _store(device, values, hours: list[datetime.datetime]) -> None:
    with connection.cursor() as cursor:
        sensors_ingest.ensure_staging(cursor)
        with cursor.copy(f"COPY {sensors_ingest.STAGING} (device_id, measured_at, value) FROM STDIN") as copy:
            copy.write("".join(f"{device.pk}\t{at.isoformat()}\t{value}\n" for at, value in zip(hours, values, strict=True)))
        sensors_ingest.insert_staged(cursor, organization_id=device.organization_id)


def seed_sensors(*, organization, sites: dict, now: datetime.datetime | None = None) -> list:
    """Two devices with a year of hourly readings each, rolled up (run in the system context)."""
    now = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    hours = [now - datetime.timedelta(hours=HOURS - i) for i in range(HOURS)]
    sensors_ingest.ensure_partitions(sensors_ingest.months_between(hours[0].timestamp(), hours[-1].timestamp()))
    noise = DeviceFactory(
        organization=organization, site=sites["LYO"], name="Sonomètre presse P3", code="sono-p3", kind=DeviceKind.NOISE_METER,
        unit="dB(A)", valid_min=30, valid_max=140, limit_high=85, location="Atelier usinage, presse P3",
    )
    energy = DeviceFactory(
        organization=organization, site=sites["VIE"], name="Compteur général électricité", code="elec-vie",
        kind=DeviceKind.ENERGY_METER, unit="kWh", valid_min=0, valid_max=5000, limit_high=150, location="TGBT Vienne",
    )
    rng = random.Random(2026)
    _store(noise, [noise_level(at, rng) for at in hours], hours)
    _store(energy, [energy_use(at, rng) for at in hours], hours)
    sensors_rollups.rollups_refresh(organization=organization)
    return [noise, energy]
