"""Vector charts of the review's sections, drawn server-side as inline SVG from a section's
``chart`` payload (``{"kind": "line"|"bar", "labels": [...], "series": [{"name", "values"}]}``):
the same markup on the page and in the PDF pack, no script (CSP) and no raster image."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#1d5ea8", "#c2571a", "#17703a", "#7a3e9d", "#b8860b", "#7a8794")
WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 46


def _numbers(values) -> list[float | None]:
    out = []
    for value in values:
        try:
            out.append(None if value is None else float(value))
        except (TypeError, ValueError):
            out.append(None)
    return out


def _scale(series: list[list[float | None]]) -> tuple[float, float]:
    known = [value for values in series for value in values if value is not None]
    low, high = min(known, default=0.0), max(known, default=1.0)
    low = min(low, 0.0)
    if high == low:
        high = low + 1.0
    return low, high


def chart_svg(chart: dict | None) -> SafeString:
    """The chart as an SVG element ('' when there is nothing to draw)."""
    if not chart or not chart.get("labels") or not chart.get("series"):
        return mark_safe("")
    labels = [str(label) for label in chart["labels"]]
    series = [(str(s.get("name", "")), _numbers(s.get("values", []))) for s in chart["series"]]
    low, high = _scale([values for _name, values in series])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels), 1)

    def y(value: float) -> float:
        return TOP + plot_h - (value - low) / (high - low) * plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="review-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}" role="img">']
    parts += _axes(low, high, y, plot_w)
    for index, label in enumerate(labels):
        x = LEFT + step * index + step / 2
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="9" text-anchor="middle">'
                     f'{escape(label[:10])}</text>')
    drawer = _bars if chart.get("kind") == "bar" else _lines
    for number, (_name, values) in enumerate(series):
        parts += drawer(values, number, len(series), step, y)
    parts += _legend(series)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def _axes(low, high, y, plot_w) -> list[str]:
    parts = [f'<line x1="{LEFT}" y1="{y(low):.1f}" x2="{LEFT + plot_w}" y2="{y(low):.1f}" stroke="#7a8794"/>']
    for tick in (low, (low + high) / 2, high):
        parts.append(f'<text x="{LEFT - 4}" y="{y(tick) + 3:.1f}" font-size="9" text-anchor="end">{tick:g}</text>')
        parts.append(f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{LEFT + plot_w}" y2="{y(tick):.1f}" '
                     'stroke="#e3e7eb" stroke-width="0.5"/>')
    return parts


def _lines(values, number, count, step, y) -> list[str]:
    color = PALETTE[number % len(PALETTE)]
    points = [(LEFT + step * i + step / 2, y(v)) for i, v in enumerate(values) if v is not None]
    if not points:
        return []
    path = " ".join(f"{x:.1f},{py:.1f}" for x, py in points)
    dots = [f'<circle cx="{x:.1f}" cy="{py:.1f}" r="2.5" fill="{color}"/>' for x, py in points]
    return [f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>', *dots]


def _bars(values, number, count, step, y) -> list[str]:
    color = PALETTE[number % len(PALETTE)]
    width = step * 0.8 / max(count, 1)
    parts = []
    for index, value in enumerate(values):
        if value is None:
            continue
        x = LEFT + step * index + step * 0.1 + width * number
        top, base = y(max(value, 0)), y(min(value, 0))
        parts.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{base - top:.1f}" fill="{color}"/>')
    return parts


def _legend(series) -> list[str]:
    parts, x = [], LEFT
    for number, (name, _values) in enumerate(series):
        color = PALETTE[number % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{HEIGHT - 16}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{x + 14}" y="{HEIGHT - 7}" font-size="10">{escape(name[:40])}</text>')
        x += 24 + 6 * min(len(name), 40)
    return parts
