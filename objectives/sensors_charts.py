"""A device's series as a chart (qse/charts.py): the mean, the band between minimum and
maximum, and the device's limits as dashed lines."""

from __future__ import annotations

import datetime

import plotly.graph_objects as go
from django.utils import timezone
from django.utils.translation import gettext as _

from qse.charts import figure_html

MEAN_COLOR = "#1f5f8b"
BAND_COLOR = "rgba(31, 95, 139, 0.15)"
LIMIT_COLOR = "#b3261e"


def series_figure(device, points, *, title: str):
    """The figure's HTML (a div and its JSON) for ``points`` of selectors_sensors.device_series."""
    # Hours are stored in UTC: plotted as the plant's local time (plotly ignores offsets).
    at = [timezone.localtime(p.at).replace(tzinfo=None) if isinstance(p.at, datetime.datetime) else p.at for p in points]
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=at, y=[p.maximum for p in points], mode="lines", line=dict(width=0),
                                name=_("maximum"), showlegend=False, hoverinfo="skip"))
    figure.add_trace(go.Scatter(x=at, y=[p.minimum for p in points], mode="lines", line=dict(width=0), fill="tonexty",
                                fillcolor=BAND_COLOR, name=_("minimum to maximum")))
    figure.add_trace(go.Scatter(x=at, y=[p.mean for p in points], mode="lines", line=dict(color=MEAN_COLOR, width=2),
                                name=_("mean")))
    for limit, label in ((device.limit_high, _("high limit")), (device.limit_low, _("low limit"))):
        if limit is not None:
            figure.add_hline(y=limit, line=dict(color=LIMIT_COLOR, dash="dash", width=1),
                             annotation_text=label, annotation_position="top left")
    figure.update_layout(title=title, height=320, yaxis_title=device.unit, hovermode="x unified")
    return figure_html(figure)
