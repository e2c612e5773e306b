"""The charts of environmental performance (plotly through ``qse.charts.figure_html``: no
inline script, numbers in the reader's language).

Plain figure dicts (``qse.charts.figure_dict``), not ``plotly.graph_objects``: validating
every property of a figure and its template cost more than the dashboard's queries; plotly.js
draws the same JSON (tests/risks/test_environment_charts.py compares them)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qse.charts import figure_dict, figure_html

SCOPE_COLOURS = {1: "#b45309", 2: "#2563eb", 3: "#64748b"}
# The template a figure gets when none is named (plotly's default).
TEMPLATE = "plotly"


def _layout(*, height: int, unit: str, title: str, **extra) -> dict:
    return dict(template=TEMPLATE, height=height, yaxis={"title": {"text": unit}}, title={"text": title},
                xaxis={"type": "category"}, **extra)


def _floats(values) -> list:
    return [float(value) if value is not None else None for value in values]


def ghg_trend_chart(trend: list[dict]):
    """tCO2e per year, stacked by scope."""
    years = [str(row["year"]) for row in trend]
    data = [
        {"type": "bar", "name": _("Scope {n}").format(n=scope), "x": years,
         "y": _floats(row[f"scope{scope}"] for row in trend), "marker": {"color": SCOPE_COLOURS[scope]}}
        for scope in (1, 2, 3)
    ]
    return figure_html(figure_dict(data, **_layout(height=300, unit="t CO2e", title=_("Greenhouse-gas emissions per year"),
                                                   barmode="stack")))


def meter_chart(series: list[dict], unit: str):
    """Monthly consumption against the monthly target."""
    months = [date_format(row["month"], "M Y") for row in series]
    data = [{"type": "bar", "name": _("Consumption"), "x": months, "y": _floats(row["consumption"] for row in series),
             "marker": {"color": "#2563eb"}}]
    if any(row["target"] is not None for row in series):
        data.append({"type": "scatter", "name": _("Target"), "x": months, "mode": "lines",
                     "y": _floats(row["target"] for row in series), "line": {"color": "#dc2626", "dash": "dash"}})
    return figure_html(figure_dict(data, **_layout(height=300, unit=unit, title=_("Consumption per month"))))


def intensity_chart(series: list[dict], unit: str):
    months = [date_format(row["month"], "M Y") for row in series]
    data = [{"type": "scatter", "name": _("Intensity"), "x": months, "mode": "lines+markers",
             "y": _floats(row["intensity"] for row in series), "line": {"color": "#059669"}}]
    return figure_html(figure_dict(data, **_layout(height=260, unit=unit, title=_("Consumption per unit produced"))))
