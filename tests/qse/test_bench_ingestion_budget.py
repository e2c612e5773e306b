"""P7: the sensor benchmark's ingestion through the API against a raw COPY of the same rows."""

from __future__ import annotations

from qse.bench.budgets import sensor_checks


def test_each_format_is_checked_against_a_third_of_copys_speed_and_breaks_below_it():
    sensors = {
        "api_csv": {"rows": 1_000_000, "rows_per_second": 240_000},
        "api_json": {"rows": 1_000_000, "rows_per_second": 200_000},
        "copy": {"rows": 1_000_000, "rows_per_second": 750_000},
        "ratio_csv": 0.32,
    }
    csv, json_ = sensor_checks(sensors)
    assert (csv.budget, csv.probe, csv.ok, json_.probe, json_.ok) == (
        "P7", "sensor ingestion CSV", True, "sensor ingestion JSON", False)
    assert round(csv.ratio, 3) == 3.125 and csv.limit == 3.33
    assert json_.detail == "200,000 rows/s vs COPY 750,000 rows/s: 0.27 of COPY"
