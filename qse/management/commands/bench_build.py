"""Build the benchmark dataset into the (empty, migrated) database this process points at."""

import json
import time

from django.core.management.base import BaseCommand

from qse.bench.dataset import dataset_build


class Command(BaseCommand):
    help = "Build the benchmark's group and small organizations at a scale (1 = the full group of DESIGN.md)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True)

    def handle(self, *args, scale, **options):
        started = time.perf_counter()
        built = dataset_build(scale=scale)
        seconds = time.perf_counter() - started
        self.stdout.write(json.dumps({"scale": scale, "build_seconds": round(seconds, 1), "organizations": built}))
