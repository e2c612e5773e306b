"""The environmental charts as plain figure dicts reach plotly.js exactly as the validated
``plotly.graph_objects`` figures they replace did (same JSON, in both languages): the
reference functions below are the charts as they were built before."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qse.charts import figure_html
from risks import views_environment_charts as charts

SERIES = [
    {"month": datetime.date(2026, 1, 1), "consumption": Decimal("1520.5"), "target": Decimal("1500"),
     "intensity": Decimal("0.42")},
    {"month": datetime.date(2026, 2, 1), "consumption": None, "target": Decimal("1500"), "intensity": None},
    {"month": datetime.date(2026, 3, 1), "consumption": Decimal("1310"), "target": None, "intensity": Decimal("0.4")},
]
TREND = [{"year": 2025, "scope1": Decimal("12.5"), "scope2": Decimal("3"), "scope3": Decimal("40.25")},
         {"year": 2026, "scope1": Decimal("11"), "scope2": Decimal("2.5"), "scope3": Decimal("38")}]


def _payload(html: str) -> dict:
    return json.loads(re.search(r"data-plotly-figure=\"[^\"]+\">(.*)</script>", str(html), re.S).group(1))


def _validated_ghg_trend_chart(trend):
    years = [str(row["year"]) for row in trend]
    figure = go.Figure()
    for scope in (1, 2, 3):
        figure.add_bar(name=_("Scope {n}").format(n=scope), x=years, y=[float(row[f"scope{scope}"]) for row in trend],
                       marker_color=charts.SCOPE_COLOURS[scope])
    figure.update_layout(barmode="stack", height=300, yaxis_title="t CO2e", title=_("Greenhouse-gas emissions per year"))
    figure.update_xaxes(type="category")
    return figure_html(figure)


def _validated_meter_chart(series, unit):
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


def _validated_intensity_chart(series, unit):
    months = [date_format(row["month"], "M Y") for row in series]
    figure = go.Figure()
    figure.add_scatter(name=_("Intensity"), x=months, mode="lines+markers",
                       y=[float(row["intensity"]) if row["intensity"] is not None else None for row in series],
                       line={"color": "#059669"})
    figure.update_layout(height=260, yaxis_title=unit, title=_("Consumption per unit produced"))
    figure.update_xaxes(type="category")
    return figure_html(figure)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_environmental_chart_as_a_plain_dict_is_the_validated_figure_it_replaces(language):
    with translation.override(language):
        pairs = [
            (charts.ghg_trend_chart(TREND), _validated_ghg_trend_chart(TREND)),
            (charts.meter_chart(SERIES, "kWh"), _validated_meter_chart(SERIES, "kWh")),
            (charts.meter_chart([{**row, "target": None} for row in SERIES], "m³"),
             _validated_meter_chart([{**row, "target": None} for row in SERIES], "m³")),
            (charts.intensity_chart(SERIES, "kWh/t"), _validated_intensity_chart(SERIES, "kWh/t")),
        ]
    for ours, reference in pairs:
        assert _payload(ours) == _payload(reference)


def test_the_meter_chart_shows_gaps_as_gaps_and_the_target_as_a_dashed_line():
    with translation.override("fr"):
        figure = _payload(charts.meter_chart(SERIES, "kWh"))
    bars, target = figure["data"]
    assert bars["y"] == [1520.5, None, 1310.0] and target["y"] == [1500.0, 1500.0, None]
    assert (bars["name"], target["name"], target["line"]) == ("Consommation", "Objectif", {"color": "#dc2626", "dash": "dash"})
    assert figure["layout"]["title"]["text"] == "Consommation par mois"
    assert figure["layout"]["yaxis"]["title"] == {"text": "kWh"} and figure["layout"]["xaxis"]["type"] == "category"
