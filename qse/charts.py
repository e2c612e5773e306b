"""Plotly figures as HTML fragments, in the reader's language and readable on a 1024 px tablet.

Every chart of the product goes through ``figure_html``: numbers use the language's
separators ("0,16", "17 420" in French, never "0.1634" nor "17.42k"), plotly's own texts come
from the vendored locale (static/js/plotly-locale-fr.js, loaded by qse/_plotly.html), and
the legend sits above the plot, where it cannot overlap the axis labels below it."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import get_language

# Two decimals at most, trailing zeros dropped, thousands grouped: counts, costs and rates.
NUMBER_FORMAT = ",.2~f"
SEPARATORS = {"fr": ", ", "en": ".,"}


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


def figure_html(figure: go.Figure, *, div_id: str | None = None, top_margin: int = 80) -> str:
    """The figure as an HTML fragment (plotly.js is served locally, never from a CDN)."""
    localize(figure)
    figure.update_layout(margin=dict(t=top_margin))
    config = {"displayModeBar": False, "responsive": True, "locale": chart_language()}
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=config)
