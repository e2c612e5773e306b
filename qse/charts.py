"""Plotly figures on a page: in the reader's language, readable on a 1024 px tablet, and
without inline script, for the Content-Security-Policy.

Every chart of the product goes through ``figure_html``:
- numbers use the language's separators ("0,16", "17 420" in French, never "0.1634" nor
  "17.42k"), plotly's own texts come from the vendored locale (static/js/plotly-locale-fr.js,
  loaded by qse/_plotly.html), and the legend sits above the plot, where it cannot overlap the
  axis labels below it;
- ``figure.to_html`` would write an inline ``<script>`` calling ``Plotly.newPlot``, which a
  strict ``script-src 'self'`` refuses: the figure becomes an empty ``div`` and its JSON in a
  ``<script type="application/json">`` (data: the browser never runs it), and
  ``static/js/qse.js`` draws every such figure (also in HTMX partials).
"""

from __future__ import annotations

import copy
import functools
import re
import uuid

import plotly.graph_objects as go
import plotly.io as pio
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from plotly.io.json import to_json_plotly

# Two decimals at most, trailing zeros dropped, thousands grouped: counts, costs and rates.
NUMBER_FORMAT = ",.2~f"
SEPARATORS = {"fr": ", ", "en": ".,"}


# The trace types the product draws. plotly's "plotly_white" carries defaults for 24 types;
# assigning it copied and validated them all for every figure (most of a dashboard's time)
# and wrote them into every figure's JSON. Registered again under the same name, with its
# layout and only these types' defaults, every chart looks the same for half the work.
DRAWN_TRACE_TYPES = ("bar", "scatter", "heatmap", "pie", "histogram", "box")


def _light_white_template() -> go.layout.Template:
    white = pio.templates["plotly_white"]
    return go.layout.Template(layout=white.layout,
                              data={kind: white.data[kind] for kind in DRAWN_TRACE_TYPES if white.data[kind]})


pio.templates["plotly_white"] = _light_white_template()


def chart_language() -> str:
    return "fr" if (get_language() or "fr").startswith("fr") else "en"


def localize(figure: go.Figure) -> go.Figure:
    """Separators, number formats and legend placement for the current language."""
    figure.update_layout(
        separators=SEPARATORS[chart_language()],
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        title=dict(x=0, xanchor="left", y=0.98, yanchor="top", font=dict(size=15)),
    )
    figure.update_yaxes(tickformat=NUMBER_FORMAT, hoverformat=NUMBER_FORMAT, automargin=True)
    figure.update_xaxes(automargin=True)
    return figure


def figure_html(figure: go.Figure | dict, *, config: dict | None = None, div_id: str | None = None,
                link_points: bool = False, top_margin: int = 80) -> SafeString:
    """The figure, localized, as a ``div`` plus its JSON. ``to_json_plotly`` escapes ``<``,
    ``>`` and ``/``, so no text of the figure (user data) can close the JSON block.
    ``link_points``: a click on a point opens the URL in its ``customdata``.

    ``figure`` may be a plain ``{"data": [...], "layout": {...}}`` (see ``figure_dict``):
    plotly draws the same figure from it, without the Python-side validation of every
    property that made each chart cost tens of milliseconds."""
    if isinstance(figure, dict):
        plotted = _localized_dict(figure, top_margin)
    else:
        localize(figure)
        figure.update_layout(margin=dict(t=top_margin))
        plotted = figure.to_plotly_json()
    div_id = div_id or f"chart-{uuid.uuid4().hex[:12]}"
    height = plotted["layout"].get("height")
    payload = to_json_plotly({
        "data": plotted["data"], "layout": plotted["layout"],
        "config": {"displayModeBar": False, "responsive": True, "locale": chart_language(), **(config or {})},
    })
    return format_html(
        '<div id="{}" class="plotly-graph-div" style="height:{}; width:100%;"{}></div>'
        '<script type="application/json" data-plotly-figure="{}">{}</script>',
        div_id, f"{height}px" if height else "100%", SafeString(" data-link-points") if link_points else "",
        div_id, SafeString(payload),
    )


def figure_dict(data: list[dict], **layout) -> dict:
    """A figure as plotly.js reads it: traces as dicts (``{"type": "bar", "x": [...],
    "marker": {"color": ...}}``, nested, not ``marker_color``), the layout's keys as in
    ``update_layout``. ``template="plotly_white"`` names the product's light template."""
    return {"data": data, "layout": layout}


@functools.cache
def _template_json(name: str) -> dict:
    return pio.templates[name].to_plotly_json()


def _localized_dict(figure: dict, top_margin: int) -> dict:
    """What ``localize`` and the top margin do to a validated figure, on a plain dict: the
    JSON plotly.js receives is the same (tests/qse/test_charts.py compares them)."""
    layout = copy.deepcopy(figure.get("layout", {}))
    if isinstance(layout.get("template"), str):
        layout["template"] = _template_json(layout["template"])
    title = layout.get("title")
    title = {"text": title} if isinstance(title, str) else dict(title or {})
    layout.update(
        separators=SEPARATORS[chart_language()],
        legend={**layout.get("legend", {}), "orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left",
                "x": 0},
        title={**title, "x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top",
               "font": {**title.get("font", {}), "size": 15}},
        margin={**layout.get("margin", {}), "t": top_margin},
    )
    # Every y axis the figure has (the first always exists), as update_yaxes does.
    for name in {"yaxis", *(key for key in layout if _AXIS.fullmatch(key) and key.startswith("y"))}:
        layout[name] = {**layout.get(name, {}), "tickformat": NUMBER_FORMAT, "hoverformat": NUMBER_FORMAT,
                        "automargin": True}
    for name in {"xaxis", *(key for key in layout if _AXIS.fullmatch(key) and key.startswith("x"))}:
        layout[name] = {**layout.get(name, {}), "automargin": True}
    return {"data": figure["data"], "layout": layout}


_AXIS = re.compile(r"[xy]axis[0-9]*")
