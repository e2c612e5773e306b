"""A device's series as a chart (qse/charts.py): the mean, the band between minimum and
maximum, and the device's limits as dashed lines.

Arrays go to plotly as numpy arrays and the limits as two-point traces (not ``add_hline``
shapes): plotly validates Python lists item by item, which made a year of days cost most of
the page's time."""

from __future__ import annotations

import datetime

import numpy as np
import plotly.graph_objects as go
from django.utils import timezone
from django.utils.translation import gettext as _

from qse.charts import figure_html

MEAN_COLOR = "#1f5f8b"
BAND_COLOR = "rgba(31, 95, 139, 0.15)"
LIMIT_COLOR = "#b3261e"


def _times(points) -> np.ndarray:
    # Hours are stored in UTC: plotted as the plant's local time (plotly ignores offsets).
    return np.array(
        [timezone.localtime(p.at).replace(tzinfo=None) if isinstance(p.at, datetime.datetime) else p.at for p in points],
        dtype="datetime64[s]",
    )


def series_figure(device, points, *, title: str):
    """The figure's HTML (a div and its JSON) for ``points`` of selectors_sensors.device_series."""
    at = _times(points)
    column = {name: np.array([getattr(p, name) for p in points], dtype=float) for name in ("mean", "minimum", "maximum")}
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=at, y=column["maximum"], mode="lines", line=dict(width=0),
                                name=_("maximum"), showlegend=False, hoverinfo="skip"))
    figure.add_trace(go.Scatter(x=at, y=column["minimum"], mode="lines", line=dict(width=0), fill="tonexty",
                                fillcolor=BAND_COLOR, name=_("minimum to maximum")))
    figure.add_trace(go.Scatter(x=at, y=column["mean"], mode="lines", line=dict(color=MEAN_COLOR, width=2),
                                name=_("mean")))
    ends = np.array([at[0], at[-1]])
    for limit, label in ((device.limit_high, _("high limit")), (device.limit_low, _("low limit"))):
        if limit is not None:
            figure.add_trace(go.Scatter(x=ends, y=np.array([limit, limit]), mode="lines", name=label,
                                        line=dict(color=LIMIT_COLOR, dash="dash", width=1), hoverinfo="skip"))
    figure.update_layout(title=title, height=320, yaxis_title=device.unit, hovermode="x unified")
    return figure_html(figure)
