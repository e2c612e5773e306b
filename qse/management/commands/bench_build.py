"""Build the benchmark dataset into the (empty, migrated) database this process points at, or,
with --extend, add to an existing bench database the modules' rows it lacks."""

import json
import time

from django.core.management.base import BaseCommand

from qse.bench.dataset import dataset_build, dataset_extend


class Command(BaseCommand):
    help = "Build the benchmark's group and small organizations at a scale (1 = the full group of DESIGN.md)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True)
        parser.add_argument("--extend", action="store_true",
                            help="add only the parts an existing bench database lacks (idempotent)")

    def handle(self, *args, scale, extend=False, **options):
        started = time.perf_counter()
        if extend:
            result = {"added": dataset_extend(scale=scale)}
        else:
            result = {"organizations": dataset_build(scale=scale)}
        seconds = time.perf_counter() - started
        self.stdout.write(json.dumps({"scale": scale, "build_seconds": round(seconds, 1), **result}))
