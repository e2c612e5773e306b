"""The benchmark names each broken page with its cause: the time breakdown and the cause lines."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.template import engines

from qse.bench.breakdown import Breakdown
from qse.bench.causes import breakdown_line, cause, cause_in_run, growth_line, known_cause

COORDINATOR, LIMITED = "coordinator", "limited"


def _breakdown(total, sql=0.0, templates=0.0, serialize=0.0, other=0.0):
    return {"total_ms": total, "sql_ms": sql, "templates_ms": templates, "serialize_ms": serialize, "other_ms": other}


def test_the_breakdown_line_gives_each_phase_and_names_the_largest():
    line = breakdown_line(_breakdown(82, sql=6, templates=61, other=15))

    assert line == "82 ms: SQL 6.0 ms, templates 61 ms, other 15 ms -> page rendering"


def test_a_phase_under_half_a_millisecond_is_left_out_and_an_api_list_is_named_by_its_serialization():
    line = breakdown_line(_breakdown(9.5, sql=2, templates=0.2, serialize=6, other=1.3))

    assert line == "9.5 ms: SQL 2.0 ms, serialization 6.0 ms, other 1.3 ms -> serialization"


def test_growth_names_the_phase_that_grew_most_not_the_largest():
    before = _breakdown(60, sql=5, templates=40, other=15)
    after = _breakdown(110, sql=52, templates=42, other=16)

    assert growth_line(before, after) == "SQL 5 -> 52 ms, templates 40 -> 42 ms, other 15 -> 16 ms -> database grows"


def test_a_known_cause_is_added_after_the_automatic_breakdown():
    text = cause("P1", "action list", {"breakdown": _breakdown(82, sql=6, templates=61, other=15)})

    assert text.startswith("82 ms: SQL 6.0 ms, templates 61 ms, other 15 ms -> page rendering; known: the page shell")
    assert known_cause("P2", "compliance.text list") is None
    assert known_cause("P4", "action list") is None  # the shell does not explain a limited user's slowness


def test_a_server_error_is_named_by_its_exception_and_growing_queries_by_their_counts():
    assert cause("HTTP", "audits.audit list", {"error": "FieldError: Cannot resolve keyword 'x'"}) == (
        "FieldError: Cannot resolve keyword 'x'")
    assert cause("P2", "text list", {"queries": 14}, {"queries": 12}) == (
        "12 -> 14 queries: a query per row or per related object")


def test_a_run_measured_before_the_breakdown_existed_says_so_instead_of_failing():
    assert cause("P1", "compliance.text list", {"p95": 0.05}).startswith(
        "no breakdown measured (a run of an older bench_measure); known: the page shell")


def test_the_cause_of_each_budget_is_looked_up_in_the_measurements_the_check_compared():
    pages = {"hello": {"breakdown": _breakdown(5, other=5)},
             "text list": {"queries": 12, "breakdown": _breakdown(40, sql=30, templates=5, other=5)}}
    limited = {"text list": {"queries": 12, "breakdown": _breakdown(80, sql=70, templates=5, other=5)}}
    pdf = {"seconds": 3.0, "pages": 2, "breakdown": _breakdown(3000, sql=100, templates=400, other=2500)}
    run = {"scale": 0.1, "users": {COORDINATOR: pages, LIMITED: limited}, "pdfs": {"plan PDF": pdf}}
    smaller = {"scale": 0.01, "users": {COORDINATOR: {"text list": {
        "queries": 12, "breakdown": _breakdown(20, sql=10, templates=5, other=5)}}}}

    assert cause_in_run("P1", "text list", run, COORDINATOR, LIMITED).startswith(
        "40 ms: SQL 30 ms, templates 5.0 ms, other 5.0 ms -> database; known: the page shell")
    assert cause_in_run("P4", "text list", run, COORDINATOR, LIMITED) == (
        "SQL 30 -> 70 ms, templates 5 -> 5.0 ms, other 5 -> 5.0 ms -> database grows")
    assert cause_in_run("P3", "text list", run, COORDINATOR, LIMITED, smaller=smaller) == (
        "SQL 10 -> 30 ms, templates 5 -> 5.0 ms, other 5 -> 5.0 ms -> database grows")
    assert cause_in_run("P8", "plan PDF", run, COORDINATOR, LIMITED).startswith(
        "3000 ms: SQL 100 ms, templates 400 ms, other 2500 ms -> WeasyPrint layout of the styled document; known:")


def test_a_crashed_pdf_is_named_by_its_error_first():
    text = cause("P8", "risk register PDF", {"error": "RecursionError", "limit_seconds": 150})

    assert text.startswith("the render stopped: RecursionError; known: the floor is an unstyled render")


@pytest.mark.django_db
def test_the_breakdown_counts_the_sql_run_inside_a_template_as_sql_not_as_rendering():
    template = engines["django"].from_string("{% for row in rows %}{{ row }}{% endfor %}")

    def rows():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.05), 1")
            return cursor.fetchall()

    connection.ensure_connection()  # opening the connection is not a statement's time
    breakdown = Breakdown()
    started = time.perf_counter()
    with breakdown.recording():
        template.render({"rows": rows})  # the callable runs its query while the template renders
    measured = breakdown.as_ms(time.perf_counter() - started)

    assert 50 <= measured["sql_ms"] < 80
    assert measured["templates_ms"] < 25
    assert measured["sql_ms"] + measured["templates_ms"] + measured["other_ms"] == pytest.approx(
        measured["total_ms"], abs=0.05)


def test_a_page_that_shows_more_rows_at_the_larger_scale_says_so():
    small = {"bytes": 12 * 1024, "breakdown": _breakdown(10, sql=2, templates=0, other=8)}
    large = {"bytes": 48 * 1024, "breakdown": _breakdown(40, sql=5, templates=0, other=35)}

    text = cause("P3", "API compliance.requirement", large, small)

    assert "the page itself grew 48 KB from 12 KB: fewer rows than a page at the smaller scale" in text
    assert "grew" not in cause("P3", "API compliance.requirement", {**large, "bytes": 13 * 1024}, small)
