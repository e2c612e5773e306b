"""Whether a whole batch is written in the plain shapes that PostgreSQL and Python read the
same way, checked once over the body by a regular expression (Python's engine, in C: about
0.3 us a reading, where the same checks cell by cell in SQL cost 4 to 5 us).

A batch in these shapes can be read by PostgreSQL straight into typed columns (``COPY`` of a
CSV into timestamptz and float8, ``json_to_recordset`` with the same types): every time then
carries its zone, hours below 24 and seconds below 60 (PostgreSQL would read 24:00 and a leap
second 60; Python refuses them), 1 to 6 decimals; every number is decimal (``float8`` would
also read hexadecimal, Python would not). A batch in any other shape is not refused here: it
takes the slower paths, which decide (sensors_ingest_sql, then sensors_ingest).
"""

from __future__ import annotations

import re
import typing

# Hours, minutes and seconds are bounded here (PostgreSQL would read 24:00 and a leap second
# 60, Python refuses them); a month, a day or an offset out of range is left to PostgreSQL,
# which refuses it (the batch then takes the careful path): a looser expression, a quarter
# cheaper. Digits are ASCII ([0-9]: Python's \d also matches other scripts' digits).
TIME = (
    r"[0-9]{4}-[01][0-9]-[0-3][0-9][T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
    r"(?:Z|[+-][0-2][0-9](?::?[0-5][0-9])?)"
)
NUMBER = r"[+-]?(?:\d{1,20}\.?\d{0,20}|\.\d{1,20})(?:[eE][+-]?\d{1,3})?"
# A code or a unit cell of a CSV line: no delimiter, quote, backslash or line break.
_TEXT_CELL = r"[^,;\"\\\r\n]{0,200}"
_CELLS = {"device": _TEXT_CELL, "unit": _TEXT_CELL, "at": TIME, "value": NUMBER}
CSV_COLUMNS = frozenset(_CELLS)

# A key not followed by its plain value (one search over the body, no list of matches).
_JSON_BAD_AT = re.compile(rf'"at"(?!\s*:\s*"{TIME}")')
_JSON_BAD_VALUE = re.compile(rf'"value"(?!\s*:\s*{NUMBER}\s*[,}}])')
_csv_bodies: dict[tuple[tuple[str, ...], str], re.Pattern] = {}


def csv_header(payload: str) -> tuple[list[str], str] | None:
    """(column names, delimiter) of a CSV batch's first line; None when it is not a header
    this path reads (unknown or repeated columns, no time or value)."""
    header = payload.split("\n", 1)[0].rstrip("\r")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    names = [name.strip().strip('"').lower() for name in header.split(delimiter)]
    if len(set(names)) != len(names) or not {"at", "value"} <= set(names) or not set(names) <= CSV_COLUMNS:
        return None
    return names, delimiter


def _csv_body(names: tuple[str, ...], delimiter: str) -> re.Pattern:
    """Every line after the header, each cell in its plain shape (compiled once per header)."""
    key = (names, delimiter)
    if key not in _csv_bodies:
        line = re.escape(delimiter).join(_CELLS[name] for name in names)
        _csv_bodies[key] = re.compile(rf"(?:{line}\r?\n)*(?:{line})?")
    return _csv_bodies[key]


def plain_csv(payload: str, max_rows: int) -> list[str] | None:
    """The header's columns when every line of a CSV batch is plain (and there are at most
    ``max_rows``); None otherwise."""
    found = csv_header(payload)
    if found is None:
        return None
    names, delimiter = found
    start = payload.find("\n") + 1
    if start == 0 or payload.count("\n", start) > max_rows:
        return None
    return names if _csv_body(tuple(names), delimiter).fullmatch(payload, start) else None


