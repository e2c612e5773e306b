"""The events dashboard's figures through the API: the page's selector, scoped, per role."""

from qse.roles import Role
from tests.nonconformities.test_dashboard import OCTOBER, _accidents_and_hours

URL = "/api/v1/nonconformities/dashboard/"


def test_the_api_gives_the_dashboards_tf_and_tg_of_the_organization_only(client, world):
    _accidents_and_hours(world)  # B has an accident with 99 days lost: never counted here
    client.force_login(world.user())

    response = client.get(URL, OCTOBER)

    assert response.status_code == 200
    data = response.json()
    october, november = data["rates"]["months"]
    assert october["month"] == "2026-10-01"
    assert (october["month_rates"]["accidents"], october["month_rates"]["days_lost"]) == (2, 15)
    assert october["month_rates"]["frequency"] == 20.0  # 2 x 1e6 / 100,000
    assert october["month_rates"]["severity"] == 0.15  # 15 x 1e3 / 100,000
    assert november["rolling_rates"]["frequency"] == 13.33  # 2 x 1e6 / 150,000
    assert data["period"] == {"first": "2026-10-01", "last": "2026-11-01", "site_id": None,
                              "months": ["2026-10-01", "2026-11-01"]}
    assert {"open", "overdue_declarations", "pareto", "trend"} <= set(data)


def test_every_member_reads_the_dashboard_figures(client, world):
    # Hand-written: the dashboard page is open to every member; so are its figures.
    for role in Role:
        client.force_login(world.a.users[role])
        assert client.get(URL, OCTOBER).status_code == 200, role


def test_a_wrong_month_or_another_organizations_site_is_a_400_not_a_500(client, world):
    client.force_login(world.user())

    assert client.get(URL, {"start": "2026-13"}).status_code == 400
    assert client.get(URL, {"end": "9999-12"}).status_code == 400  # the page's 500 of the review
    assert client.get(URL, {"site": world.b.site.pk}).status_code == 400


def test_the_dashboard_figures_need_a_member(client, world):
    assert client.get(URL).status_code in (401, 403)
