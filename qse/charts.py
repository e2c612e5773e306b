"""Plotly figures on a page without inline script, for the Content-Security-Policy.

``figure.to_html`` writes an inline ``<script>`` that calls ``Plotly.newPlot``; a strict
``script-src 'self'`` refuses it. Here a figure becomes an empty ``div`` and its JSON in a
``<script type="application/json">`` (data: the browser never runs it), and
``static/js/qse.js`` draws every such figure (also in HTMX partials).
"""

from __future__ import annotations

import uuid

from django.utils.html import format_html
from django.utils.safestring import SafeString
from plotly.io.json import to_json_plotly

DEFAULT_CONFIG = {"displayModeBar": False, "responsive": True}


def figure_html(figure, *, config: dict | None = None, div_id: str | None = None, link_points: bool = False) -> SafeString:
    """The figure as a ``div`` plus its JSON. ``to_json_plotly`` escapes ``<``, ``>`` and ``/``,
    so no text of the figure (user data) can close the JSON block. ``link_points``: a click
    on a point opens the URL in its ``customdata``."""
    div_id = div_id or f"chart-{uuid.uuid4().hex[:12]}"
    height = figure.layout.height
    plotted = figure.to_plotly_json()
    payload = to_json_plotly({
        "data": plotted["data"], "layout": plotted["layout"],
        "config": config if config is not None else DEFAULT_CONFIG,
    })
    return format_html(
        '<div id="{}" class="plotly-graph-div" style="height:{}; width:100%;"{}></div>'
        '<script type="application/json" data-plotly-figure="{}">{}</script>',
        div_id, f"{height}px" if height else "100%", SafeString(" data-link-points") if link_points else "",
        div_id, SafeString(payload),
    )
