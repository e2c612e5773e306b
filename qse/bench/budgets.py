"""The budgets of DESIGN.md as ratios over measurements taken in one run (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass

P1_HTML, P1_API, P3_GROWTH, P4_SITE_LIMITED, P6_DASHBOARD, P10_EXPORT = 5.0, 3.0, 1.3, 1.3, 2.0, 5.0
P8_PDF = 2.0
EXPORT_MEMORY_MB = 100
# Below this many milliseconds, a p95 difference is timer noise, not growth.
NOISE_MS = 2.0


@dataclass(frozen=True)
class Check:
    budget: str
    probe: str
    ratio: float
    limit: float
    detail: str = ""
    # The same ratio of the medians, and the fewest samples among the timings compared (None:
    # not recorded): a p95 that breaks where the medians meet the budget is a pause, not growth.
    median_ratio: float | None = None
    samples: int | None = None

    @property
    def ok(self) -> bool:
        return self.ratio <= self.limit


def _samples(*timings: dict) -> int | None:
    counts = [timing.get("n") for timing in timings]
    return None if None in counts else min(counts)


def checks_of_scale(run: dict, coordinator: str, limited: str) -> list[Check]:
    """P1, P4, P6 and P10 within one scale's measurements."""
    pages, floors = run["users"][coordinator], run["floors"]
    hello = pages["hello"]["p95"]
    checks = []
    for name, page in pages.items():
        if page.get("status", 200) >= 500:  # a page that fails has no time worth comparing
            checks.append(Check("HTTP", name, page["status"], 499, "server error as the coordinator"))
            continue
        floor = floors.get(name)
        if floor is None:
            continue
        kind = page["kind"]
        if kind in ("html", "api", "dashboard"):
            # A bare view returning the same rows: the request's fixed cost plus the SQL.
            budget, limit = {"html": ("P1", P1_HTML), "api": ("P1", P1_API), "dashboard": ("P6", P6_DASHBOARD)}[kind]
            checks.append(Check(budget, name, page["p95"] / (hello + floor["p95"]), limit,
                                f"{page['p95'] * 1000:.1f} ms vs {(hello + floor['p95']) * 1000:.1f} ms",
                                _ratio_of_medians(page, pages["hello"], floor),
                                _samples(page, pages["hello"], floor)))
        elif kind == "export":
            checks.append(Check("P10", name, page["p95"] / floor["p95"], P10_EXPORT,
                                f"{page['p95'] * 1000:.0f} ms vs COPY {floor['p95'] * 1000:.0f} ms",
                                page["p50"] / floor["p50"] if "p50" in page and "p50" in floor else None,
                                _samples(page, floor)))
            memory = page.get("peak_python_mb", page["peak_rss_growth_mb"])
            checks.append(Check("P10 memory", name, memory, EXPORT_MEMORY_MB, "MB held at the peak"))
    for name, pdf in run.get("pdfs", {}).items():
        if "skipped" not in pdf:
            checks.append(_pdf_check(name, pdf))
    for name, page in run["users"][limited].items():
        if page["kind"] in ("html", "api", "dashboard") and name in pages:
            checks.append(Check("P4", name, _slower(page["p95"], pages[name]["p95"]), P4_SITE_LIMITED,
                                "site-limited / coordinator", _slower_medians(page, pages[name]),
                                _samples(page, pages[name])))
    return checks


def _pdf_check(name: str, pdf: dict) -> Check:
    """P8: seconds per page against the same content unstyled; a render that crashed or ran
    past its limit is broken whatever the ratio."""
    if "error" in pdf:
        return Check("P8", name, float("inf"), P8_PDF, f"{pdf['error']} (limit {pdf['limit_seconds']} s)")
    per_page = pdf["seconds"] / max(pdf["pages"], 1)
    plain_per_page = pdf["plain_seconds"] / max(pdf["plain_pages"], 1)
    return Check("P8", name, per_page / plain_per_page, P8_PDF,
                 f"{pdf['seconds']:.1f} s for {pdf['pages']} pages vs {pdf['plain_seconds']:.1f} s for "
                 f"{pdf['plain_pages']}; +{pdf['peak_rss_growth_mb']:.0f} MB")


def checks_across_scales(small: dict, large: dict, coordinator: str) -> list[Check]:
    """P2 (queries constant in the rows) and P3 (p95 grows by at most 1.3x for 10x the data)."""
    checks = []
    for name, page in large["users"][coordinator].items():
        before = small["users"][coordinator].get(name)
        if before is None or page["kind"] not in ("html", "api", "dashboard"):
            continue
        checks.append(Check("P2", name, page["queries"], before["queries"], f"{before['queries']} -> {page['queries']}"))
        checks.append(Check("P3", name, _slower(page["p95"], before["p95"]), P3_GROWTH,
                            f"scale {small['scale']} -> {large['scale']}", _slower_medians(page, before),
                            _samples(page, before)))
    return checks


def _slower(p95: float, reference: float) -> float:
    """How many times slower, ignoring differences below the timer's noise."""
    if (p95 - reference) * 1000 < NOISE_MS:
        return 1.0
    return p95 / reference


def _ratio_of_medians(page: dict, hello: dict, floor: dict) -> float | None:
    if "p50" not in page or "p50" not in hello or "p50" not in floor:
        return None
    return page["p50"] / (hello["p50"] + floor["p50"])


def _slower_medians(page: dict, reference: dict) -> float | None:
    if "p50" not in page or "p50" not in reference:
        return None
    return _slower(page["p50"], reference["p50"])


P7_INGESTION = 0.3  # sensor ingestion through the API at least 0.3x a raw COPY of the same rows


def sensor_checks(sensors: dict) -> list[Check]:
    """P7 from the sensor benchmark's JSON (objectives/sensors_bench.py), one check per format:
    as a ratio of COPY's rows per second to the API's, so that, like the others, it breaks
    above its limit (1 / 0.3)."""
    copy = sensors["copy"]["rows_per_second"]
    checks = []
    for name, measured in sensors.items():
        if name.startswith("api_"):
            api = measured["rows_per_second"]
            checks.append(Check("P7", f"sensor ingestion {name[4:].upper()}", copy / api, round(1 / P7_INGESTION, 2),
                                f"{api:,} rows/s vs COPY {copy:,} rows/s: {api / copy:.2f} of COPY"))
    return checks
