"""The shared tenancy sweep, applied to every risks route with real objects of organization B
(this package's ``world`` gives B a matrix and a risk; the shared world does not yet)."""

import pytest

from tests.qse.test_tenancy_sweep import ALLOWED, _make_in_b, _url, model_for, object_routes


def _risks_routes():
    return [(route, name) for route, name in object_routes() if name.startswith(("risks:", "risks-"))]


def test_every_risks_object_route_is_mapped_to_a_model():
    routes = _risks_routes()
    assert len(routes) >= 9  # 7 pages + API detail and archive of each model
    assert all(model_for(name) is not None for _, name in routes), routes


@pytest.mark.parametrize("app_scoping", [True, False], ids=["app-scoping", "rls-only"])
def test_no_risks_route_reveals_another_organizations_object(client, world, settings, app_scoping):
    from qse.roles import Role
    from risks.models import Risk, RiskMatrix

    settings.QSE_APP_SCOPING = app_scoping
    theirs = {Risk: world.b.risk, RiskMatrix: world.b.matrix}
    leaks = []
    for role in (Role.COORDINATOR, Role.ADMIN):
        client.force_login(world.a.users[role])
        for route, name in _risks_routes():
            model = model_for(name)
            if model not in theirs:  # the DUERP models: made by their own generic test data
                theirs[model] = _make_in_b(world, model)
            url = _url(route, theirs[model].pk)
            for method in ("get", "post", "put", "patch"):
                if method in ("put", "patch"):
                    response = getattr(client, method)(url, {}, content_type="application/json")
                else:
                    response = getattr(client, method)(url)
                if response.status_code not in ALLOWED:
                    leaks.append((role, method, url, response.status_code))
    for path in (f"/api/v1/risks/risks/{world.b.risk.pk}/", f"/api/v1/risks/matrices/{world.b.matrix.pk}/"):
        assert client.get(path).status_code == 404
    assert not leaks


def test_lists_exports_and_heatmap_hold_no_risk_of_another_organization(client, world):
    client.force_login(world.user())
    for path in ("/risks/risks/", "/risks/matrices/", "/risks/heatmap/"):
        page = client.get(path, {"archived": "1"}).content.decode()
        assert world.b.risk.get_absolute_url() not in page and world.b.matrix.get_absolute_url() not in page
    assert "Beta" not in client.get("/risks/risks/", {"_export": "csv"}).content.decode()
