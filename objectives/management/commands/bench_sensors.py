"""``manage.py bench_sensors``: sensor ingestion through the API against a raw COPY of the same
rows, roll-ups, and a device page (see objectives/sensors_bench.py). Run it on a scratch
database: it adds an organization and millions of readings. Exit status 1 when the API
ingests at less than 0.3x the speed of COPY."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from objectives import sensors_bench


class Command(BaseCommand):
    help = "Benchmark sensor ingestion (API vs COPY), roll-ups and the device page."

    def add_arguments(self, parser):
        parser.add_argument("--readings", type=int, default=1_000_000, help="per format, and for the COPY")
        parser.add_argument("--batch", type=int, default=10_000)
        parser.add_argument("--devices", type=int, default=20)
        parser.add_argument("--formats", default="csv,json,json-device")
        parser.add_argument("--out", default="")

    def handle(self, *args, readings, batch, devices, formats, out, **options):
        result = sensors_bench.run(readings=readings, batch=batch, devices=devices, formats=formats.split(","))
        text = json.dumps(result, indent=2)
        if out:
            Path(out).write_text(text)
        self.stdout.write(text)
        if not result["goal_met"]:
            sys.exit(1)
