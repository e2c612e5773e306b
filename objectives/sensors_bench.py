"""The sensor benchmark (``manage.py bench_sensors``; not a timed test).

Ingests readings through the real API over HTTP, served as in production (gunicorn, as in
docker-compose.yml, with DEBUG off; one sync worker, so one batch at a time, like the one COPY
stream it is compared with) on a loopback port; the client is httpx in this process. CSV batches with device
tokens and JSON batches with a coordinator's API token naming the devices; then COPYs the
same rows (the same times and values, for twin devices) straight into the partitioned table
in the same run (into a twin table: PostgreSQL refuses COPY FROM into a table under
row-level security, which is why the API copies into a session's staging table and then
inserts through the policy); then rolls everything up and times a device page (in-process test client,
with its query count) and the series API. Bodies are built before the clock starts.

Formats: ``csv`` (each device sends its own batches with its token), ``json`` (a gateway's
batches: every device's reading of each minute, named by code, with an API token) and
``json-device`` (JSON sent as the CSV is, by each device with its token).
"""

from __future__ import annotations

import datetime
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

import httpx
import psycopg
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from objectives import sensors_rollups, sensors_services
from objectives.models import Device
from objectives.sensors_sql import READINGS
from qse.factories import MembershipFactory, OrganizationFactory, SiteFactory, UserFactory
from qse.models import Membership
from qse.roles import Role
from qse.tenancy import organization_context, system_context
from qse.tokens import token_create

GOAL = 0.3  # DESIGN.md: ingestion through the API at least 0.3x the speed of a raw COPY


@dataclass
class Plan:
    readings: int
    batch: int
    devices: int
    start: datetime.datetime

    @property
    def per_device(self) -> int:
        return self.readings // self.devices


@dataclass
class Fleet:
    organization: object
    membership: object
    devices: dict[str, list[Device]] = field(default_factory=dict)  # "csv", "json", "copy" -> twins
    keys: dict[int, str] = field(default_factory=dict)
    api_token: str = ""


def value_at(device_index: int, minute: int) -> float:
    """A noise level with a daily rhythm, deterministic."""
    return round(55 + (minute % 1440) / 60 + (device_index * 7 + minute * 13) % 17 / 2, 1)


DEVICE_TOKEN_KINDS = {"csv", "json-device"}  # each device sends its own batches with its own token


def make_fleet(plan: Plan, label: str, kinds: tuple[str, ...] = ("csv", "json")) -> Fleet:
    with system_context():
        organization = OrganizationFactory(name=f"Banc capteurs {label}", slug=f"bench-sensors-{label}")
        user = UserFactory(username=f"bench-sensors-{label}")
        membership = MembershipFactory(user=user, organization=organization, role=Role.COORDINATOR)
        site = SiteFactory(organization=organization, code="BNC", name="Banc")
        membership = Membership.objects.select_related("organization", "user").get(pk=membership.pk)
    fleet = Fleet(organization, membership)
    with organization_context(organization, membership):
        for kind in (*kinds, "copy"):
            fleet.devices[kind] = [
                Device.objects.create(organization=organization, site=site, name=f"Sono {kind} {i}", code=f"{kind}-{i}",
                                      kind="noise_meter", unit="dB(A)", valid_min=30, valid_max=140, limit_high=85)
                for i in range(plan.devices)
            ]
        for kind in set(kinds) & DEVICE_TOKEN_KINDS:
            for device in fleet.devices[kind]:
                fleet.keys[device.pk] = sensors_services.device_token_issue(device=device, acting_user=user)[1]
        fleet.api_token = token_create(user=user, organization=organization, name="passerelle")
    return fleet


def _stamp(plan: Plan, minute: int) -> str:
    return (plan.start + datetime.timedelta(minutes=minute)).isoformat()


def csv_bodies(plan: Plan, devices: list[Device]) -> list[tuple[int, bytes]]:
    """(device, body): each device sends its own minutes, ``batch`` at a time."""
    bodies = []
    for index, device in enumerate(devices):
        for first in range(0, plan.per_device, plan.batch):
            lines = ["at,value"] + [f"{_stamp(plan, m)},{value_at(index, m)}" for m in range(first, min(first + plan.batch, plan.per_device))]
            bodies.append((device.pk, ("\n".join(lines) + "\n").encode()))
    return bodies


def json_device_bodies(plan: Plan, devices: list[Device]) -> list[tuple[int, bytes]]:
    """(device, body): as ``csv_bodies``, in JSON (no device code: the token names it)."""
    return [
        (device.pk, json.dumps({"readings": [{"at": _stamp(plan, m), "value": value_at(index, m)}
                                             for m in range(first, min(first + plan.batch, plan.per_device))]}).encode())
        for index, device in enumerate(devices)
        for first in range(0, plan.per_device, plan.batch)
    ]


