"""sensors_batch: what Python reads and checks of a plain batch while PostgreSQL inserts it."""

import datetime

import pytest

from objectives.sensors_batch import Limits, csv_cells, json_cells, summarize
from objectives.sensors_ingest import CLOCK_SKEW, MAX_AGE, DeviceLimits, RawRow, validate

UTC = datetime.UTC
T0 = datetime.datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
NOW = T0 + datetime.timedelta(hours=6)
LIMITS = Limits({"sono": (1, "dB(A)", 30.0, 140.0), "co": (2, "ppm", 0.0, 500.0)}, None,
                (NOW - MAX_AGE).timestamp(), (NOW + CLOCK_SKEW).timestamp())
DEVICES = {"sono": DeviceLimits(1, "sono", "dB(A)", 30.0, 140.0), "co": DeviceLimits(2, "co", "ppm", 0.0, 500.0)}


def validate_refuses(cells) -> bool:
    """The careful path's verdict on the same rows (summarize must never be less strict)."""
    rows = [RawRow(number, *cell) for number, cell in enumerate(cells, 1)]
    return bool(validate(rows, devices=DEVICES, default=None, now=NOW).errors)


def test_a_gateways_rows_give_each_devices_hours_latest_value_and_count():
    cells = [("sono", "2026-11-20T08:10:00+00:00", "60", None), ("co", "2026-11-20T09:05:00Z", "10.5", "ppm"),
             ("sono", "2026-11-20T10:20:00+01:00", "61", ""), ("sono", "2026-11-20 10:59:59.5+00:00", "62.25", None)]
    summary = summarize(cells, LIMITS)
    assert not validate_refuses(cells)
    assert summary.rows == 4
    assert summary.hours == [(1, T0), (1, T0 + datetime.timedelta(hours=1)), (1, T0 + datetime.timedelta(hours=2)),
                             (2, T0 + datetime.timedelta(hours=1))]
    assert summary.latest == {1: (datetime.datetime(2026, 11, 20, 10, 59, 59, 500000, tzinfo=UTC), 62.25, 3),
                              2: (datetime.datetime(2026, 11, 20, 9, 5, tzinfo=UTC), 10.5, 1)}


@pytest.mark.parametrize("cell", [
    ("ailleurs", "2026-11-20T09:00:00Z", "60", None),  # a device the sender may not write to
    ("sono", "2026-11-20T09:00:00Z", "60", "ppm"),  # another unit
    ("sono", "2026-11-20T09:00:00Z", "150", None),  # out of the valid range
    ("sono", "2026-11-22T09:00:00Z", "60", None),  # in the future
    ("sono", "2020-09-01T09:00:00Z", "60", None),  # too old
    ("sono", "2026-13-01T09:00:00Z", "60", None),  # no such month
    ("sono", "2026-11-20T08:10:00+00:00", "60", None),  # a duplicate of the first row
    ("sono", "2026-11-20T09:05:00+01:00", "60", None),  # 08:05 UTC: earlier than the first row
])
def test_a_row_validate_would_refuse_makes_the_batch_doubtful(cell):
    cells = [("sono", "2026-11-20T08:10:00+00:00", "60", None), cell]
    assert summarize(cells, LIMITS) is None
    assert validate_refuses(cells)


def test_a_device_token_sends_rows_without_a_code():
    limits = LIMITS._replace(default_code="co")
    summary = summarize([(None, "2026-11-20T08:00:00Z", "1", None), ("", "2026-11-20T08:01:00Z", "2", None)], limits)
    assert summary.latest == {2: (datetime.datetime(2026, 11, 20, 8, 1, tzinfo=UTC), 2.0, 2)}


def test_cells_are_read_from_json_objects_and_csv_lines_in_order():
    objects = '{"device": "co", "at": "2026-11-20T08:00:00Z", "value": 1.5, "unit": "ppm"}, {"device": "sono", "at": "2026-11-20T08:01:00Z", "value": -2e1}'
    assert json_cells(objects, True, True) == [("co", "2026-11-20T08:00:00Z", "1.5", "ppm"),
                                               ("sono", "2026-11-20T08:01:00Z", "-2e1", "")]
    assert json_cells('{"at":"2026-11-20T08:00:00Z","value":3}', False, False) == [(None, "2026-11-20T08:00:00Z", "3", None)]
    assert csv_cells("value;at;unit\r\n1,5;2026-11-20T08:00:00Z;ppm\r\n\r\n2;2026-11-20T08:01:00Z;\r\n") == [
        (None, "2026-11-20T08:00:00Z", "1,5", "ppm"), (None, "2026-11-20T08:01:00Z", "2", "")]
