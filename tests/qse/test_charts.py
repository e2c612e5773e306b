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
