"""The Ishikawa (fishbone) diagram as an inline SVG. Pure geometry: no database, no clock.

The effect sits in a box at the head (right); the spine runs left to it. The 6M bones are
three above the spine and three below, each a slanted line from its category label to the
spine. Each cause is a text box in its bone's column, stacked from the label towards the
spine, joined to the bone by a short horizontal line; sub-causes are indented under their
cause. Every box gets its own vertical slot in its column, so no two boxes overlap, and the
diagram grows in height with the number of causes. Root causes are drawn in red and bold.
The same string is used inline in the HTML page and in WeasyPrint PDFs.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

TOP = ("method", "machine", "manpower")
BOTTOM = ("material", "measurement", "environment")

WIDTH = 1000
HEAD_WIDTH = 170
MARGIN = 10
LABEL_HEIGHT = 26
FONT = 11
SUB_FONT = 10
LINE = 1.25  # line height, in font sizes
PAD = 4
GAP = 6
CHAR = 0.64  # average glyph width of DejaVu Sans (bold included), in font sizes
MIN_HALF = 70

ROOT_STROKE = "#b42318"
ROOT_FILL = "#fdeceb"
INK = "#17212b"
BONE = "#0b4f8a"


@dataclass
class Cause:
    """One cause to draw: its text, whether it is retained as a root cause, its sub-causes."""

    text: str
    is_root: bool = False
    children: list[Cause] = field(default_factory=list)


@dataclass(frozen=True)
class Box:
    category: str
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]
    font: int
    is_root: bool
    level: int
    joint_x: float  # where the connector meets the bone (or the parent's stem)


@dataclass(frozen=True)
class Bone:
    category: str
    label: str
    label_x: float
    label_y: float
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass
class Layout:
    width: float
    height: float
    spine_y: float
    head: tuple[float, float, float, float]
    effect_lines: tuple[str, ...]
    bones: list[Bone]
    boxes: list[Box]


def wrap(text: str, width: float, font: int) -> list[str]:
    """Lines of at most ``width`` pixels (estimated), long words broken."""
    chars = max(int(width / (font * CHAR)), 4)
    return textwrap.wrap(" ".join(text.split()), chars, break_long_words=True) or [""]


def _column(index: int) -> tuple[float, float]:
    usable = WIDTH - HEAD_WIDTH - 2 * MARGIN - 20
    column_width = usable / 3
    return MARGIN + index * column_width, column_width


def _flatten(causes: list[Cause]) -> list[tuple[Cause, int]]:
    rows = []
    for cause in causes:
        rows.append((cause, 0))
        rows.extend((child, 1) for child in cause.children)
    return rows


def _stack(category: str, causes: list[Cause], left: float, width: float) -> tuple[list[dict], float]:
    """Boxes of one column, top to bottom from 0, and the height they take."""
    text_width = width * 0.62
    boxes, y = [], 0.0
    for cause, level in _flatten(causes):
        font = FONT if level == 0 else SUB_FONT
        indent = 14 * level
        # Bold glyphs of a root cause are wider: wrap them shorter.
        lines = wrap(cause.text, (text_width - indent - 2 * PAD) / (1.1 if cause.is_root else 1), font)
        height = len(lines) * font * LINE + 2 * PAD
        boxes.append(dict(category=category, x=left + indent, y=y, width=text_width - indent, height=height,
                          lines=tuple(lines), font=font, is_root=cause.is_root, level=level))
        y += height + GAP
    return boxes, max(y - GAP, 0)


def layout(effect: str, causes: dict[str, list[Cause]], labels: dict[str, str]) -> Layout:
    """Place the bones and every cause; ``causes`` and ``labels`` are keyed by 6M category."""
    stacks = {}
    for row in (TOP, BOTTOM):
        for index, category in enumerate(row):
            left, width = _column(index)
            stacks[category] = _stack(category, causes.get(category, []), left, width)
    top_half = max(MIN_HALF, *(stacks[c][1] for c in TOP)) + LABEL_HEIGHT + 2 * GAP
    bottom_half = max(MIN_HALF, *(stacks[c][1] for c in BOTTOM)) + LABEL_HEIGHT + 2 * GAP
    spine_y = MARGIN + top_half
    height = spine_y + bottom_half + MARGIN
    bones, boxes = [], []
    for row, above in ((TOP, True), (BOTTOM, False)):
        for index, category in enumerate(row):
            left, width = _column(index)
            bone_top = MARGIN + LABEL_HEIGHT if above else spine_y
            bone_bottom = spine_y if above else height - MARGIN - LABEL_HEIGHT
            far_y = bone_top if above else bone_bottom
            far_x, near_x = left + width * 0.70, left + width * 0.96
            label_y = MARGIN + LABEL_HEIGHT * 0.65 if above else height - MARGIN - LABEL_HEIGHT * 0.3
            bones.append(Bone(category, labels.get(category, category), far_x, label_y, far_x, far_y, near_x, spine_y))
            offset = bone_top + GAP if above else spine_y + GAP
            for spec in stacks[category][0]:
                y = spec["y"] + offset
                middle = y + spec["height"] / 2
                ratio = (middle - far_y) / (spine_y - far_y) if spine_y != far_y else 0
                joint = far_x + (near_x - far_x) * ratio if spec["level"] == 0 else spec["x"] - 7
                boxes.append(Box(y=y, joint_x=joint, **{k: v for k, v in spec.items() if k != "y"}))
    head_x = WIDTH - HEAD_WIDTH - MARGIN
    effect_lines = wrap(effect, HEAD_WIDTH - 2 * PAD - 4, FONT)[:8]
    head_height = max(len(effect_lines) * FONT * LINE + 4 * PAD, 40)
    head = (head_x, spine_y - head_height / 2, HEAD_WIDTH, head_height)
    return Layout(WIDTH, height, spine_y, head, tuple(effect_lines), bones, boxes)


def _text_lines(x: float, y: float, lines: tuple[str, ...], font: int, attrs: str = "") -> str:
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{y + font * LINE * (i + 0.8):.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text font-size="{font}" fill="{INK}"{attrs}>{spans}</text>'


def _box_svg(box: Box) -> str:
    stroke, fill = (ROOT_STROKE, ROOT_FILL) if box.is_root else ("#c9d1da", "#ffffff")
    middle = box.y + box.height / 2
    weight = ' font-weight="bold"' if box.is_root else ""
    connector = (
        f'<line x1="{box.x + box.width:.1f}" y1="{middle:.1f}" x2="{box.joint_x:.1f}" y2="{middle:.1f}" '
        f'stroke="{BONE}" stroke-width="1"/>' if box.level == 0 else
        f'<polyline points="{box.joint_x:.1f},{box.y - GAP:.1f} {box.joint_x:.1f},{middle:.1f} {box.x:.1f},{middle:.1f}" '
        f'fill="none" stroke="#7a8794" stroke-width="0.8"/>'
    )
    return (
        f'{connector}<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" '
        f'rx="3" fill="{fill}" stroke="{stroke}" stroke-width="{1.4 if box.is_root else 0.8}"/>'
        + _text_lines(box.x + PAD, box.y + PAD, box.lines, box.font, weight)
    )


def render(plan: Layout, *, title: str = "") -> str:
    """The SVG markup of a layout; every text is escaped."""
    hx, hy, hw, hh = plan.head
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fishbone" viewBox="0 0 {plan.width:.0f} {plan.height:.0f}" '
        f'width="{plan.width:.0f}" height="{plan.height:.0f}" role="img" font-family="DejaVu Sans, sans-serif">',
        f"<title>{escape(title)}</title>" if title else "",
        f'<line x1="{MARGIN}" y1="{plan.spine_y:.1f}" x2="{hx:.1f}" y2="{plan.spine_y:.1f}" stroke="{BONE}" stroke-width="3"/>',
        f'<polygon points="{hx - 12:.1f},{plan.spine_y - 7:.1f} {hx:.1f},{plan.spine_y:.1f} {hx - 12:.1f},{plan.spine_y + 7:.1f}" fill="{BONE}"/>',
        f'<rect x="{hx:.1f}" y="{hy:.1f}" width="{hw:.1f}" height="{hh:.1f}" rx="4" fill="#e6eff9" stroke="{BONE}" stroke-width="1.5"/>',
        _text_lines(hx + PAD + 2, hy + 2 * PAD, plan.effect_lines, FONT, ' font-weight="bold"'),
    ]
    for bone in plan.bones:
        parts.append(
            f'<line x1="{bone.x1:.1f}" y1="{bone.y1:.1f}" x2="{bone.x2:.1f}" y2="{bone.y2:.1f}" stroke="{BONE}" stroke-width="2"/>'
            f'<text x="{bone.label_x:.1f}" y="{bone.label_y:.1f}" font-size="12" font-weight="bold" fill="{BONE}" '
            f'text-anchor="middle">{escape(str(bone.label))}</text>'
        )
    parts.extend(_box_svg(box) for box in plan.boxes)
    parts.append("</svg>")
    return "".join(parts)


def fishbone_svg(effect: str, causes: dict[str, list[Cause]], labels: dict[str, str]) -> str:
    """The diagram in one call: layout, then SVG."""
    return render(layout(effect, causes, labels), title=effect)
