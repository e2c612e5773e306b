"""Charts speak the reader's language: French separators and plotly's French locale, number
formats without SI suffixes, and legends above the plot (never over the axis labels)."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from qse.roles import Role


def _check_every_chart(page: str, separators: str, locale: str) -> None:
    charts = page.count("data-plotly-figure=")  # drawn by static/js/qse.js (no inline script)
    assert charts, "no chart on the page"
    assert page.count(f'"separators":{json.dumps(separators)}') == charts
    assert page.count(f'"locale":"{locale}"') == charts
    # The legend above the plot area, clear of the x-axis labels below it.
    assert len(re.findall(r'"legend":\{[^{}]*"y":1.02', page)) == charts
    assert page.count('"tickformat":",.2~f"') >= charts  # "17 420", not "17.42k"


@pytest.mark.parametrize("url_name", ["improvement:dashboard", "nonconformities:dashboard", "context:party_map"])
def test_dashboard_charts_use_french_separators_locale_and_a_legend_above_the_plot(client, world, url_name):
    client.force_login(world.a.users[Role.COORDINATOR])
    page = client.get(reverse(url_name)).content.decode()
    assert "js/plotly-locale-fr.js" in page
    _check_every_chart(page, ", ", "fr")


def test_in_english_the_charts_use_english_separators(client, world):
    client.force_login(world.a.users[Role.COORDINATOR])
    client.cookies.load({"django_language": "en"})
    page = client.get(reverse("improvement:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    _check_every_chart(page, ".,", "en")


def _payload(html: str) -> dict:
    return json.loads(re.search(r"data-plotly-figure=\"[^\"]+\">(.*)</script>", str(html), re.S).group(1))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_figure_given_as_a_plain_dict_reaches_plotly_js_as_the_validated_figure_would(language):
    import plotly.graph_objects as go
    from django.utils import translation

    from qse.charts import figure_dict, figure_html

    layout = dict(barmode="stack", title="Par processus", height=340, margin=dict(l=40, r=10, b=40),
                  paper_bgcolor="rgba(0,0,0,0)", template="plotly_white",
                  yaxis2=dict(overlaying="y", side="right", range=[0, 105], ticksuffix=" %", showgrid=False),
                  shapes=[dict(type="line", xref="paper", x0=0, x1=1, yref="y2", y0=80, y1=80)])
    validated = go.Figure([
        go.Bar(name="Faites", x=["P1", "P2"], y=[3, 4], marker_color="#2e7d32"),
        go.Scatter(name="Cumul", x=["P1", "P2"], y=[42.5, 100.0], yaxis="y2", mode="lines+markers",
                   line=dict(color="#ef6c00")),
    ])
    validated.update_layout(**layout)
    plain = figure_dict([
        {"type": "bar", "name": "Faites", "x": ["P1", "P2"], "y": [3, 4], "marker": {"color": "#2e7d32"}},
        {"type": "scatter", "name": "Cumul", "x": ["P1", "P2"], "y": [42.5, 100.0], "yaxis": "y2",
         "mode": "lines+markers", "line": {"color": "#ef6c00"}},
    ], **layout)

    with translation.override(language):
        assert _payload(figure_html(plain, div_id="c")) == _payload(figure_html(validated, div_id="c"))
