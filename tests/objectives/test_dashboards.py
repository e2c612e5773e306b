"""The demo's objectives, the dashboards composed for management (its home), and the pages a
process owner uses to enter a value."""

import datetime
from decimal import Decimal

from django.urls import reverse

from objectives.choices import DashboardScope, ObjectiveLevel
from objectives.factories import (
    DashboardFactory,
    DashboardTileFactory,
    IndicatorFactory,
    MeasurementFactory,
)
from objectives.models import ActionDependency, Dashboard, Indicator, Measurement, Objective
from objectives.sources import source_choices
from qse.demo import seed_demo
from qse.models import Organization
from qse.roles import Role
from qse.testing import count_queries


def test_the_demo_has_objectives_at_every_level_indicators_of_every_source_a_dashboard_per_site_and_a_gantt(db):
    seed_demo()
    main = Organization.objects.get(slug="usinage-precis-du-rhone")
    objectives = Objective.objects.filter(organization=main)
    assert {o.level for o in objectives} == set(ObjectiveLevel.values)
    assert objectives.filter(axis__isnull=False).count() >= 3 and objectives.filter(parent__isnull=False).count() >= 5
    indicators = Indicator.objects.filter(organization=main)
    assert indicators.count() >= 15
    assert {i.source for i in indicators} == {kind for kind, _label in source_choices()}  # every source this app has
    oldest = min(Measurement.objects.filter(indicator__source="manual", indicator__frequency="monthly",
                                            organization=main).values_list("period_on", flat=True))
    assert oldest <= datetime.date.today() - datetime.timedelta(days=330)  # a year of values
    computed = Measurement.objects.filter(organization=main).exclude(indicator__source="manual")
    assert computed.values("indicator").distinct().count() >= 5
    dashboards = Dashboard.objects.filter(organization=main)
    assert {d.site.code for d in dashboards if d.scope == DashboardScope.SITE} == {"LYO", "VIE"}
    assert dashboards.filter(scope=DashboardScope.ORGANIZATION).exists()
    assert ActionDependency.objects.filter(organization=main).count() >= 6


def test_management_lands_on_the_organizations_dashboard_once_one_is_composed(client, world):
    manager = world.a.users[Role.MANAGEMENT]
    client.force_login(manager)
    assert client.get(reverse("objectives:management_home"))["Location"] == reverse("qse:management_dashboard")
    dashboard = DashboardFactory(organization=world.a.organization, title="Direction")
    DashboardFactory(organization=world.b.organization, title="Direction B")
    assert client.get(reverse("objectives:management_home"))["Location"] == dashboard.get_absolute_url()


def test_a_dashboard_shows_each_tile_in_one_query_for_all_the_series(client, world):
    dashboard = DashboardFactory(organization=world.a.organization, title="Direction")

    def add_tile(size):
        indicator = IndicatorFactory(organization=world.a.organization, owner=world.user())
        for month in range(1, 11):
            MeasurementFactory(indicator=indicator, period_on=datetime.date(2026, month, 1), value=Decimal(90 + month))
        DashboardTileFactory(dashboard=dashboard, indicator=indicator, size=size)

    add_tile("large")
    client.force_login(world.a.users[Role.MANAGEMENT])
    client.get(dashboard.get_absolute_url())  # the session's first page reads what later ones have cached
    few = count_queries(lambda: client.get(dashboard.get_absolute_url()))
    for size in ("small", "medium", "large", "medium"):
        add_tile(size)
    page = client.get(dashboard.get_absolute_url()).content.decode()
    assert page.count('data-testid="tile"') == 5 and page.count("data-plotly-figure") == 4  # a small tile is a figure
    assert count_queries(lambda: client.get(dashboard.get_absolute_url())) == few


def _indicator(world, owner_role=Role.PROCESS_OWNER, process=True, source="manual"):
    return IndicatorFactory(organization=world.a.organization, owner=world.a.users[owner_role],
                            process=world.a.process if process else None, source=source, frequency="monthly")


def test_a_process_owner_enters_a_value_from_the_card_filed_under_the_periods_first_day(client, world):
    indicator = _indicator(world)
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert 'data-testid="measure-form"' in page
    response = client.post(reverse("objectives:indicator_measure", args=[indicator.pk]),
                           {"indicator": indicator.pk, "period_on": "2026-10-17", "value": "93,5"})
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=indicator)
    assert (measurement.period_on, measurement.value, measurement.created_by) == (
        datetime.date(2026, 10, 1), Decimal("93.5"), world.a.users[Role.PROCESS_OWNER])


def test_a_second_value_for_the_same_period_is_refused_with_a_message_and_nothing_lost(client, world):
    indicator = _indicator(world)
    MeasurementFactory(indicator=indicator, period_on=datetime.date(2026, 10, 1), value=Decimal("91"))
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    response = client.post(reverse("objectives:indicator_measure", args=[indicator.pk]),
                           {"indicator": indicator.pk, "period_on": "2026-10-20", "value": "99"}, follow=True)
    assert "Cet indicateur a déjà une valeur pour cette période." in response.content.decode()
    assert Measurement.objects.get(indicator=indicator).value == Decimal("91")


def test_nobody_enters_a_value_for_someone_elses_indicator_nor_for_a_computed_one(client, world):
    foreign = _indicator(world, owner_role=Role.COORDINATOR, process=False)
    computed = _indicator(world, source="late_actions")
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    assert 'data-testid="measure-form"' not in client.get(foreign.get_absolute_url()).content.decode()
    for indicator in (foreign, computed):
        client.post(reverse("objectives:indicator_measure", args=[indicator.pk]),
                    {"indicator": indicator.pk, "period_on": "2026-10-17", "value": "1"})
        api = client.post("/api/v1/objectives/measurements/",
                          {"indicator": indicator.pk, "period_on": "2026-10-17", "value": "1"}, content_type="application/json")
        assert api.status_code in (400, 403), api.content
    assert not Measurement.objects.filter(indicator__in=[foreign, computed]).exists()


def test_the_indicator_card_shows_the_forecast_and_opens_a_preventive_action_in_one_click(client, world):
    from improvement.models import Action

    indicator = _indicator(world)  # target 95, red 85, higher is better
    for month, value in enumerate(("100", "98", "96", "94", "92", "90"), start=5):
        MeasurementFactory(indicator=indicator, period_on=datetime.date(2026, month, 1), value=Decimal(value))
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert 'data-testid="breach"' in page and "01/01/2027" in page  # 88, 86, 84 from November: January
    assert 'data-testid="forecast"' in page and "moindres carrés" in page
    response = client.post(reverse("objectives:indicator_preventive_action", args=[indicator.pk]))
    action = Action.objects.get(origin_id=indicator.pk, origin_type__model="indicator")
    assert response["Location"] == action.get_absolute_url() + "edit/"
    assert action.owner == indicator.owner and action.title.startswith("Action préventive")
