"""An API update must say which version it read: PATCH and PUT without ``version`` or
If-Match are refused with 428 Precondition Required, for every declared model."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests
from qse.registry import declarations
from qse.testing import ObjectViewsTestCase


def _import_test_modules():
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.rsplit(".", 1)[-1].startswith("test_") and "browser" not in module.name:
            importlib.import_module(module.name)


def _cases():
    """The generic test case of each declared model with an API (it knows how to make one)."""
    _import_test_modules()
    found, stack = {}, list(ObjectViewsTestCase.__subclasses__())
    while stack:
        case = stack.pop()
        stack.extend(case.__subclasses__())
        declaration = case.declaration
        if declaration is not None and declaration.serializer is not None and case.edit:
            found.setdefault(declaration.model, case)
    return [found[d.model] for d in declarations() if d.model in found]


def _as_json(value):
    return value.pk if hasattr(value, "pk") else value


@pytest.fixture
def api(client, world):
    client.force_login(world.user())
    return client


def test_the_check_covers_several_models_of_every_app():
    apps = {case.declaration.model._meta.app_label for case in _cases()}
    assert len(_cases()) >= 10
    assert {"qse", "improvement", "risks", "nonconformities", "context"} <= apps


@pytest.mark.parametrize("method", ["patch", "put"])
def test_an_update_without_version_or_if_match_is_refused_with_428_and_changes_nothing(api, world, method):
    checked = []
    for case_class in _cases():
        case = case_class()
        obj = case.make(world, world.a)
        name, value = case.edit
        body = {name: _as_json(value)}
        if method == "put":  # what a client would PUT back: the record as read, edited, no version
            read = api.get(case.api_url(obj)).json()
            body = {**{k: v for k, v in read.items() if k != "version" and v is not None}, **body}
        response = getattr(api, method)(case.api_url(obj), body, content_type="application/json",
                                        headers={"Accept-Language": "en"})
        label = case.model._meta.label
        if response.status_code == 403:  # the coordinator may not change this model at all
            continue
        assert response.status_code == 428, (label, response.status_code, response.content[:300])
        assert "version" in response.json()["detail"] and "If-Match" in response.json()["detail"], label
        before = obj.version
        obj.refresh_from_db()
        assert obj.version == before, label
        checked.append(label)
    assert len(checked) >= 10, checked


def test_the_refusal_is_translated(api, world):
    case = _cases()[0]()
    obj = case.make(world, world.a)
    name, value = case.edit
    response = api.patch(case.api_url(obj), {name: _as_json(value)}, content_type="application/json",
                         headers={"Accept-Language": "fr"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"] and "version" in response.json()["detail"]
    assert response.json()["detail"].startswith("Indiquez")


def test_an_update_with_the_version_read_or_its_etag_goes_through(api, world):
    for case_class in _cases()[:4]:
        case = case_class()
        obj = case.make(world, world.a)
        name, value = case.edit
        with_version = api.patch(case.api_url(obj), {name: _as_json(value), "version": obj.version}, content_type="application/json")
        assert with_version.status_code == 200, (case.model._meta.label, with_version.content[:300])
        etag = api.get(case.api_url(obj))["ETag"]
        with_etag = api.patch(case.api_url(obj), {name: _as_json(value)}, content_type="application/json", headers={"If-Match": etag})
        assert with_etag.status_code == 200, (case.model._meta.label, with_etag.content[:300])


def test_an_archive_whose_body_is_not_an_object_is_refused_with_a_400(client, world):
    """Found by the schema fuzz: a JSON ``true`` as the body was a 500."""
    client.force_login(world.user())
    response = client.post(f"/api/v1/improvement/actionplans/{world.a.plan.pk}/archive/", "true",
                           content_type="application/json")
    assert response.status_code == 400
    world.a.plan.refresh_from_db()
    assert world.a.plan.archived_at is None