def json_bodies(plan: Plan, devices: list[Device]) -> list[bytes]:
    """A gateway's batches: every device's reading of each minute, ``batch`` rows at a time."""
    rows = [(index, device.code, m) for m in range(plan.per_device) for index, device in enumerate(devices)]
    return [
        json.dumps({"readings": [{"device": code, "at": _stamp(plan, m), "value": value_at(index, m)}
                                 for index, code, m in rows[first:first + plan.batch]]}).encode()
        for first in range(0, len(rows), plan.batch)
    ]


def copy_chunks(plan: Plan, fleet: Fleet) -> list[str]:
    """The same rows as COPY text for the twin devices, in chunks of ``batch`` rows."""
    organization_id = fleet.organization.pk
    chunks = []
    for index, device in enumerate(fleet.devices["copy"]):
        for first in range(0, plan.per_device, plan.batch):
            chunks.append("".join(
                f"{organization_id}\t{device.pk}\t{_stamp(plan, m)}\t{value_at(index, m)}\n"
                for m in range(first, min(first + plan.batch, plan.per_device))
            ))
    return chunks


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """The application as production serves it: gunicorn (docker-compose.yml's command) with
    one sync worker and DEBUG off, on a loopback port, against this run's database (the
    environment's QSE_DB_NAME). Started before the clock, stopped after."""

    def __enter__(self):
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        environment = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "qse.settings"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "qse.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--worker-class", "sync", "--timeout", "300", "--log-level", "warning"],
            env=environment,
        )
        self._wait_until_up()
        return self

    def _wait_until_up(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn stopped at start-up")
            try:
                httpx.get(f"{self.url}/api/v1/", timeout=5)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within a minute")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        connections.close_all()


def _post_all(base_url: str, requests: list[tuple[dict, bytes, str]]) -> tuple[float, int]:
    """POST every body; (seconds, readings inserted). A refused batch stops the run."""
    inserted = 0
    with httpx.Client(base_url=base_url, timeout=300) as client:
        started = time.perf_counter()
        for headers, body, content_type in requests:
            answer = client.post("/api/v1/objectives/readings/", content=body, headers={**headers, "Content-Type": content_type})
            if answer.status_code != 200:
                raise RuntimeError(f"batch refused ({answer.status_code}): {answer.text[:500]}")
            inserted += answer.json()["inserted"]
        return time.perf_counter() - started, inserted


def time_api(plan: Plan, fleet: Fleet, kind: str) -> dict:
    if kind == "csv":
        requests = [({"Authorization": f"Device {fleet.keys[pk]}"}, body, "text/csv")
                    for pk, body in csv_bodies(plan, fleet.devices["csv"])]
    elif kind == "json-device":
        requests = [({"Authorization": f"Device {fleet.keys[pk]}"}, body, "application/json")
                    for pk, body in json_device_bodies(plan, fleet.devices[kind])]
    else:
        requests = [({"Authorization": f"Token {fleet.api_token}"}, body, "application/json")
                    for body in json_bodies(plan, fleet.devices["json"])]
    with LiveServer() as server:
        seconds, inserted = _post_all(server.url, requests)
    return {"rows": inserted, "batches": len(requests), "seconds": round(seconds, 2), "rows_per_second": round(inserted / seconds)}


COPY_TABLE = "bench_sensorreading"


def _owner_connection():
    """PostgreSQL refuses COPY FROM into a table under row-level security (for every role it
    applies to): the raw COPY runs as the owner role into a twin of the readings table, same
    columns, monthly partitions, primary key and BRIN index, without the policy."""
    settings_dict = connection.settings_dict
    from django.conf import settings

    return psycopg.connect(
        host=settings_dict["HOST"], port=settings_dict["PORT"] or 5432, dbname=settings_dict["NAME"],
        user=settings.DB_OWNER_CREDENTIALS["USER"], password=settings.DB_OWNER_CREDENTIALS["PASSWORD"], autocommit=True,
    )


def _create_twin(owner, months: set[datetime.date]) -> None:
    owner.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
    owner.execute(
        f"CREATE TABLE {COPY_TABLE} (LIKE {READINGS} INCLUDING DEFAULTS) PARTITION BY RANGE (measured_at);"
        f"ALTER TABLE {COPY_TABLE} ADD PRIMARY KEY (device_id, measured_at, organization_id);"
        f"CREATE INDEX ON {COPY_TABLE} USING brin (measured_at);"
    )
    for month in sorted(months):
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        owner.execute(f"CREATE TABLE {COPY_TABLE}_{month:%Y_%m} PARTITION OF {COPY_TABLE} "
                      f"FOR VALUES FROM ('{month} 00:00+00') TO ('{following} 00:00+00')")


def time_copy(plan: Plan, fleet: Fleet) -> dict:
    """The same rows by COPY from this process (psycopg 3, text chunks of ``batch`` rows): as
    one stream in one transaction (the issue's baseline), and as the API receives them, one
    COPY and one commit per batch (the same atomic unit as a batch through the API)."""
    chunks = copy_chunks(plan, fleet)
    months = _months_between(plan.start, timezone.now())
    rows = plan.per_device * plan.devices
    with _owner_connection() as owner:
        _create_twin(owner, months)
        started = time.perf_counter()
        with owner.transaction(), owner.cursor() as cursor:
            with cursor.copy(f"COPY {COPY_TABLE} (organization_id, device_id, measured_at, value) FROM STDIN") as copy:
                for chunk in chunks:
                    copy.write(chunk)
        stream = time.perf_counter() - started
        _create_twin(owner, months)
        started = time.perf_counter()
        for chunk in chunks:
            with owner.transaction(), owner.cursor() as cursor:
                with cursor.copy(f"COPY {COPY_TABLE} (organization_id, device_id, measured_at, value) FROM STDIN") as copy:
                    copy.write(chunk)
        per_batch = time.perf_counter() - started
        owner.execute(f"DROP TABLE {COPY_TABLE}")
    return {"rows": rows, "seconds": round(stream, 2), "rows_per_second": round(rows / stream),
            "per_batch_seconds": round(per_batch, 2), "per_batch_rows_per_second": round(rows / per_batch),
            "into": f"{COPY_TABLE} (twin of {READINGS} without row-level security, as the owner role)"}


def _months_between(start: datetime.datetime, end: datetime.datetime) -> set[datetime.date]:
    day, months = start.astimezone(datetime.UTC).date(), set()
    while day <= end.astimezone(datetime.UTC).date():
        months.add(day.replace(day=1))
        day += datetime.timedelta(days=28)
    return months | {end.astimezone(datetime.UTC).date().replace(day=1)}


def time_rollups(fleet: Fleet) -> dict:
    started = time.perf_counter()
    hours = sensors_rollups.rollups_refresh(organization=fleet.organization)
    return {"hours": hours, "seconds": round(time.perf_counter() - started, 2)}


def time_page(fleet: Fleet, path: str, repeat: int = 15) -> dict:
    """Median and worst response time, and SQL queries, of one page (in-process client)."""
    client = Client()
    client.force_login(fleet.membership.user)
    client.get(path)  # warm caches (templates, plotly JSON encoder)
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        durations.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return {"median_ms": round(statistics.median(durations) * 1000, 1), "max_ms": round(max(durations) * 1000, 1),
            "queries": len(queries.captured_queries)}


def run(*, readings: int, batch: int, devices: int, formats: list[str]) -> dict:
    """The whole benchmark; ``readings`` per format and for the raw COPY."""
    now = timezone.now().replace(second=0, microsecond=0)
    plan = Plan(readings, batch, devices, now - datetime.timedelta(minutes=readings // devices + 60))
    fleet = make_fleet(plan, f"{time.time():.0f}", tuple(formats))
    result = {"readings_per_run": plan.per_device * devices, "batch": batch, "devices": devices,
              "transport": "HTTP on loopback (gunicorn, one sync worker, DEBUG off; httpx client)"}
    for kind in formats:
        result[f"api_{kind}"] = time_api(plan, fleet, kind)
    result["copy"] = time_copy(plan, fleet)
    for kind in formats:
        result[f"ratio_{kind}"] = round(result[f"api_{kind}"]["rows_per_second"] / result["copy"]["rows_per_second"], 3)
        result[f"ratio_{kind}_to_copy_per_batch"] = round(
            result[f"api_{kind}"]["rows_per_second"] / result["copy"]["per_batch_rows_per_second"], 3)
    result["rollups"] = time_rollups(fleet)
    device = fleet.devices[formats[0]][0]
    result["device_page"] = time_page(fleet, device.get_absolute_url())
    result["series_api"] = time_page(fleet, f"/api/v1/objectives/devices/{device.pk}/series/?grain=hour")
    result["goal"] = GOAL
    result["goal_met"] = all(result[f"ratio_{kind}"] >= GOAL for kind in formats)
    return result
