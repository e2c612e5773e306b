"""Scoring over a risk matrix given as data (a library file or an organization's copy).

Pure functions: no ORM, no clock. ``matrix_data`` is a mapping with ``scales`` (gravity,
probability, optional detectability, each with ``levels`` of ``value``), ``bands`` (score
ranges ``min``..``max`` with ``id``, ``colour`` and ``label``) and ``acceptability_threshold``
(the highest acceptable score).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

AXES = ("gravity", "probability", "detectability")
LANGUAGES = ("fr", "en")
MAX_LEVEL = 20  # keeps every score within a database integer


@dataclass(frozen=True)
class Band:
    """Where a score falls: the band's id, label ({fr, en}), colour, and whether it is acceptable."""

    id: str
    label: Mapping
    colour: str
    is_acceptable: bool


def scale_values(matrix_data: Mapping, axis: str) -> list[int]:
    """The level values of one scale, ascending; empty when the matrix has no such scale."""
    scale = matrix_data.get("scales", {}).get(axis)
    return sorted(level["value"] for level in scale["levels"]) if scale else []


def has_detectability(matrix_data: Mapping) -> bool:
    return bool(scale_values(matrix_data, "detectability"))


def score(matrix_data: Mapping, gravity: int, probability: int, detectability: int | None = None) -> int:
    """G x P, or G x P x D when the matrix has a detectability scale (FMEA criticity)."""
    values = {"gravity": gravity, "probability": probability}
    if has_detectability(matrix_data):
        values["detectability"] = detectability
    elif detectability is not None:
        raise ValueError("detectability given for a matrix without a detectability scale")
    for axis, value in values.items():
        if value not in scale_values(matrix_data, axis):
            raise ValueError(f"{axis}={value!r} is not a level of the matrix")
    return math.prod(values.values())


def max_score(matrix_data: Mapping) -> int:
    return math.prod(max(scale_values(matrix_data, axis)) for axis in AXES if scale_values(matrix_data, axis))


def level(matrix_data: Mapping, score: int) -> Band:
    """The band a score falls in (below the first band: the first; above the last: the last)."""
    bands = sorted(matrix_data["bands"], key=lambda band: band["min"])
    chosen = next((band for band in bands if band["min"] <= score <= band["max"]), None)
    if chosen is None:
        chosen = bands[0] if score < bands[0]["min"] else bands[-1]
    return Band(
        id=chosen["id"], label=chosen["label"], colour=chosen["colour"],
        is_acceptable=score <= matrix_data["acceptability_threshold"],
    )


def cell_score(matrix_data: Mapping, gravity: int, probability: int) -> int:
    """The score a heatmap cell stands for; with detectability, its median level is assumed."""
    detectability = scale_values(matrix_data, "detectability")
    middle = detectability[len(detectability) // 2] if detectability else None
    return score(matrix_data, gravity, probability, middle)


def rescale(value: int | None, from_values: list[int], to_values: list[int]) -> int | None:
    """Carry a level to another scale by its relative position (2 of 1..3 -> 3 of 1..5).

    Halves round up: a rescaled risk is never understated.
    """
    if value is None or not to_values:
        return None
    if not from_values or len(from_values) == 1:
        return to_values[0]
    position = (from_values.index(value) if value in from_values else 0) / (len(from_values) - 1)
    return to_values[math.floor(position * (len(to_values) - 1) + 0.5)]


def matrix_errors(matrix_data: Mapping) -> list[str]:
    """What is wrong with a matrix's data (empty when it can score every combination).

    Accepts any JSON (it checks user and API input), so it checks shapes before values.
    """
    errors = _shape_errors(matrix_data)
    if errors:
        return errors
    for axis in ("gravity", "probability"):
        if not scale_values(matrix_data, axis):
            errors.append(f"scale '{axis}' has no levels")
    for axis, scale in matrix_data["scales"].items():
        values = [level["value"] for level in scale["levels"]]
        if axis not in AXES:
            errors.append(f"unknown scale '{axis}'")
        if any(not 1 <= v <= MAX_LEVEL for v in values) or len(set(values)) != len(values):
            errors.append(f"scale '{axis}': values must be distinct integers from 1 to {MAX_LEVEL}")
        for item in scale["levels"]:
            if not _translated(item.get("label")):
                errors.append(f"scale '{axis}', level {item['value']}: label needs fr and en")
    return errors + _band_errors(matrix_data)


def _shape_errors(matrix_data) -> list[str]:
    def is_int(value):
        return isinstance(value, int) and not isinstance(value, bool)

    scales, bands = matrix_data.get("scales"), matrix_data.get("bands")
    if not isinstance(scales, Mapping) or not all(
        isinstance(scale, Mapping) and isinstance(scale.get("levels"), list)
        and all(isinstance(item, Mapping) and is_int(item.get("value")) for item in scale["levels"])
        for scale in scales.values()
    ):
        return ["scales: a mapping of scales, each with a list of levels {value, label, description}"]
    if not isinstance(bands, list) or not all(
        isinstance(band, Mapping) and is_int(band.get("min")) and is_int(band.get("max")) for band in bands
    ):
        return ["bands: a list of {id, min, max, colour, label} with integer min and max"]
    if not is_int(matrix_data.get("acceptability_threshold")):
        return ["acceptability_threshold must be an integer"]
    return []


def _band_errors(matrix_data: Mapping) -> list[str]:
    bands = sorted(matrix_data["bands"], key=lambda band: band["min"])
    if not bands:
        return ["at least one band is needed"]
    errors = []
    for band in bands:
        if not {"id", "min", "max", "colour", "label"} <= set(band):
            errors.append(f"band {band.get('id')!r}: id, min, max, colour and label are required")
        elif not (isinstance(band["id"], str) and 0 < len(band["id"]) <= 30 and _is_colour(band["colour"])):
            errors.append(f"band {band['id']!r}: a short text id and a colour such as #c62828")
        elif not _translated(band["label"]):
            errors.append(f"band {band['id']!r}: label needs fr and en")
    if errors:
        return errors
    expected = 1
    for band in bands:
        if band["min"] != expected or band["max"] < band["min"]:
            errors.append(f"bands must cover every score from 1 without gap or overlap (at {band['id']!r})")
            break
        expected = band["max"] + 1
    if not errors and scale_values(matrix_data, "gravity") and scale_values(matrix_data, "probability"):
        if bands[-1]["max"] < max_score(matrix_data):
            errors.append(f"bands stop at {bands[-1]['max']}, the highest score is {max_score(matrix_data)}")
    return errors


def _is_colour(value) -> bool:
    return isinstance(value, str) and len(value) in (4, 7) and value.startswith("#") and all(
        c in "0123456789abcdefABCDEF" for c in value[1:]
    )


def _translated(label) -> bool:
    return isinstance(label, Mapping) and all(label.get(language) for language in LANGUAGES)
