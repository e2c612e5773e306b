"""What the benchmark measures, each probe paired with its floor.

A probe is a page or an API list requested through Django's test client as a signed-in user
(the whole middleware stack, row-level security on, the application's database role); its
floor is hand-written SQL returning the same rows through psycopg as the same role, or the
hello view for the fixed cost of a request. Ratios are taken in the same run, so the machine's
speed cancels out.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import time
import tracemalloc
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qse.bench.breakdown import measure_breakdown

# Timed requests per probe: with 20 samples the nearest-rank p95 is the second slowest, so one
# pause (a garbage collection, another process's burst) no longer sets it; with fewer it is their
# maximum (the report says so). BENCH_REPEAT changes it for every probe.
SAMPLES_FOR_P95 = 20
REPEAT = int(os.environ.get("BENCH_REPEAT", SAMPLES_FOR_P95))
# A slow probe (a whole export at full scale) stops sampling after this many seconds, with at
# least MIN_SAMPLES: the whole benchmark stays within minutes, and its p95 is flagged as thin.
PROBE_SECONDS = float(os.environ.get("BENCH_PROBE_SECONDS", 8))
MIN_SAMPLES = 3
WARMUP = 2
# Instrumented requests per probe for the time breakdown (the fastest is kept); one for an export.
BREAKDOWN_RUNS = 3


@dataclass(frozen=True)
class Floor:
    """Hand-written SQL for the same rows (``%(org)s`` is the organization's id)."""

    sql: str
    kind: str = "sql"  # "sql" or "copy" (COPY ... TO STDOUT, for exports)


@dataclass(frozen=True)
class Probe:
    name: str
    url: str
    kind: str  # "html", "api", "dashboard", "export"
    floor: Floor | None = None
    params: dict = field(default_factory=dict)
    repeat: int = REPEAT  # at most; see PROBE_SECONDS
    # Found in the registries (qse/bench/discovery.py): measured as the coordinator only; the
    # site-limited user's P4 is taken on the hand-written probes.
    discovered: bool = False


_ACTION_ROWS = """
    SELECT a.id, a.title, a.status, a.progress, a.due_on, u.first_name, u.last_name, p.name, s.name, pl.title
    FROM improvement_action a
    JOIN auth_user u ON u.id = a.owner_id
    LEFT JOIN qse_process p ON p.id = a.process_id
    LEFT JOIN qse_site s ON s.id = a.site_id
    LEFT JOIN improvement_actionplan pl ON pl.id = a.plan_id
    WHERE a.organization_id = %(org)s AND a.archived_at IS NULL
    ORDER BY a.due_on, a.id LIMIT {limit}"""
_RISK_ROWS = """
    SELECT r.id, r.reference, r.title, r.kind, r.inherent_score, r.inherent_level, r.residual_score,
           r.residual_level, r.treatment, u.first_name, u.last_name, p.name
    FROM risks_risk r
    LEFT JOIN auth_user u ON u.id = r.owner_id
    LEFT JOIN qse_process p ON p.id = r.process_id
    WHERE r.organization_id = %(org)s AND r.archived_at IS NULL
    ORDER BY r.reference, r.id LIMIT {limit}"""
_EVENT_ROWS = """
    SELECT e.id, e.reference, e.title, e.event_type, e.status, e.severity, e.occurred_at,
           u.first_name, u.last_name, p.name, s.name
    FROM nonconformities_event e
    LEFT JOIN auth_user u ON u.id = e.owner_id
    LEFT JOIN qse_process p ON p.id = e.process_id
    LEFT JOIN qse_site s ON s.id = e.site_id
    WHERE e.organization_id = %(org)s AND e.archived_at IS NULL
    ORDER BY e.occurred_at DESC, e.id DESC LIMIT {limit}"""
_ACTION_STATUS_COUNTS = """
    SELECT a.status, a.due_on < CURRENT_DATE AS late, count(*) FROM improvement_action a
    WHERE a.organization_id = %(org)s AND a.archived_at IS NULL GROUP BY 1, 2"""
_EVENT_MONTH_COUNTS = """
    SELECT date_trunc('month', e.occurred_at), e.event_type, count(*) FROM nonconformities_event e
    WHERE e.organization_id = %(org)s AND e.archived_at IS NULL
      AND e.occurred_at > now() - interval '12 months' GROUP BY 1, 2"""
_RISK_HEATMAP = """
    SELECT r.inherent_gravity, r.inherent_probability, count(*) FROM risks_risk r
    WHERE r.organization_id = %(org)s AND r.archived_at IS NULL GROUP BY 1, 2"""
_ACTION_EXPORT = """
    COPY (SELECT a.id, a.title, a.status, a.progress, a.due_on, u.first_name || ' ' || u.last_name, p.name, s.name
          FROM improvement_action a JOIN auth_user u ON u.id = a.owner_id
          LEFT JOIN qse_process p ON p.id = a.process_id LEFT JOIN qse_site s ON s.id = a.site_id
          WHERE a.organization_id = %(org)s AND a.archived_at IS NULL ORDER BY a.due_on, a.id)
    TO STDOUT WITH CSV HEADER"""

PROBES = [
    Probe("hello", "/bench/hello/", "floor"),
    Probe("home", "/", "html"),
    Probe("action list", "/improvement/actions/", "html", Floor(_ACTION_ROWS.format(limit=25))),
    Probe("risk list", "/risks/risks/", "html", Floor(_RISK_ROWS.format(limit=25))),
    Probe("event list", "/events/events/", "html", Floor(_EVENT_ROWS.format(limit=25))),
    Probe("my actions", "/improvement/mine/", "html", Floor(_ACTION_ROWS.format(limit=25))),
    Probe("PDCA board", "/improvement/board/", "html", Floor(_ACTION_ROWS.format(limit=100))),
    Probe("actions dashboard", "/improvement/", "dashboard", Floor(_ACTION_STATUS_COUNTS)),
    Probe("events dashboard", "/events/dashboard/", "dashboard", Floor(_EVENT_MONTH_COUNTS)),
    Probe("risk heatmap", "/risks/heatmap/", "dashboard", Floor(_RISK_HEATMAP)),
    Probe("API actions", "/api/v1/improvement/actions/", "api", Floor(_ACTION_ROWS.format(limit=50))),
    Probe("API actions 1000", "/api/v1/improvement/actions/", "api", Floor(_ACTION_ROWS.format(limit=1000)),
          {"limit": 1000}),
    Probe("API risks 1000", "/api/v1/risks/risks/", "api", Floor(_RISK_ROWS.format(limit=1000)), {"limit": 1000}),
    Probe("API events 1000", "/api/v1/nonconformities/events/", "api", Floor(_EVENT_ROWS.format(limit=1000)),
          {"limit": 1000}),
    Probe("action export CSV", "/improvement/actions/", "export", Floor(_ACTION_EXPORT, kind="copy"),
          {"_export": "csv"}),
    Probe("action export XLSX", "/improvement/actions/", "export", Floor(_ACTION_EXPORT, kind="copy"),
          {"_export": "xlsx"}),
]


def percentiles(samples: list[float]) -> dict:
    """p50 and nearest-rank p95, with the sample count ``n`` (a p95 of fewer than
    SAMPLES_FOR_P95 samples is their maximum)."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered), "p95": p95, "n": len(ordered)}


def sample(function, repeat: int, seconds: float = PROBE_SECONDS) -> list[float]:
    """Seconds of ``repeat`` calls, or of as many as fit in ``seconds`` (at least MIN_SAMPLES)."""
    samples, deadline = [], time.perf_counter() + seconds
    while len(samples) < repeat and (len(samples) < MIN_SAMPLES or time.perf_counter() < deadline):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


@contextmanager
def full_collections():
    """The seconds of each full (oldest-generation) garbage collection while the block runs:
    the pauses that set a p95 far above its p50."""
    pauses, started = [], []

    def callback(phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            pauses.append(time.perf_counter() - started.pop())

    gc.callbacks.append(callback)
    try:
        yield pauses
    finally:
        gc.callbacks.remove(callback)


def time_request(client, probe: Probe, repeat: int | None = None) -> dict:
    """p50/p95 seconds of the page, its status, its query count (one extra request) and where
    its time goes (``breakdown``: a few more, instrumented; see qse/bench/breakdown.py)."""
    repeat = repeat or probe.repeat
    failure = []

    def once():
        response = client.get(probe.url, probe.params)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if getattr(response, "exc_info", None):  # a server error: its exception names the cause
            failure[:] = [f"{response.exc_info[0].__name__}: {str(response.exc_info[1])[:160]}"]
        return response.status_code, len(body)

    for _ in range(1 if probe.discovered else WARMUP):
        once()
    # After the warm-up: the first request's imports and caches are not the page's memory.
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with full_collections() as pauses:
        samples = sample(once, repeat)
    with CaptureQueriesContext(connection) as queries:
        status, size = once()
    measured = {**percentiles(samples), "kind": probe.kind, "status": status, "bytes": size,
                "queries": len(queries.captured_queries),
                "peak_rss_growth_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024,
                "gc_full": {"count": len(pauses), "max_ms": round(max(pauses, default=0.0) * 1000, 1)}}
    measured["breakdown"] = measure_breakdown(once, 1 if probe.kind == "export" else BREAKDOWN_RUNS)
    if failure:
        measured["error"] = failure[0]
    if probe.kind == "export":
        measured["peak_python_mb"] = _peak_python_mb(once)
    return measured


def _peak_python_mb(function) -> float:
    """The most memory Python objects held at once during one more request. The process's
    peak RSS cannot say it: an earlier page (a 1,000-row API list) may have set a higher
    peak already, hiding a whole export built in memory below it."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def time_floor(floor: Floor, organization_id: int, repeat: int = REPEAT) -> dict:
    """The same rows straight from PostgreSQL, as the application role, under the same RLS."""
    connection.ensure_connection()
    raw = connection.connection  # psycopg 3, the application role's connection
    sql = floor.sql % {"org": int(organization_id)}

    def once():
        with raw.transaction(), raw.cursor() as cursor:
            cursor.execute("SELECT set_config('qse.organization_id', %s, true)", [str(organization_id)])
            if floor.kind == "copy":
                with cursor.copy(sql) as copy:
                    for _block in copy:
                        pass
            else:
                cursor.execute(sql)
                cursor.fetchall()

    for _ in range(WARMUP):
        once()
    return percentiles(sample(once, repeat))
