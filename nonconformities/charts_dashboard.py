"""Plotly figures of the events dashboard (HTML fragments; plotly.js is served locally)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from nonconformities import indicators
from qse.charts import figure_dict, figure_html

COLOURS = {"quality": "#1565c0", "safety": "#c62828", "environment": "#2e7d32"}
BAR, LINE = "#0b4f8a", "#ef6c00"


def _html(data: list[dict], layout: dict, title: str, height: int = 340) -> str:
    # Plain figure dicts: plotly's validation of every property was most of the dashboard's time.
    return figure_html(figure_dict(
        data, **layout, title=title, height=height, margin=dict(l=50, r=50, b=40), template="plotly_white",
        paper_bgcolor="rgba(0,0,0,0)",
    ))


def _month(month) -> str:
    return date_format(month, "M Y")


def pareto_chart(bars: list[indicators.ParetoBar], title: str, value_label: str) -> str:
    """Bars from the largest, the cumulative share as a line on a 0-100 % right axis."""
    if not bars:
        return ""
    labels = [str(bar.label)[:40] for bar in bars]
    data = [
        {"type": "bar", "x": labels, "y": [float(bar.value) for bar in bars], "name": value_label,
         "marker": {"color": BAR}},
        {"type": "scatter", "x": labels, "y": [bar.cumulative_percent for bar in bars], "name": _("Cumulative %"),
         "yaxis": "y2", "mode": "lines+markers", "line": {"color": LINE}},
    ]
    layout = dict(
        yaxis={"title": {"text": value_label}},
        yaxis2=dict(overlaying="y", side="right", range=[0, 105], tickvals=[0, 20, 40, 60, 80, 100], ticksuffix=" %",
                    showgrid=False),
        shapes=[dict(type="line", xref="paper", x0=0, x1=1, yref="y2", y0=80, y1=80, line=dict(dash="dot", color="#8a95a1"))],
    )
    return _html(data, layout, title)


def trend_chart(trend: list[dict]) -> str:
    """Events per month stacked by family, cost of non-quality as a line (right axis)."""
    months = [_month(row["month"]) for row in trend]
    bars = [
        {"type": "bar", "x": months, "y": [row[family] for row in trend], "name": str(label),
         "marker": {"color": COLOURS[family]}}
        for family, label in indicators.FAMILIES.items()
    ]
    cost = {"type": "scatter", "x": months, "y": [float(row["cost"]) for row in trend],
            "name": _("Cost of non-quality (€)"), "yaxis": "y2", "mode": "lines+markers", "line": {"color": LINE}}
    layout = dict(
        barmode="stack", yaxis={"title": {"text": _("Events")}},
        yaxis2=dict(overlaying="y", side="right", title={"text": "€"}, showgrid=False, rangemode="tozero"),
    )
    return _html([*bars, cost], layout, _("Events and cost of non-quality per month"), height=360)


def rates_chart(months: list) -> str:
    """TF and TG per month (bars) and over rolling 12 months (lines); no hours, no point."""
    labels = [_month(row.month) for row in months]

    def values(rates_of):
        return [None if rates_of(row) is None else float(rates_of(row)) for row in months]

    data = [
        {"type": "bar", "x": labels, "y": values(lambda r: r.month_rates.frequency), "name": _("TF (month)"),
         "marker": {"color": "#90caf9"}},
        {"type": "scatter", "x": labels, "y": values(lambda r: r.rolling_rates.frequency),
         "name": _("TF (rolling 12 months)"), "mode": "lines+markers", "line": {"color": BAR}},
        {"type": "scatter", "x": labels, "y": values(lambda r: r.rolling_rates.severity),
         "name": _("TG (rolling 12 months)"), "mode": "lines+markers", "line": {"color": LINE, "dash": "dash"},
         "yaxis": "y2"},
    ]
    layout = dict(
        yaxis={"title": {"text": "TF"}, "rangemode": "tozero"},
        yaxis2=dict(overlaying="y", side="right", title={"text": "TG"}, showgrid=False, rangemode="tozero"),
    )
    return _html(data, layout, _("Accident frequency (TF) and severity (TG) rates"), height=360)


def dashboard_charts(data: dict, *, cost_by: str = "process") -> dict[str, str]:
    pareto = data["pareto"]
    count = _("Events")
    return {
        "trend": trend_chart(data["trend"]),
        "rates": rates_chart(data["rates"]["months"]),
        "cause": pareto_chart(pareto["cause"], _("Pareto of root causes (6M)"), _("Root causes")),
        "process": pareto_chart(pareto["process"], _("Pareto by process"), count),
        "product": pareto_chart(pareto["product"], _("Pareto by product"), count),
        "cost": pareto_chart(
            pareto["cost_product"] if cost_by == "product" else pareto["cost_process"],
            _("Pareto of the cost of non-quality by product") if cost_by == "product"
            else _("Pareto of the cost of non-quality by process"),
            _("Cost (€)"),
        ),
    }
