"""Plotly figures for the actions dashboard (HTML fragments; plotly.js is served locally)."""

from django.utils.translation import gettext as _

from qse.charts import figure_dict, figure_html

SERIES = (
    ("done", "#2e7d32"),
    ("in_progress", "#1565c0"),
    ("late", "#c62828"),
    ("awaiting_check", "#ef6c00"),
)


def _labels():
    return {
        "done": _("Done (effective)"),
        "in_progress": _("In progress"),
        "late": _("Late"),
        "awaiting_check": _("Awaiting effectiveness check"),
    }


def _short(label: str, length: int = 30) -> str:
    """Long plan titles would take the chart's height as slanted axis labels."""
    return label if len(label) <= length else label[: length - 1] + "…"


def stacked_bar(rows: list[dict], label_of, title: str) -> str:
    labels = _labels()
    categories = [_short(str(label_of(row))) for row in rows]
    # A plain figure dict: plotly's validation of each property was most of the dashboard's time.
    figure = figure_dict(
        [{"type": "bar", "name": labels[key], "x": categories, "y": [row[key] for row in rows],
          "marker": {"color": color}} for key, color in SERIES],
        barmode="stack", title=title, height=340, margin=dict(l=40, r=10, b=40),
        paper_bgcolor="rgba(0,0,0,0)", template="plotly_white",
    )
    return figure_html(figure)


def dashboard_charts(data: dict) -> dict[str, str]:
    none = _("(none)")
    return {
        "by_process": stacked_bar(data["by_process"], lambda r: r["process__code"] or none, _("By process")),
        "by_owner": stacked_bar(
            data["by_owner"],
            lambda r: f"{r['owner__first_name']} {r['owner__last_name']}".strip() or r["owner__username"],
            _("By owner"),
        ),
        "by_plan": stacked_bar(data["by_plan"], lambda r: r["plan__title"] or none, _("By action plan")),
    }
