"""Why a budget is broken: a one-line cause derived from the time breakdown measured in the same
run (qse/bench/breakdown.py), and, where the cause is known, its explanation (pure functions).

The automatic breakdown is always given; ``KNOWN_CAUSES`` adds what a person found by reading
the profile of that page. Remove an entry when its cause is fixed: a stale explanation would
send the next reader the wrong way.
"""

from __future__ import annotations

import re

from qse.bench.probes import SAMPLES_FOR_P95

# What a phase being the largest share means, for a page and for a PDF.
PAGE_PHASES = {"sql": "database", "templates": "page rendering", "serialize": "serialization",
               "other": "Python code (view, forms, querysets, middleware)"}
PDF_PHASES = {"sql": "database", "templates": "report HTML rendering", "serialize": "serialization",
              "other": "WeasyPrint layout of the styled document"}
_SHORT = {"sql": "SQL", "templates": "templates", "serialize": "serialization", "other": "other"}

# (budget, probe name) regular expressions -> what is known of the cause, written by hand from
# the profiles of 2026-11-30 (after the findings of issue 15 were fixed: the filter dropdowns,
# the board's per-column limit, the plotly figures, the API's joins and URLs, streamed exports).
KNOWN_CAUSES: list[tuple[str, str, str]] = [
    # CPU time of the PostgreSQL backend per reading, 10,000-row batches (2026-11-30, night):
    # a gateway's interleaved JSON 3.0 us in all, the INSERT through the policy ~1.6 of it; a
    # whole COPY 1.2-1.3 us. Python reads and checks the rows meanwhile (sensors_batch).
    ("^P7$", r"^sensor ingestion ",
     "every reading is inserted row by row through the row-level security policy (PostgreSQL refuses "
     "COPY FROM under a policy): the INSERT alone costs more per reading than the whole COPY; a "
     "gateway's JSON, naming a device in every object, also costs PostgreSQL longer objects to split "
     "and a join to the devices, and the request an API token's membership and devices to read"),
    ("^P1$", r" list$|^PDCA board$",
     "the page shell (layout, navigation, filter form) costs about 10 ms before the first row, and "
     "each row still reverses its link and renders its template columns against the page's context"),
    ("^P1$", r"^API ",
     "DRF's request, pagination and JSON rendering, and the fields that still go through DRF "
     "(dates, method fields, nested); a 1,000-row list creates enough objects to set off the "
     "garbage collector several times (since start-up objects are frozen, a full pass walks only "
     "the request's own: tens of ms, no longer 300)"),
    ("^P[13]$", r"^PDCA board$",
     "the board ranks every action of the organization with a window function (a sort of all rows) "
     "to cut each column at 50; one LIMIT query per column on the (organization, status, due_on) "
     "index would keep it flat"),
    ("^P6$", r"dashboard|heatmap",
     "the floor is the one aggregate query; the page also draws its shell and runs its filters' "
     "and tiles' queries"),
    ("^P10$", r"export",
     "COPY streams the server's text while the export converts each value in Python (labels, "
     "formula neutralising, and for XLSX each cell's XML and the deflate: cProfile on 25,000 "
     "actions, 2026-11-30); at a few thousand rows the request's fixed cost (headers, spool, zip "
     "parts) outweighs COPY's few milliseconds"),
    ("^P8$", r"PDF",
     "the floor is an unstyled render: the report's layout (running header and footer, margin "
     "boxes, flex, tables) costs about 2x by itself on a short document"),
]


def breakdown_line(breakdown: dict, phases: dict = PAGE_PHASES) -> str:
    """"82 ms: SQL 6 ms, templates 61 ms, other 15 ms -> page rendering" (phases under 0.5 ms left out)."""
    shares = _shares(breakdown)
    parts = ", ".join(f"{_SHORT[name]} {_ms(ms)}" for name, ms in shares.items() if ms >= 0.5)
    largest = max(shares, key=shares.get)
    return f"{_ms(breakdown['total_ms'])}: {parts} -> {phases[largest]}"


def growth_line(before: dict, after: dict, phases: dict = PAGE_PHASES) -> str:
    """Which phase grew between two breakdowns (10x the data, or the coordinator -> a limited user):
    "SQL 6 -> 40 ms, templates 20 -> 21 ms, other 9 -> 9 ms -> database grows"."""
    old, new = _shares(before), _shares(after)
    parts = ", ".join(f"{_SHORT[name]} {old[name]:.0f} -> {_ms(new[name])}" for name in new
                      if max(old[name], new[name]) >= 0.5)
    largest = max(new, key=lambda name: new[name] - old[name])
    return f"{parts} -> {phases[largest]} grows"


