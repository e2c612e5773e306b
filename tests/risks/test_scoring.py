"""Scoring is a lookup over the matrix data: table-tested over every library matrix."""

import pytest

from risks import scoring
from risks.library import library_matrices, library_matrix

LIBRARY = sorted(library_matrices())


def test_the_library_has_the_3x3_4x4_5x5_and_fmea_matrices():
    assert {"matrix-3x3", "matrix-4x4", "matrix-5x5", "matrix-fmea-gpd"} <= set(LIBRARY)


@pytest.mark.parametrize("library_id", LIBRARY)
def test_every_library_matrix_is_valid_versioned_and_translated(library_id):
    data = library_matrix(library_id)
    assert scoring.matrix_errors(data) == []
    assert data["id"] == library_id and isinstance(data["version"], int)
    assert data["name"]["fr"] and data["name"]["en"]
    for scale in data["scales"].values():
        assert scale["name"]["fr"] and scale["name"]["en"]
        for item in scale["levels"]:
            assert item["label"]["fr"] and item["label"]["en"]
            assert item["description"]["fr"] and item["description"]["en"]
    for band in data["bands"]:
        assert band["label"]["fr"] and band["label"]["en"] and band["colour"].startswith("#")


@pytest.mark.parametrize("library_id", LIBRARY)
def test_every_combination_scores_into_a_band(library_id):
    data = library_matrix(library_id)
    detectabilities = scoring.scale_values(data, "detectability") or [None]
    for g in scoring.scale_values(data, "gravity"):
        for p in scoring.scale_values(data, "probability"):
            for d in detectabilities:
                value = scoring.score(data, g, p, d)
                band = scoring.level(data, value)
                assert band.id and band.colour
                assert band.is_acceptable == (value <= data["acceptability_threshold"])


@pytest.mark.parametrize(
    ("library_id", "levels", "expected_score", "expected_band", "acceptable"),
    [
        ("matrix-3x3", (1, 1, None), 1, "low", True),
        ("matrix-3x3", (2, 2, None), 4, "medium", True),
        ("matrix-3x3", (3, 3, None), 9, "high", False),
        ("matrix-4x4", (2, 3, None), 6, "medium", True),
        ("matrix-4x4", (3, 3, None), 9, "high", False),
        ("matrix-4x4", (4, 4, None), 16, "critical", False),
        ("matrix-5x5", (1, 4, None), 4, "low", True),
        ("matrix-5x5", (3, 3, None), 9, "medium", True),
        ("matrix-5x5", (4, 3, None), 12, "high", False),
        ("matrix-5x5", (5, 5, None), 25, "critical", False),
        ("matrix-fmea-gpd", (2, 2, 5), 20, "low", True),
        ("matrix-fmea-gpd", (4, 2, 5), 40, "medium", True),
        ("matrix-fmea-gpd", (3, 3, 5), 45, "high", False),
        ("matrix-fmea-gpd", (5, 5, 5), 125, "critical", False),
    ],
)
def test_score_and_level(library_id, levels, expected_score, expected_band, acceptable):
    data = library_matrix(library_id)
    value = scoring.score(data, *levels)
    assert value == expected_score
    band = scoring.level(data, value)
    assert (band.id, band.is_acceptable) == (expected_band, acceptable)


@pytest.mark.parametrize(
    ("library_id", "levels"),
    [
        ("matrix-3x3", (4, 1, None)),  # off the scale
        ("matrix-5x5", (0, 1, None)),
        ("matrix-5x5", (2, 2, 3)),  # no detectability on this matrix
        ("matrix-fmea-gpd", (2, 2, None)),  # detectability required
    ],
)
def test_levels_off_the_matrix_are_refused(library_id, levels):
    with pytest.raises(ValueError):
        scoring.score(library_matrix(library_id), *levels)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (1, [1, 2, 3], [1, 2, 3, 4, 5], 1),
        (2, [1, 2, 3], [1, 2, 3, 4, 5], 3),
        (3, [1, 2, 3], [1, 2, 3, 4, 5], 5),
        (4, [1, 2, 3, 4, 5], [1, 2, 3], 3),  # halves round up: never understated
        (3, [1, 2, 3, 4, 5], [1, 2, 3, 4], 3),
        (2, [1, 2, 3, 4, 5], [1, 2, 3], 2),
        (5, [1, 2, 3, 4, 5], [1, 2, 3], 3),
        (None, [1, 2, 3], [1, 2, 3], None),
        (2, [1, 2, 3], [], None),
    ],
)
def test_rescale_keeps_the_relative_position(value, source, target, expected):
    assert scoring.rescale(value, source, target) == expected


def test_a_matrix_with_a_gap_in_its_bands_is_invalid():
    data = library_matrix("matrix-3x3")
    broken = {**data, "bands": [dict(data["bands"][0], max=1), *data["bands"][1:]]}
    assert any("gap" in error for error in scoring.matrix_errors(broken))


def test_a_level_without_its_english_label_is_invalid():
    data = library_matrix("matrix-3x3")
    gravity = data["scales"]["gravity"]
    levels = [dict(gravity["levels"][0], label={"fr": "Mineure"}), *gravity["levels"][1:]]
    broken = {**data, "scales": {**data["scales"], "gravity": {**gravity, "levels": levels}}}
    assert any("fr and en" in error for error in scoring.matrix_errors(broken))
