"""Plotly figures of an indicator: trend with target and thresholds, moving average and
forecast; control chart with its limits and the points that break a rule."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from objectives import forecast as forecasting
from objectives import kpi, spc
from objectives.choices import ChartKind, Direction
from qse.charts import figure_html

GREEN, ORANGE, RED, BLUE, GREY = "#2e7d32", "#ef6c00", "#c62828", "#1565c0", "#757575"


def _line(x, y, name, color, dash="dash"):
    return go.Scatter(x=x, y=y, name=name, mode="lines", line=dict(color=color, dash=dash, width=1.5), hoverinfo="skip")


def _thresholds(figure, indicator, x):
    if not x:
        return
    figure.add_trace(_line(x, [float(indicator.target)] * len(x), _("Target"), BLUE, "dot"))
    if indicator.green_threshold is not None:
        figure.add_trace(_line(x, [float(indicator.green_threshold)] * len(x), _("Green threshold"), GREEN))
    if indicator.red_threshold is not None:
        figure.add_trace(_line(x, [float(indicator.red_threshold)] * len(x), _("Red threshold"), RED))


def forecast_of(indicator, series):
    """The OLS forecast of the series (None when too short), and its periods."""
    values = [float(value) for _period, value in series]
    red = float(indicator.red_threshold) if indicator.red_threshold is not None else None
    result = forecasting.ols_forecast(values, red_threshold=red, higher_is_better=indicator.direction == Direction.HIGHER_IS_BETTER)
    if result is None:
        return None, []
    last = series[-1][0]
    return result, [kpi.shift_period(last, indicator.frequency, step) for step in range(1, result.horizon + 1)]


def trend_figure(indicator, series, *, height: int = 340, with_forecast: bool = True, title: str | None = None,
                 legend: bool = True) -> str:
    """Values, 3-period moving average, target and thresholds, and the forecast with its interval."""
    x = [period for period, _value in series]
    y = [float(value) for _period, value in series]
    figure = go.Figure()
    if indicator.chart_kind == ChartKind.BAR:
        figure.add_trace(go.Bar(x=x, y=y, name=indicator.name, marker_color=BLUE))
    else:
        figure.add_trace(go.Scatter(x=x, y=y, name=indicator.name, mode="lines+markers", line=dict(color=BLUE, width=2)))
    if len(y) >= 3:
        figure.add_trace(go.Scatter(x=x, y=forecasting.moving_average(y, 3), name=_("Moving average (3)"), mode="lines",
                                    line=dict(color=GREY, width=1.5)))
    prediction, future = forecast_of(indicator, series) if with_forecast else (None, [])
    _thresholds(figure, indicator, x + future)
    if prediction is not None:
        figure.add_trace(go.Scatter(x=future + future[::-1], y=prediction.upper + prediction.lower[::-1], fill="toself",
                                    fillcolor="rgba(239,108,0,0.15)", line=dict(width=0), mode="lines",
                                    name=_("95 % interval"), hoverinfo="skip"))
        figure.add_trace(go.Scatter(x=future, y=prediction.predicted, name=_("Forecast (OLS)"), mode="lines",
                                    line=dict(color=ORANGE, dash="dot", width=2)))
    figure.update_layout(height=height, template="plotly_white", margin=dict(l=40, r=10, b=40),
                         paper_bgcolor="rgba(0,0,0,0)", title=title, yaxis_title=indicator.unit or None, showlegend=legend)
    return figure_html(figure, top_margin=60 if title or legend else 10)


def control_figure(indicator, series, limits: spc.Limits, flags: dict[int, list[int]], *, height: int = 340) -> str:
    """X chart: values, centre line, 3-sigma limits; points breaking a rule in red."""
    x = [period for period, _value in series]
    y = [float(value) for _period, value in series]
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=x, y=y, name=indicator.name, mode="lines+markers", line=dict(color=BLUE)))
    figure.add_trace(_line(x, [limits.center] * len(x), _("Centre line"), GREEN, "solid"))
    figure.add_trace(_line(x, [limits.upper] * len(x), _("Upper control limit"), RED))
    figure.add_trace(_line(x, [limits.lower] * len(x), _("Lower control limit"), RED))
    if flags:
        figure.add_trace(go.Scatter(
            x=[x[i] for i in flags], y=[y[i] for i in flags], mode="markers", name=_("Rule broken"),
            marker=dict(color=RED, size=12, symbol="circle-open", line=dict(width=3)),
            text=[_("Rules {rules}").format(rules=", ".join(str(r) for r in rules)) for rules in flags.values()],
        ))
    figure.update_layout(height=height, template="plotly_white", margin=dict(l=40, r=10, b=40),
                         paper_bgcolor="rgba(0,0,0,0)", yaxis_title=indicator.unit or None)
    return figure_html(figure, top_margin=40)
