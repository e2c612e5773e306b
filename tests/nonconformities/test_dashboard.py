"""The events dashboard: counts, TF/TG from SQL aggregates, Pareto, trend; scoped and flat in queries."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone, translation

from nonconformities import selectors_dashboard
from nonconformities.choices import CauseCategory, EventStatus, EventType
from nonconformities.factories import EventFactory, HoursWorkedFactory, RootCauseFactory
from nonconformities.models import Event
from qse.factories import ProcessFactory, SiteFactory
from qse.models import Membership
from qse.roles import Role
from qse.tenancy import activate, scope_restored
from qse.testing import count_queries

URL = reverse("nonconformities:dashboard")
OCTOBER = {"start": "2026-10", "end": "2026-11"}


def _at(year, month, day=10):
    return timezone.make_aware(datetime.datetime(year, month, day, 9, 30))


def _accident(side, when, *, days=0, lost_time=True, event_type=EventType.WORK_ACCIDENT, site=None, **extra):
    return EventFactory(
        organization=side.organization, site=site or side.site, event_type=event_type, occurred_at=when,
        lost_time=lost_time, days_lost=days if lost_time else 0, **extra,
    )


def _accidents_and_hours(world):
    a = world.a
    HoursWorkedFactory(site=a.site, month=datetime.date(2026, 10, 1), hours=100_000)
    HoursWorkedFactory(site=a.site, month=datetime.date(2026, 11, 1), hours=50_000)
    _accident(a, _at(2026, 10), days=10)
    _accident(a, _at(2026, 10, 20), days=5)
    _accident(a, _at(2026, 10, 21), lost_time=False)  # no lost time: not in TF
    _accident(a, _at(2026, 11), days=30, event_type=EventType.COMMUTING_ACCIDENT)  # commuting: not in TF
    _accident(a, _at(2026, 11, 2), days=60, status=EventStatus.REJECTED)  # rejected report
    b = world.b
    HoursWorkedFactory(site=b.site, month=datetime.date(2026, 10, 1), hours=1_000)
    _accident(b, _at(2026, 10), days=99)


def test_accident_rates_are_computed_per_month_site_and_rolling_year(client, world):
    _accidents_and_hours(world)
    client.force_login(world.user())
    response = client.get(URL, OCTOBER)
    assert response.status_code == 200
    rates = response.context["data"]["rates"]
    october, november = rates["months"]
    assert (october.month_rates.accidents, october.month_rates.days_lost) == (2, 15)
    assert october.month_rates.frequency == Decimal("20.00")  # 2 x 1e6 / 100,000
    assert october.month_rates.severity == Decimal("0.15")  # 15 x 1e3 / 100,000
    assert november.month_rates.frequency == Decimal("0.00")
    assert november.rolling_rates.frequency == Decimal("13.33")  # 2 x 1e6 / 150,000
    assert november.rolling_rates.severity == Decimal("0.10")
    assert rates["period"].hours == Decimal(150_000)
    [site] = rates["sites"]
    assert site.name == world.a.site.name and site.period_rates.frequency == Decimal("13.33")
    page = response.content.decode()
    assert "13.33" in page or "13,33" in page
    assert world.b.site.name not in page


def test_a_site_without_hours_shows_no_rate_rather_than_an_error(client, world):
    other = SiteFactory(organization=world.a.organization, code="ALP2", name="Site sans heures")
    _accident(world.a, _at(2026, 10), days=3, site=other)
    client.force_login(world.user())
    response = client.get(URL, OCTOBER)
    assert response.status_code == 200
    [site] = response.context["data"]["rates"]["sites"]
    assert site.period_rates.accidents == 1 and site.period_rates.frequency is None
    assert response.context["data"]["rates"]["period"].frequency is None


def test_site_filter_narrows_everything_and_another_organizations_site_is_refused(client, world):
    _accidents_and_hours(world)
    other = SiteFactory(organization=world.a.organization, code="ALP2", name="Site Lyon")
    HoursWorkedFactory(site=other, month=datetime.date(2026, 10, 1), hours=400_000)
    client.force_login(world.user())
    response = client.get(URL, {**OCTOBER, "site": other.pk})
    assert response.context["data"]["rates"]["period"].accidents == 0
    assert response.context["data"]["rates"]["period"].hours == Decimal(400_000)
    refused = client.get(URL, {**OCTOBER, "site": world.b.site.pk})
    assert refused.status_code == 200
    assert "site" in refused.context["form"].errors
    assert refused.context["period"].site_id is None


def test_open_counts_and_overdue_declarations_ignore_the_other_organization(client, world):
    a, b = world.a, world.b
    EventFactory(organization=a.organization, status=EventStatus.REPORTED, event_type=EventType.NEAR_MISS)
    EventFactory(organization=a.organization, status=EventStatus.CLOSED)
    EventFactory(organization=a.organization, status=EventStatus.REJECTED)
    late = timezone.now() - datetime.timedelta(days=1)
    _accident(a, timezone.now() - datetime.timedelta(days=4), days=2, declaration_due_at=late)
    _accident(a, timezone.now() - datetime.timedelta(days=4), declaration_due_at=late, declared_on=datetime.date(2026, 1, 5))
    _accident(b, timezone.now() - datetime.timedelta(days=4), declaration_due_at=late)
    EventFactory.create_batch(3, organization=b.organization)
    client.force_login(world.user())
    data = client.get(URL).context["data"]
    # conftest's event + reported near miss + two accidents (one declared, still open)
    assert data["open"]["total"] == 4
    statuses = {row["value"]: row["count"] for row in data["open"]["by_status"]}
    assert statuses[EventStatus.REPORTED] == 1 and statuses[EventStatus.OPEN] == 3
    types = {row["value"]: row["count"] for row in data["open"]["by_type"]}
    assert types == {EventType.INTERNAL_NC: 1, EventType.NEAR_MISS: 1, EventType.WORK_ACCIDENT: 2}
    assert data["overdue_declarations"] == 1


def test_pareto_charts_and_trend_sum_in_the_period(client, world):
    a = world.a
    Event.objects.filter(pk=a.event.pk).update(occurred_at=_at(2024, 1))  # the conftest's event: out of the period
    second = ProcessFactory(organization=a.organization, code="R2", name="Maintenance")
    first = EventFactory(organization=a.organization, process=a.process, product="Carter C32", occurred_at=_at(2026, 10),
                         cost_scrap=Decimal("1200"), cost_rework=Decimal("300"))
    EventFactory(organization=a.organization, process=a.process, product="Carter C32", occurred_at=_at(2026, 11),
                 cost_scrap=Decimal("100"))
    EventFactory(organization=a.organization, process=second, product="Bride B8", occurred_at=_at(2026, 11),
                 cost_downtime=Decimal("5000"), event_type=EventType.ENVIRONMENTAL_INCIDENT)
    EventFactory(organization=a.organization, process=second, occurred_at=_at(2025, 1), cost_other=Decimal("99999"))
    RootCauseFactory(event=first, category=CauseCategory.METHOD)
    RootCauseFactory(event=first, category=CauseCategory.METHOD)
    RootCauseFactory(event=first, category=CauseCategory.MACHINE)
    other = EventFactory(organization=world.b.organization, occurred_at=_at(2026, 10), product="Carter C32")
    RootCauseFactory(event=other, category=CauseCategory.MACHINE)
    client.force_login(world.user())
    response = client.get(URL, OCTOBER, HTTP_ACCEPT_LANGUAGE="fr")
    pareto = response.context["data"]["pareto"]
    with translation.override("fr"):  # the page's language
        method, machine = str(CauseCategory.METHOD.label), str(CauseCategory.MACHINE.label)
    assert [(bar.label, bar.value, bar.cumulative_percent) for bar in pareto["cause"]] == [
        (method, 2, 66.7), (machine, 1, 100.0),
    ]
    assert [(bar.label, bar.value) for bar in pareto["process"]] == [("R1 · Production", 2), ("R2 · Maintenance", 1)]
    assert [(bar.label, bar.value) for bar in pareto["product"]] == [("Carter C32", 2), ("Bride B8", 1)]
    assert [(bar.label, bar.value) for bar in pareto["cost_process"]] == [
        ("R2 · Maintenance", Decimal("5000.00")), ("R1 · Production", Decimal("1600.00")),
    ]
    october, november = response.context["data"]["trend"]
    assert (october["quality"], october["safety"], october["environment"], october["cost"]) == (1, 0, 0, Decimal("1500.00"))
    assert (november["quality"], november["environment"], november["cost"]) == (1, 1, Decimal("5100.00"))
    assert "plotly" in response.content.decode()
    by_product = client.get(URL, {**OCTOBER, "cost_by": "product"})
    assert "Carter C32" in by_product.context["charts"]["cost"]


def test_bad_months_are_a_clear_error_not_a_crash(client, world):
    client.force_login(world.user())
    response = client.get(URL, {"start": "mars", "end": "2026-13"})
    assert response.status_code == 200
    assert "start" in response.context["form"].errors
    assert len(response.context["data"]["rates"]["months"]) == 12
    reversed_period = client.get(URL, {"start": "2026-11", "end": "2026-09"})
    assert len(reversed_period.context["data"]["rates"]["months"]) == 3


def test_months_out_of_range_are_a_visible_error_not_a_500(client, world):
    client.raise_request_exception = False
    client.force_login(world.user())
    for query in ({"end": "9999-12"}, {"start": "0001-01"}, {"start": "0001-01", "end": "9999-12"},
                  {"end": "10000-01"}, {"start": "-5-01"}, {"end": "2026-00"}, {"start": "99999999999999999999-01"}):
        response = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, (query, response.status_code)
        errors = response.context["form"].errors
        assert set(errors) == set(query), (query, errors)
        assert "between 1900-01 and 2199-12" in response.content.decode(), query
        assert len(response.context["data"]["rates"]["months"]) == 12, query


def test_dashboard_needs_a_login_and_is_in_the_navigation(client, world):
    assert client.get(URL).status_code == 302
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    page = client.get(URL).content.decode()
    assert URL in page


def _many_events(side, count, *, hours_month):
    processes = [ProcessFactory(organization=side.organization, code=f"Q{i}", name=f"Processus {i}") for i in range(3)]
    for i in range(count):
        event = EventFactory(
            organization=side.organization, site=side.site, process=processes[i % 3], product=f"Produit {i % 4}",
            occurred_at=_at(2026, 10 + i % 2, 1 + i % 20), cost_scrap=Decimal(10 * i),
            event_type=[EventType.INTERNAL_NC, EventType.WORK_ACCIDENT, EventType.NEAR_MISS][i % 3],
            lost_time=i % 3 == 1, days_lost=i if i % 3 == 1 else 0,
        )
        RootCauseFactory(event=event, category=CauseCategory.values[i % 6])
    HoursWorkedFactory(site=side.site, month=hours_month, hours=90_000)


def test_an_event_counts_in_its_local_month_at_the_edges_of_the_period(client, world):
    a = world.a
    Event.objects.filter(pk=a.event.pk).update(occurred_at=_at(2024, 1))  # the conftest's event: out of the period
    local = timezone.get_default_timezone()
    for when, cost in [
        (datetime.datetime(2026, 9, 30, 23, 59), "1"),  # the evening before: September, outside
        (datetime.datetime(2026, 10, 1, 0, 0), "10"),  # local midnight (22:00 UTC the day before): October
        (datetime.datetime(2026, 10, 31, 23, 59), "100"),  # still October in Paris, November in UTC
        (datetime.datetime(2026, 11, 30, 23, 59), "1000"),  # the period's last minute
        (datetime.datetime(2026, 12, 1, 0, 0), "10000"),  # after the period
    ]:
        EventFactory(organization=a.organization, occurred_at=timezone.make_aware(when, local), product="Joint J1",
                     cost_other=Decimal(cost))
    client.force_login(world.user())
    data = client.get(URL, OCTOBER).context["data"]
    october, november = data["trend"]
    assert (october["quality"], october["cost"]) == (2, Decimal("110.00"))
    assert (november["quality"], november["cost"]) == (1, Decimal("1000.00"))
    assert [(bar.label, bar.value) for bar in data["pareto"]["product"]] == [("Joint J1", 3)]
    assert [(bar.label, bar.value) for bar in data["pareto"]["cost_product"]] == [("Joint J1", Decimal("1110.00"))]


def test_dashboard_query_count_does_not_grow_with_events(client, world):
    client.force_login(world.user())
    _many_events(world.a, 3, hours_month=datetime.date(2026, 10, 1))
    client.get(URL, OCTOBER)
    few = count_queries(lambda: client.get(URL, OCTOBER))
    _many_events(world.a, 27, hours_month=datetime.date(2026, 11, 1))
    many = count_queries(lambda: client.get(URL, OCTOBER))
    assert few == many, (few, many)
    # The period's trend and its Pareto by process and by product are one query (they were
    # three, and the page 20 queries)
    assert many <= 18


def test_review_summary_is_plain_data_for_the_management_review(world):
    _accidents_and_hours(world)
    user = world.user()
    with scope_restored():
        activate(Membership.objects.select_related("organization").get(user=user, organization=world.a.organization))
        period = selectors_dashboard.Period(datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))
        summary = selectors_dashboard.events_review_summary(user=user, period=period, now=timezone.now())
    assert summary["accidents"] == 2 and summary["days_lost"] == 15
    assert summary["frequency_rate"] == Decimal("13.33")
    assert summary["events_by_family"]["safety"] == 4  # rejected report left out
    assert summary["overdue_declarations"] == 0
