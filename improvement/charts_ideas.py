"""Plotly figures of the suggestions' dashboard (HTML fragments; plotly.js is served locally)."""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from qse.charts import figure_html

STATUS_COLORS = {
    "submitted": "#7a8794", "under_review": "#1d5ea8", "accepted": "#2e7d32", "implemented": "#17703a",
    "rejected": "#b8c0c8",
}
TEAM_COLORS = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#c62828", "#5d4037", "#7a8794")


def _layout(figure: go.Figure, title: str, *, highest: int) -> go.Figure:
    figure.update_layout(title=title, height=320, margin=dict(l=40, r=10, b=40), paper_bgcolor="rgba(0,0,0,0)",
                         template="plotly_white")
    if highest <= 10:  # counts: whole ticks, not 0.5
        figure.update_yaxes(dtick=1, rangemode="tozero")
    return figure


def by_status(counts: dict) -> str:
    rows = counts["by_status"]
    figure = go.Figure(go.Bar(x=[row["label"] for row in rows], y=[row["count"] for row in rows],
                              marker_color=[STATUS_COLORS[row["status"]] for row in rows]))
    return figure_html(_layout(figure, _("Suggestions by state"), highest=max((r["count"] for r in rows), default=0)))


def per_team_and_month(team_month: dict) -> str:
    """One stacked bar per month, a colour per team."""
    months = team_month["months"]
    figure = go.Figure([
        go.Bar(name=team or _("(no team)"), x=months, y=[values.get(month, 0) for month in months],
               marker_color=TEAM_COLORS[index % len(TEAM_COLORS)])
        for index, (team, values) in enumerate(sorted(team_month["teams"].items()))
    ])
    figure.update_layout(barmode="stack")
    highest = max((sum(values.get(month, 0) for values in team_month["teams"].values()) for month in months), default=0)
    return figure_html(_layout(figure, _("Suggestions per team and month"), highest=highest))


def dashboard_charts(counts: dict, team_month: dict) -> dict[str, str]:
    return {"by_status": by_status(counts), "per_team_and_month": per_team_and_month(team_month)}
