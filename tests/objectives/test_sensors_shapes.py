"""Which batches the typed fast path may read: only spellings PostgreSQL and Python read alike."""

from __future__ import annotations

import pytest

from objectives.sensors_shapes import plain_csv, plain_json

T = "2026-11-30T07:15:00+01:00"


@pytest.mark.parametrize("body", [
    f"at,value\n{T},70\n",
    f"at,value\n{T},70",  # no final line break
    "device;at;value;unit\ns-1;2026-11-30 07:15:01.25Z;-.5e2;dB(A)\n;2026-11-30T07:16+0100;+71.;\n",
    f"AT,Value\r\n{T},70\r\n",
])
def test_usual_csv_spellings_are_plain(body):
    assert plain_csv(body, 100) is not None


@pytest.mark.parametrize("body", [
    "at,value\n2026-11-30T07:15:00,70\n",             # no time zone
    "at,value\n2026-11-30T24:00:00+00:00,70\n",       # PostgreSQL reads 24:00, Python refuses it
    "at,value\n2026-11-30T23:59:60+00:00,70\n",       # a leap second, the same
    f"at,value\n{T},0x46\n",                           # float8 reads hexadecimal, Python does not
    f"at,value\n{T},65,2\n",                           # a decimal comma: the careful path reads it
    f'at,value\n"{T}",70\n',                           # quoted cells
    f"at,value\n{T},70\n\n",                           # an empty line
    f"at,value,comment\n{T},70,x\n",                   # an unknown column
    f"at,value\n{T}, 70\n",                            # a space
    "at,value\nnow,70\n",
])
def test_other_csv_spellings_are_not_plain(body):
    assert plain_csv(body, 100) is None


def test_a_csv_batch_above_the_row_limit_is_not_plain():
    assert plain_csv("at,value\n" + f"{T},70\n" * 3, 2) is None


@pytest.mark.parametrize("body", [
    f'{{"readings": [{{"device": "s-1", "at": "{T}", "value": 70}}]}}',
    f'[{{"value":7.05e1,"at":"{T}"}},{{"at" : "2026-11-30 07:16Z", "value" : -3}}]',
])
def test_usual_json_spellings_are_plain(body):
    assert plain_json(body, 100)


@pytest.mark.parametrize("body", [
    f'[{{"at": "{T}", "value": "0x46"}}]',                 # a number in a string
    f'[{{"at": "{T}", "value": true}}]',
    '[{"at": "2026-11-30T07:15:00", "value": 70}]',         # no time zone
    '[{"at": "2026-W48-1T07:00:00+00:00", "value": 70}]',   # a week date
    f'[{{"\\u0061t": "2026-W48-1", "at": "{T}", "value": 70}}]',  # a key spelt with an escape
    f'[{{"device": "at", "at": "{T}", "value": 70}}]',     # "at" as a value
    '[{"at": 1764483300, "value": 70}]',
])
def test_other_json_spellings_are_not_plain(body):
    assert not plain_json(body, 100)


def test_a_json_batch_above_the_row_limit_is_not_plain():
    assert not plain_json(str([{"at": T, "value": 1}] * 3).replace("'", '"'), 2)


@pytest.mark.parametrize(("body", "with_device"), [
    (f'{{"readings": [{{"device": "s-1", "at": "{T}", "value": 70}}, {{"device": "s-2", "at": "{T}", "value": 0}}]}}', True),
    (f'[{{"at":"{T}","value":-7.05e1,"unit":"dB(A)"}},{{"at":"2026-11-30 07:16Z","value":0.5}}]\n', False),
])
def test_reading_objects_in_the_documented_key_order_are_split_as_text(body, with_device):
    from objectives.sensors_shapes import json_objects

    found = json_objects(body, 100)
    assert found is not None and found.with_device is with_device
    assert body[found.start] == "{" and body[found.end - 1] == "}"


@pytest.mark.parametrize("body", [
    f'[{{"value": 70, "at": "{T}"}}]',                       # another key order: JSON's parser
    f'[{{"at": "{T}", "value": 70, "comment": "x"}}]',       # another key
    f'[{{"at": "{T}", "value": +70}}]',                      # not JSON numbers: JSON's parser refuses them
    f'[{{"at": "{T}", "value": .5}}]',
    f'[{{"at": "{T}", "value": 5.}}]',
    f'[{{"device": "a}}b", "at": "{T}", "value": 70}}]',     # a closing brace inside a text
    f'[{{"device": "a\\"b", "at": "{T}", "value": 70}}]',    # an escape
    f'[{{"at": "{T}",\u00a0"value": 70}}]',                  # a space JSON does not know
    f'[{{"device": "s-1", "at": "{T}", "value": 70}}, {{"at": "{T}", "value": 71}}]',  # a device named, then not
    f'{{"readings": [{{"at": "{T}", "value": 70}}]',         # unbalanced
    f'[{{"at": "{T}", "value": 70}}]}}',
    f'{{"readings": [{{"at": "{T}", "value": 70}}], "gateway": "g"}}',
    "[]",
    f'[{{"at": "{T}", "value": 70}},\n {{"at" : "{T}", "value": 71}}]',  # free whitespace: JSON's parser
    f'{{\n  "readings": [\n    {{\n      "at": "{T}",\n      "value": 70\n    }}\n  ]\n}}',
])
def test_other_reading_objects_are_not_split_as_text(body):
    from objectives.sensors_shapes import json_objects

    assert json_objects(body, 100) is None


def test_a_json_batch_above_the_row_limit_is_not_split():
    from objectives.sensors_shapes import json_objects

    assert json_objects("[" + ", ".join([f'{{"at": "{T}", "value": 1}}'] * 3) + "]", 2) is None