def plain_json(payload: str, max_rows: int) -> bool:
    """Whether every ``"at"`` of a JSON batch is followed by a plain time string and every
    ``"value"`` by a plain number, on the raw text: no occurrence of the key lacks it (a key
    spelt with escapes would escape the search: a body with a backslash is not plain). The
    reading objects themselves are read by PostgreSQL, which refuses anything else (a missing
    time reads as NULL and fails the check); at most ``max_rows`` times, so readings."""
    if "\\" in payload or payload.count('"at"') > max_rows:
        return False
    return _JSON_BAD_AT.search(payload) is None and _JSON_BAD_VALUE.search(payload) is None


# A batch of reading objects written with their keys in the documented order (device, at,
# value, unit; device and unit optional), spelt as serializers write JSON (compact, or with a
# space after each colon and comma, as Python's json.dumps): PostgreSQL then reads it as text,
# split on the objects' closing braces and on quotes (0.7 us a reading), not by its JSON
# parser, which builds a record per object (1.3 us). Only what a JSON parser reads the same
# way: strings without escapes, braces or control characters, every time in its plain shape
# and every number a JSON number. Anything else (another key order or spacing, another key)
# takes the JSON parser's path. The whole body is checked by one regular expression of fixed
# separators (0.3 us a reading; three searches, structure, times and numbers apart, took 0.55;
# JSON's free whitespace between every token, 2 us).
_WS = r"[ \t\n\r]*"
_JSON_TEXT = r'"[^"\\}\x00-\x1f]{0,200}"'
# A JSON number as JSON spells it (no "+5", ".5" or "5."), which float8 and float() read alike.
_JSON_NUMBER = r"-?(?:0|[1-9][0-9]{0,19})(?:\.[0-9]{1,20})?(?:[eE][+-]?[0-9]{1,3})?"


def _json_body(with_device: bool, spaced: bool) -> re.Pattern:
    colon, comma = (": ", ", ") if spaced else (":", ",")
    device = f'"device"{colon}{_JSON_TEXT}{comma}' if with_device else ""
    item = (rf'\{{{device}"at"{colon}"{TIME}"{comma}"value"{colon}{_JSON_NUMBER}'
            rf'(?:{comma}"unit"{colon}{_JSON_TEXT})?\}}')
    return re.compile(rf'{_WS}(\{{"readings"{colon})?\[({item}(?:{comma}{item})*)\]{_WS}(?(1)\}}{_WS})')


_JSON_BODIES = {(device, spaced): _json_body(device, spaced) for device in (True, False) for spaced in (True, False)}


class JsonObjects(typing.NamedTuple):
    """Where a batch's reading objects are (``payload[start:end]``), whether they name their
    device (then every one does) and whether any carries a unit (PostgreSQL then looks for it)."""

    start: int
    end: int
    with_device: bool
    with_unit: bool = True


def json_objects(payload: str, max_rows: int) -> JsonObjects | None:
    """The span of a JSON batch's reading objects when every one is written in the documented
    key order and one of the usual spellings (at most ``max_rows``); None otherwise."""
    if "\\" in payload or payload.count('"at"') > max_rows:
        return None
    with_device, spaced = '"device"' in payload, '": ' in payload
    found = _JSON_BODIES[with_device, spaced].fullmatch(payload)
    if found is None:
        return None
    return JsonObjects(found.start(2), found.end(2), with_device, '"unit"' in payload)


def json_objects_unchecked(payload: str) -> JsonObjects | None:
    """What ``json_objects`` answers for a batch in the documented shape, read from its ends
    only (microseconds): the fast path sends the objects to PostgreSQL at once and has
    ``json_objects`` confirm them while PostgreSQL reads them."""
    if "\\" in payload:
        return None
    head = len(payload) - len(payload.lstrip(" \t\n\r"))
    for prefix in ('{"readings": [', '{"readings":[', "["):
        if payload.startswith(prefix, head):
            start, end = head + len(prefix), payload.rfind("]")
            return JsonObjects(start, end, '"device"' in payload, '"unit"' in payload) if end > start else None
    return None
