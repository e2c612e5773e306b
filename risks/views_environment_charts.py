"""The charts of environmental performance (plotly through ``qse.charts.figure_html``: no
inline script, numbers in the reader's language)."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qse.charts import figure_html

SCOPE_COLOURS = {1: "#b45309", 2: "#2563eb", 3: "#64748b"}


def ghg_trend_chart(trend: list[dict]):
    """tCO2e per year, stacked by scope."""
    years = [str(row["year"]) for row in trend]
    figure = go.Figure()
    for scope in (1, 2, 3):
        figure.add_bar(name=_("Scope {n}").format(n=scope), x=years, y=[float(row[f"scope{scope}"]) for row in trend],
                       marker_color=SCOPE_COLOURS[scope])
    figure.update_layout(barmode="stack", height=300, yaxis_title="t CO2e",
                         title=_("Greenhouse-gas emissions per year"))
    figure.update_xaxes(type="category")
    return figure_html(figure)


def meter_chart(series: list[dict], unit: str):
    """Monthly consumption against the monthly target."""
    months = [date_format(row["month"], "M Y") for row in series]
    figure = go.Figure()
    figure.add_bar(name=_("Consumption"), x=months, y=[float(row["consumption"]) if row["consumption"] is not None else None
                                                       for row in series], marker_color="#2563eb")
    if any(row["target"] is not None for row in series):
        figure.add_scatter(name=_("Target"), x=months, mode="lines",
                           y=[float(row["target"]) if row["target"] is not None else None for row in series],
                           line={"color": "#dc2626", "dash": "dash"})
    figure.update_layout(height=300, yaxis_title=unit, title=_("Consumption per month"))
    figure.update_xaxes(type="category")
    return figure_html(figure)


def intensity_chart(series: list[dict], unit: str):
    months = [date_format(row["month"], "M Y") for row in series]
    figure = go.Figure()
    figure.add_scatter(name=_("Intensity"), x=months, mode="lines+markers",
                       y=[float(row["intensity"]) if row["intensity"] is not None else None for row in series],
                       line={"color": "#059669"})
    figure.update_layout(height=260, yaxis_title=unit, title=_("Consumption per unit produced"))
    figure.update_xaxes(type="category")
    return figure_html(figure)
