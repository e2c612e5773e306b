"""The fishbone geometry, table-tested without the database."""

import itertools
import xml.etree.ElementTree as ET

import pytest

from nonconformities.fishbone import BOTTOM, TOP, Cause, fishbone_svg, layout

LABELS = {c: c.capitalize() for c in (*TOP, *BOTTOM)}


def overlaps(a, b) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def many(n: int) -> dict:
    categories = itertools.cycle((*TOP, *BOTTOM))
    result: dict = {}
    for i in range(n):
        text = f"Cause numéro {i} avec un texte assez long pour passer sur plusieurs lignes de la boîte"
        children = [Cause(f"Sous-cause {i}.{j}", is_root=j == 0) for j in range(i % 3)]
        result.setdefault(next(categories), []).append(Cause(text, is_root=i % 4 == 0, children=children))
    return result


@pytest.mark.parametrize("causes", [
    {},
    {"method": [Cause("Une seule cause")]},
    {"machine": [Cause("x" * 200, True)], "environment": [Cause("Courants d'air", children=[Cause("Porte ouverte")])]},
    many(12),
    many(60),
], ids=["no cause", "one cause", "long word and sub-cause", "12 causes", "60 causes"])
def test_no_two_boxes_overlap_and_every_box_stays_inside_its_half_and_the_drawing(causes):
    plan = layout("Bavures sur alésage", causes, LABELS)

    for a, b in itertools.combinations(plan.boxes, 2):
        assert not overlaps(a, b), (a, b)
    for box in plan.boxes:
        assert 0 <= box.x and box.x + box.width <= plan.width - 170
        if box.category in TOP:
            assert box.y + box.height <= plan.spine_y
        else:
            assert box.y >= plan.spine_y
        assert box.y + box.height <= plan.height
        assert box.joint_x >= box.x - 8
    assert len(plan.boxes) == sum(1 + len(c.children) for cs in causes.values() for c in cs)


def test_the_drawing_grows_with_the_causes_and_keeps_its_six_bones():
    small, large = layout("E", many(6), LABELS), layout("E", many(60), LABELS)
    assert large.height > small.height
    assert [bone.category for bone in small.bones] == [*TOP, *BOTTOM]


def test_text_is_escaped_and_the_svg_is_well_formed():
    svg = fishbone_svg("Effet <script>alert(1)</script> & co", {"method": [Cause('Cote "A" < 3 & > 1', True)]},
                       {**LABELS, "method": "Méthode <b>"})
    root = ET.fromstring(svg)  # raises if not well-formed
    assert root.tag.endswith("svg")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Cote \"A\" &lt; 3 &amp; &gt; 1" in svg
    assert "Méthode &lt;b&gt;" in svg


def test_root_causes_are_drawn_in_red_and_bold():
    svg = fishbone_svg("E", {"machine": [Cause("Retenue", True), Cause("Écartée")]}, LABELS)
    assert svg.count('stroke="#b42318"') == 1 and svg.count('font-weight="bold"') >= 2


def test_a_long_word_is_broken_to_fit_its_box():
    plan = layout("E", {"material": [Cause("Anticonstitutionnellement" * 4)]}, LABELS)
    box = plan.boxes[0]
    assert len(box.lines) > 1
    assert max(len(line) for line in box.lines) * box.font * 0.64 <= box.width
