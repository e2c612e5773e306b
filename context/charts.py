"""The influence x interest map of interested parties (plotly; plotly.js is served locally)."""

from __future__ import annotations

from collections import defaultdict

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from context.choices import PartyPriority
from context.scoring import HIGH_FROM
from qse.charts import figure_html

COLORS = {
    PartyPriority.MANAGE_CLOSELY: "#c62828",
    PartyPriority.KEEP_SATISFIED: "#ef6c00",
    PartyPriority.KEEP_INFORMED: "#1565c0",
    PartyPriority.MONITOR: "#607d8b",
}


def _spread(parties) -> dict[int, tuple[float, float]]:
    """Small offsets so parties with the same scores do not hide one another."""
    offsets: dict[int, tuple[float, float]] = {}
    by_cell = defaultdict(list)
    for party in parties:
        by_cell[(party.interest, party.influence)].append(party)
    for cell in by_cell.values():
        for index, party in enumerate(cell):
            step = (index - (len(cell) - 1) / 2) * 0.12
            offsets[party.pk] = (step, -step / 2)
    return offsets


def party_map_figure(parties) -> str:
    offsets = _spread(parties)
    figure = go.Figure()
    for priority in PartyPriority:
        members = [p for p in parties if p.priority == priority]
        figure.add_trace(go.Scatter(
            x=[p.interest + offsets[p.pk][0] for p in members], y=[p.influence + offsets[p.pk][1] for p in members],
            text=[p.name for p in members], customdata=[p.get_absolute_url() for p in members],
            mode="markers+text", textposition="top center", name=str(priority.label),
            marker=dict(size=14, color=COLORS[priority], line=dict(width=1, color="#fff")),
            hovertemplate="%{text}<extra>" + str(priority.label) + "</extra>",
        ))
    boundary = HIGH_FROM - 0.5
    for axis in ("x", "y"):
        line = dict(x0=boundary, x1=boundary, y0=0.5, y1=5.5) if axis == "x" else dict(x0=0.5, x1=5.5, y0=boundary, y1=boundary)
        figure.add_shape(type="line", line=dict(color="#9e9e9e", dash="dot"), **line)
    figure.update_layout(
        height=520, margin=dict(l=50, r=10, t=30, b=50), template="plotly_white", paper_bgcolor="rgba(0,0,0,0)",
        xaxis=dict(title=_("Interest"), range=[0.5, 5.5], dtick=1), yaxis=dict(title=_("Influence"), range=[0.5, 5.5], dtick=1),
    )
    return figure_html(figure, div_id="party-map", link_points=True, top_margin=60)