def cause(budget: str, probe: str, measured: dict | None, reference: dict | None = None) -> str:
    """The cause line of a broken budget: ``measured`` is the page (or PDF) as the check saw it,
    ``reference`` what it is compared with for P3 and P4 (the smaller scale, the coordinator)."""
    measured = measured or {}
    if budget == "HTTP":
        line = measured.get("error", "server error (no exception recorded)")
    elif budget == "P2":
        line = (f"{(reference or {}).get('queries', '?')} -> {measured.get('queries', '?')} queries: "
                "a query per row or per related object")
    elif budget == "P8" and "error" in measured:
        line = f"the render stopped: {measured['error']}"
    elif budget in ("P3", "P4") and reference and "breakdown" in reference and "breakdown" in measured:
        line = growth_line(reference["breakdown"], measured["breakdown"])
    elif "breakdown" in measured:
        line = breakdown_line(measured["breakdown"], PDF_PHASES if budget == "P8" else PAGE_PHASES)
    else:
        line = "no breakdown measured (a run of an older bench_measure)"
    if budget == "P3" and reference and _grew(reference.get("bytes"), measured.get("bytes")):
        # Not the same page at both scales: a table smaller than a page at 1/100 fills it at 1/10.
        line = (f"{line}; the page itself grew {measured['bytes'] / 1024:.0f} KB from "
                f"{reference['bytes'] / 1024:.0f} KB: fewer rows than a page at the smaller scale")
    if budget == "P10 memory":
        line = f"{line}; the export's rows are held in memory at once"
    known = known_cause(budget, probe)
    return f"{line}; known: {known}" if known else line


def cause_in_run(budget: str, probe: str, run: dict, coordinator: str, limited: str,
                 smaller: dict | None = None) -> str:
    """The cause of one broken check, found in the measurements it was taken from: ``run`` is the
    check's scale, ``smaller`` the scale below it (P2 and P3)."""
    pages = run["users"][coordinator]
    if budget == "P8":
        return cause(budget, probe, run.get("pdfs", {}).get(probe))
    if budget == "P4":
        return cause(budget, probe, run["users"][limited].get(probe), pages.get(probe))
    if budget in ("P2", "P3") and smaller is not None:
        return cause(budget, probe, pages.get(probe), smaller["users"][coordinator].get(probe))
    return cause(budget, probe, pages.get(probe))


def known_cause(budget: str, probe: str) -> str | None:
    """Every known explanation that matches the budget and the probe, joined."""
    found = [text for budget_pattern, probe_pattern, text in KNOWN_CAUSES
             if re.search(budget_pattern, budget) and re.search(probe_pattern, probe)]
    return "; ".join(found) or None


def _grew(before, after) -> bool:
    return bool(before) and bool(after) and after > 1.5 * before


def _shares(breakdown: dict) -> dict:
    return {name: breakdown.get(f"{name}_ms", 0.0) for name in ("sql", "templates", "serialize", "other")}


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def doubts(check, measured: dict | None = None) -> list[str]:
    """What makes a broken ratio doubtful, said before its cause: a p95 resting on fewer samples
    than a p95 needs, medians that meet the budget (only the p95 breaks it: a pause, not the
    page's usual time), and the full garbage collections that ran during ``measured``'s samples."""
    notes = []
    if check.samples is not None and check.samples < SAMPLES_FOR_P95:
        notes.append(f"its p95 rests on {check.samples} samples, fewer than the {SAMPLES_FOR_P95} a p95 needs")
    if check.median_ratio is not None and check.median_ratio <= check.limit:
        notes.append(f"the medians meet the budget ({check.median_ratio:.2f} <= {check.limit:g}): only the p95 "
                     "breaks it, a pause rather than the page's usual time")
    collections = (measured or {}).get("gc_full") or {}
    if collections.get("count"):
        notes.append(f"{collections['count']} full garbage collection(s) during its samples, the longest "
                     f"{collections['max_ms']:.0f} ms")
    return notes


def measured_of(budget: str, probe: str, run: dict, coordinator: str, limited: str) -> dict | None:
    """The timing a check judged: the limited user's page for P4, else the coordinator's."""
    return run["users"][limited if budget == "P4" else coordinator].get(probe)
