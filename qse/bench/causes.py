"""Why a budget is broken: a one-line cause derived from the time breakdown measured in the same
run (qse/bench/breakdown.py), and, where the cause is known, its explanation (pure functions).

The automatic breakdown is always given; ``KNOWN_CAUSES`` adds what a person found by reading
the profile of that page. Remove an entry when its cause is fixed: a stale explanation would
send the next reader the wrong way.
"""

from __future__ import annotations

import re

# What a phase being the largest share means, for a page and for a PDF.
PAGE_PHASES = {"sql": "database", "templates": "page rendering", "serialize": "serialization",
               "other": "Python code (view, forms, querysets, middleware)"}
PDF_PHASES = {"sql": "database", "templates": "report HTML rendering", "serialize": "serialization",
              "other": "WeasyPrint layout of the styled document"}
_SHORT = {"sql": "SQL", "templates": "templates", "serialize": "serialization", "other": "other"}

# (budget, probe name) regular expressions -> what is known of the cause, written by hand.
KNOWN_CAUSES: list[tuple[str, str, str]] = [
    ("^P1$", r"^(action|event|risk) list$",
     "the filter form fills its dropdowns with every user, process and plan (half of the page, issue 15)"),
    ("^P1$", r"^API .* 1000$",
     "the API reuses the page's queryset with joins it does not use and builds a URL per row (issue 15)"),
    ("^P1$", r"^API risks 1000$", "each risk's matrix JSON is decoded per row (issue 15)"),
    ("^P6$", r"dashboard|heatmap", "the plotly figures are built in Python, half of each dashboard (issue 15)"),
    ("^P10", r"export", "the export is built whole in memory before it is sent, nothing streamed (issue 15)"),
    ("^P[134]$", r"^my actions$", "\"My actions\" has no limit: every card of the user is rendered (issue 15)"),
    ("^P[13]$", r"^PDCA board$", "the board's limit is global, not per column (issue 15)"),
    ("^P8$", r"^risk register PDF$",
     "one table of every risk: WeasyPrint's layout grows faster than the rows (RecursionError at 6,000, issue 15)"),
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


def _shares(breakdown: dict) -> dict:
    return {name: breakdown.get(f"{name}_ms", 0.0) for name in ("sql", "templates", "serialize", "other")}


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"
