"""Hostile JSON bodies to the API are refused with 400, never a 500."""

from __future__ import annotations

import pytest

ACTIONS_API = "/api/v1/improvement/actions/"


@pytest.fixture
def api(client, world):
    client.raise_request_exception = False
    client.force_login(world.user())
    return client


def test_a_hundred_thousand_nested_brackets_are_a_400_not_a_500(api):
    body = "[" * 100_000 + "]" * 100_000
    response = api.post(ACTIONS_API, body, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_nesting_deeper_than_a_real_client_needs_is_refused(api, world):
    action = world.a.actions[0]
    body = '{"title": ' + "[" * 200 + "]" * 200 + "}"
    response = api.patch(
        f"{ACTIONS_API}{action.pk}/", body, content_type="application/json",
        headers={"If-Match": f'"{action.version}"', "Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    nested_objects = '{"a": ' * 5_000 + "1" + "}" * 5_000
    assert api.post(ACTIONS_API, nested_objects, content_type="application/json").status_code == 400


def test_ordinary_json_still_parses(api, world):
    action = world.a.actions[0]
    response = api.patch(
        f"{ACTIONS_API}{action.pk}/", {"title": "Vérifier les extincteurs"}, content_type="application/json",
        headers={"If-Match": f'"{action.version}"'},
    )
    assert response.status_code == 200, response.content[:300]
    assert response.json()["title"] == "Vérifier les extincteurs"
