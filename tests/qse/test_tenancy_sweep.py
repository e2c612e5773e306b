"""Every URL and API route that takes an object, probed with the other organization's
objects: all answer 404 (or 405 for a method the route never accepts). Run a second time
with the application-level scoping switched off, to prove row-level security alone holds."""

import importlib
import pkgutil
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from qse.models import ApiToken, Attachment
from qse.registry import declarations
from qse.roles import Role
from qse.testing import ObjectViewsTestCase
from qse.tokens import token_create

ALLOWED = {404, 405}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}" if namespace else entry.name


OBJECT_PARAMS = ("<pk>", "(?P<pk>", "<int:pk>", "<int:event_pk>")


def object_routes():
    """(route, url name) for every route that takes an object (its own pk, or its event's)."""
    return [(route, name) for route, name in _walk(get_resolver().url_patterns) if any(p in route for p in OBJECT_PARAMS)]


def _models():
    from qse.models import GeneratedReport

    models = {d.model._meta.model_name: d.model for d in declarations()}
    models.update({"attachment": Attachment, "token": ApiToken, "apitoken": ApiToken, "report": GeneratedReport})
    # The root-cause analysis records have pages under their event, not declarations.
    from nonconformities.models import IshikawaCause, RootCause, WhyStep

    models.update({"why": WhyStep, "analysis_item": WhyStep, "cause": IshikawaCause, "root_cause": RootCause})
    # Routes under an event whose pk is the event's.
    models["immediate_action"] = models["event"]
    return models


def _make_in_b(world, model):
    """An object of organization B made by the model's own generic test data."""
    for case in _all_subclasses(ObjectViewsTestCase):
        if case.declaration is not None and case.declaration.model is model:
            return case().make(world, world.b)
    return None


def _all_subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _all_subclasses(subclass)


def _import_test_modules():
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.rsplit(".", 1)[-1].startswith("test_") and "browser" not in module.name:
            importlib.import_module(module.name)


def model_for(name: str):
    """The model a route acts on, from its URL name (app:model_verb or app-model-verb)."""
    short = (name or "").split(":")[-1]
    if "-" in short:
        short = short.split("-")[1]
    models = _models()
    matches = [key for key in models if short == key or short.startswith(f"{key}_")]
    return models[max(matches, key=len)] if matches else None


def _objects_of_b(world):
    b = world.b
    attachment = Attachment(
        organization=b.organization, content_type=ContentType.objects.get_for_model(b.actions[0]),
        object_id=b.actions[0].pk, original_name="photo.txt", mime_type="text/plain", size=4, sha256="0" * 64,
    )
    attachment.file.save("x", ContentFile(b"beta"), save=False)
    attachment.save()
    token_create(user=b.users[Role.COORDINATOR], organization=b.organization, name="beta")
    _import_test_modules()
    objects = {
        d.model: d.model.objects.filter(organization=b.organization).first() or _make_in_b(world, d.model)
        for d in declarations()
    }
    objects[Attachment] = attachment
    objects[ApiToken] = ApiToken.objects.get(user=b.users[Role.COORDINATOR])
    objects[_models()["report"]] = _report_of_b(world)
    objects.update(_analysis_of_b(world))
    return objects


def _analysis_of_b(world) -> dict:
    from nonconformities.factories import IshikawaCauseFactory, RootCauseFactory, WhyStepFactory
    from nonconformities.models import Event

    event = Event.objects.filter(organization=world.b.organization).first()
    made = [factory(event=event) for factory in (WhyStepFactory, IshikawaCauseFactory, RootCauseFactory)]
    return {type(obj): obj for obj in made}


def _report_of_b(world):
    from qse.models import GeneratedReport

    return GeneratedReport.objects.create(
        organization=world.b.organization, kind="improvement.action_plan",
        content_type=ContentType.objects.get_for_model(world.b.plan), object_id=world.b.plan.pk,
        requested_by=world.b.users[Role.COORDINATOR],
    )


def _url(route: str, pk: int, theirs: dict) -> str:
    from nonconformities.models import Event

    path = re.sub(r"\(\?P<pk>[^)]*\)", str(pk), route).replace("<int:pk>", str(pk))
    path = path.replace("<int:event_pk>", str(theirs[Event].pk)).replace("<str:kind>", "why")
    return "/" + path.replace("^", "").replace("$", "").lstrip("/")


def test_every_object_route_is_mapped_to_a_model():
    unmapped = [(route, name) for route, name in object_routes() if model_for(name) is None]
    assert not unmapped
    assert len(object_routes()) >= 20


@pytest.mark.parametrize("app_scoping", [True, False], ids=["app-scoping", "rls-only"])
def test_no_route_reveals_another_organizations_object(client, world, settings, app_scoping):
    settings.QSE_APP_SCOPING = app_scoping
    theirs = _objects_of_b(world)
    leaks = []
    for role in (Role.COORDINATOR, Role.ADMIN):
        client.force_login(world.a.users[role])
        for route, name in object_routes():
            if "format" in route:
                continue
            obj = theirs.get(model_for(name)) or pytest.fail(f"{name} {model_for(name)} {list(theirs)}")
            url = _url(route, obj.pk, theirs)
            for method in ("get", "post", "put", "patch"):
                response = getattr(client, method)(url, {}, content_type="application/json") if method in ("put", "patch") else getattr(client, method)(url)
                if response.status_code not in ALLOWED:
                    leaks.append((role, method, url, response.status_code))
    assert not leaks


@pytest.mark.parametrize("app_scoping", [True, False], ids=["app-scoping", "rls-only"])
def test_lists_and_exports_hold_no_row_of_another_organization(client, world, settings, app_scoping):
    settings.QSE_APP_SCOPING = app_scoping
    client.force_login(world.user())
    beta_urls = [a.get_absolute_url() for a in world.b.actions] + [world.b.plan.get_absolute_url()]
    for declaration in declarations():
        from django.urls import reverse

        page = client.get(reverse(declaration.url_name("list")), {"archived": "1"}).content.decode()
        export = client.get(reverse(declaration.url_name("list")), {"_export": "csv"}).content.decode()
        assert not any(url in page for url in beta_urls)
        assert "Beta" not in export
    api = client.get("/api/v1/improvement/actions/", {"limit": 500}).json()
    assert {row["id"] for row in api["results"]}.isdisjoint({a.pk for a in world.b.actions})


def test_attaching_to_another_organizations_record_is_404(client, world):
    client.force_login(world.user())
    action = world.b.actions[0]
    content_type = ContentType.objects.get_for_model(action)
    response = client.post(f"/org/attachments/{content_type.pk}/{action.pk}/", {"file": ContentFile(b"x", name="a.txt")})
    assert response.status_code == 404
