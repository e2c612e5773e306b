"""Read the benchmark's JSON files (one per scale), print the table of ratios against the
budgets, write the summary JSON, and exit non-zero when a budget is broken."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from qse.bench.budgets import checks_across_scales, checks_of_scale, sensor_checks
from qse.bench.causes import cause_in_run, doubts, known_cause, measured_of
from qse.bench.dataset import COORDINATOR, SITE_LIMITED


class Command(BaseCommand):
    help = "Compare the benchmark's measurements with the DESIGN.md budgets."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--out", required=True)
        parser.add_argument("--sensors", help="the sensor benchmark's JSON (P7), when it ran")

    def handle(self, *args, files, out, sensors=None, **options):
        runs = sorted((json.loads(Path(name).read_text()) for name in files), key=lambda run: run["scale"])
        checks, causes = [], {}
        for run in runs:
            for check in checks_of_scale(run, COORDINATOR, SITE_LIMITED):
                checks.append((run["scale"], check))
                if not check.ok:
                    causes[len(checks) - 1] = _explained(check, run, cause_in_run(
                        check.budget, check.probe, run, COORDINATOR, SITE_LIMITED))
        for small, large in zip(runs, runs[1:], strict=False):
            for check in checks_across_scales(small, large, COORDINATOR):
                checks.append((large["scale"], check))
                if not check.ok:
                    causes[len(checks) - 1] = _explained(check, large, cause_in_run(
                        check.budget, check.probe, large, COORDINATOR, SITE_LIMITED, smaller=small))
        if sensors and Path(sensors).exists():
            for check in sensor_checks(json.loads(Path(sensors).read_text())):
                checks.append(("sensors", check))
                if not check.ok:
                    causes[len(checks) - 1] = f"known: {known_cause(check.budget, check.probe)}"
        self._print(runs, checks)
        self._print_causes(checks, causes)
        broken = [check for _, check in checks if not check.ok]
        Path(out).write_text(json.dumps({
            "runs": runs,
            "checks": [{"scale": scale, "budget": c.budget, "probe": c.probe, "ratio": round(c.ratio, 2),
                        "limit": c.limit, "ok": c.ok, "detail": c.detail, "samples": c.samples,
                        "median_ratio": None if c.median_ratio is None else round(c.median_ratio, 2),
                        **({"cause": causes[index]} if index in causes else {})}
                       for index, (scale, c) in enumerate(checks)],
        }, indent=1))
        self.stdout.write(f"\n{len(checks) - len(broken)} budgets met, {len(broken)} broken; details in {out}")
        if broken:
            sys.exit(1)

    def _print_causes(self, checks, causes):
        """Each broken budget's page named with the cause found in its time breakdown."""
        if not causes:
            return
        self.stdout.write("\nbroken budgets and their causes")
        for index, text in causes.items():
            scale, check = checks[index]
            self.stdout.write(f"{scale:>6} {check.budget:<11}{check.probe:<40} {text}")

    def _print(self, runs, checks):
        for run in runs:
            self.stdout.write(f"\nscale {run['scale']} (coordinator)\n{'probe':<40}{'p50 ms':>9}{'p95 ms':>9}"
                              f"{'n':>4}{'queries':>9}{'KB':>9}  status")
            for name, page in run["users"][COORDINATOR].items():
                self.stdout.write(f"{name:<40}{page['p50'] * 1000:9.1f}{page['p95'] * 1000:9.1f}{page.get('n', 0):4d}"
                                  f"{page['queries']:9d}{page['bytes'] / 1024:9.0f}  {page.get('status', '')}")
            for name, pdf in run.get("pdfs", {}).items():
                if "skipped" in pdf:
                    self.stdout.write(f"{name:<40} not measured: {pdf['skipped']}")
        self.stdout.write(f"\n{'scale':>6} {'budget':<11}{'probe':<40}{'ratio':>8}{'limit':>7}  verdict")
        for scale, check in checks:
            # A p95 that breaks where the medians meet the budget is flagged, still counted broken.
            doubtful = check.median_ratio is not None and check.median_ratio <= check.limit
            verdict = "ok" if check.ok else ("BROKEN?" if doubtful else "BROKEN")
            self.stdout.write(f"{scale:>6} {check.budget:<11}{check.probe:<40}{check.ratio:8.2f}{check.limit:7.1f}"
                              f"  {verdict}  {check.detail}")


def _explained(check, run: dict, cause: str) -> str:
    """A broken check's cause, after what makes its ratio doubtful (too few samples, medians
    within budget, garbage-collection pauses)."""
    notes = doubts(check, measured_of(check.budget, check.probe, run, COORDINATOR, SITE_LIMITED))
    return f"{'; '.join(notes)} -- {cause}" if notes else cause
