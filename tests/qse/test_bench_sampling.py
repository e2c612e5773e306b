"""The benchmark's p95 rests on enough samples, and the app server freezes its start-up objects
so that a full garbage collection no longer walks them (the pause that set the p95 of long
API lists at 10x their p50)."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from qse.bench.probes import MIN_SAMPLES, SAMPLES_FOR_P95, full_collections, percentiles, sample

ROOT = Path(__file__).resolve().parents[2]


def test_a_probe_takes_twenty_samples_so_one_pause_is_not_its_p95():
    calls = []

    samples = sample(lambda: calls.append(1), SAMPLES_FOR_P95)
    measured = percentiles([0.010] * 19 + [0.300])  # nineteen requests and one collector pause

    assert len(samples) == len(calls) == 20
    assert measured == {"p50": 0.010, "p95": 0.010, "n": 20}
    assert percentiles([0.010] * 3 + [0.300])["p95"] == 0.300  # four samples: the pause is the p95


def test_a_slow_probe_stops_at_its_time_limit_with_at_least_three_samples():
    started = time.perf_counter()

    samples = sample(lambda: time.sleep(0.05), SAMPLES_FOR_P95, seconds=0.01)

    assert len(samples) == MIN_SAMPLES == 3
    assert time.perf_counter() - started < 0.5


def test_full_collections_are_timed_and_younger_ones_are_not():
    with full_collections() as pauses:
        gc.collect(0)
        gc.collect(2)
        gc.collect(2)

    assert len(pauses) == 2 and all(pause >= 0 for pause in pauses)


def test_the_wsgi_application_freezes_its_start_up_objects_with_every_view_imported():
    script = ("import gc, json, sys; import qse.wsgi; "
              "print(json.dumps({'frozen': gc.get_freeze_count(), 'unfrozen': len(gc.get_objects()), "
              "'views': 'improvement.views' in sys.modules and 'audits.views' in sys.modules}))")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "qse.settings"}

    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True,
                            text=True, check=True, timeout=120).stdout
    state = json.loads(output.strip().splitlines()[-1])

    assert state["views"] is True  # the URL configuration was loaded before the freeze
    assert state["frozen"] > 100_000  # Django, the apps and their views: about 300,000 on this machine
    assert state["unfrozen"] < 2_000  # what a full collection still walks at rest
