"""Every URL and API route that takes an object, probed with the other organization's
objects: all answer 404 (or 405 for a method the route never accepts). Run a second time
with the application-level scoping switched off, to prove row-level security alone holds."""

import datetime
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
from qse.testing_children import ChildViewsTestCase
from qse.tokens import token_create

ALLOWED = {404, 405}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}" if namespace else entry.name


OBJECT_PARAMS = ("<pk>", "(?P<pk>", "<int:pk>", "_pk>")
PAGE_KINDS = ("list", "add", "detail", "edit", "archive", "import")


def object_routes():
    """(route, url name) for every route that takes an object (its own pk, or its parent's)."""
    return [(route, name) for route, name in _walk(get_resolver().url_patterns) if any(p in route for p in OBJECT_PARAMS)]


def declared_names() -> dict:
    """URL name (page) or API basename prefix -> model, for every route the registry generates."""
    names = {}
    for declaration in declarations():
        meta = declaration.model._meta
        names.update({f"{meta.app_label}:{meta.model_name}_{kind}": declaration.model for kind in PAGE_KINDS})
    # Every API viewset the router holds (declared models, nested children, and the
    # operations the apps register beside them) names its model by its queryset.
    from qse.api.urls import build_router

    for _prefix, viewset, basename in build_router().registry:
        model = getattr(getattr(viewset, "queryset", None), "model", None)
        if model is not None:
            names[f"{basename}-"] = model
    return names


# The hand-built pages that are not generated from a declaration say which record they act
# on by their name's stem: a declared model's name ("event_transition", "eightd_advance"),
# or one of these (the event page's in-place analysis editing, the shared machinery).
HAND_BUILT = {"why": "nonconformities.WhyStep", "analysis_item": "nonconformities.WhyStep",
              "cause": "nonconformities.IshikawaCause", "root_cause": "nonconformities.RootCause",
              "immediate_action": "nonconformities.Event", "attachment": "qse.Attachment", "token": "qse.ApiToken",
              "report": "qse.GeneratedReport", "membership": "qse.Membership", "invitation": "qse.Invitation",
              # The staff area's pages take an organization: for anyone but staff they do not exist.
              "organization": "qse.Organization", "admin_invite": "qse.Organization",
              # Building an audit's checklist (issue 12): pages and API by audit, and by question. (The
              # offline checklist's page and API are named after the audit: the registry maps them.)
              "checklist": "audits.Audit", "checklist_question": "audits.AuditQuestion",
              "audits-checklist": "audits.Audit", "audits-checklist-question": "audits.AuditQuestion"}


def _models():
    from django.apps import apps

    models = {d.model._meta.model_name: d.model for d in declarations()}
    models.update({stem: apps.get_model(label) for stem, label in HAND_BUILT.items()})
    return models


def _make_in_b(world, model):
    """An object of organization B made by the model's own generic test data."""
    for case in _all_subclasses(ObjectViewsTestCase):
        if case.declaration is not None and case.declaration.model is model:
            return case().make(world, world.b)
    for case in _all_subclasses(ChildViewsTestCase):
        if case.declaration is not None and case.declaration.model is model:
            return case().make(world, world.b, case().make_parent(world, world.b))
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
    """The model a route acts on: from the registry for generated routes (pages, nested
    pages, API), from its URL name's stem for hand-built ones."""
    declared = declared_names()
    if name in declared:
        return declared[name]
    api = [key for key in declared if key.endswith("-") and (name or "").startswith(key)]
    if api:
        return declared[max(api, key=len)]
    short = (name or "").split(":")[-1]
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
    objects.update(_people_of_b(world))
    objects[ApiToken] = ApiToken.objects.get(user=b.users[Role.COORDINATOR])
    objects[_models()["report"]] = _report_of_b(world)
    objects.update(_api_records_of_b(world))
    return objects


def _people_of_b(world) -> dict:
    """A membership and an open invitation of B (the People pages and their API)."""
    from django.utils import timezone

    from qse.models import Invitation, Membership
    from qse.models.people import invitation_digest

    invitation = Invitation.objects.create(
        organization=world.b.organization, email="invited@beta.example", role=Role.CONTRIBUTOR,
        digest=invitation_digest("beta-secret"), sent_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    return {Membership: Membership.objects.get(user=world.b.users[Role.PROCESS_OWNER]), Invitation: invitation,
            world.b.organization.__class__: world.b.organization}


def _api_records_of_b(world) -> dict:
    """Records of B behind the API routes registered beside the declarations."""
    from risks.models import DuerpVersion

    version = DuerpVersion.objects.create(
        organization=world.b.organization, number=99, published_on=datetime.date(2026, 1, 1),
        published_by=world.b.users[Role.COORDINATOR], created_by=world.b.users[Role.COORDINATOR],
    )
    from audits.factories import AuditQuestionFactory

    question = AuditQuestionFactory(audit__organization=world.b.organization)
    return {DuerpVersion: version, type(question.audit): question.audit, type(question): question}


def _report_of_b(world):
    from qse.models import GeneratedReport

    return GeneratedReport.objects.create(
        organization=world.b.organization, kind="improvement.action_plan",
        content_type=ContentType.objects.get_for_model(world.b.plan), object_id=world.b.plan.pk,
        requested_by=world.b.users[Role.COORDINATOR],
    )


def _parent_pk(stem: str, obj, theirs: dict) -> int:
    """A ``<stem>_pk`` of a route: the object's own parent when it is a child record of that
    stem (so the route would answer if scoping failed), else organization B's record of it."""
    declaration = next((d for d in declarations() if d.model is type(obj)), None)
    if declaration is not None and declaration.parent and declaration.parent[0] == stem:
        return getattr(obj, f"{declaration.parent[2]}_id")
    return theirs[_models()[stem]].pk


def _url(route: str, obj, theirs: dict) -> str:
    path = re.sub(r"\(\?P<pk>[^)]*\)", str(obj.pk), route).replace("<int:pk>", str(obj.pk))
    for parent_param in (r"<int:(\w+)_pk>", r"\(\?P<(\w+)_pk>[^)]*\)"):
        path = re.sub(parent_param, lambda m: str(_parent_pk(m.group(1), obj, theirs)), path)
    path = path.replace("<str:kind>", "why")
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
            url = _url(route, obj, theirs)
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

        if declaration.parent:  # a child list is under a parent: swept with the object routes
            continue
        page = client.get(reverse(declaration.url_name("list")), {"archived": "1"}).content.decode()
        export = client.get(reverse(declaration.url_name("list")), {"_export": "csv"}).getvalue().decode()
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


# Routes that take a record by (content type or report kind, object id): each is swept with
# every declared model's record of organization B, and every registered report kind's.
OBJECT_ID_ROUTES = {"qse:attachment_upload", "qse:report_request"}


def test_every_object_id_route_is_swept():
    found = {name for route, name in _walk(get_resolver().url_patterns) if "object_id" in route}
    assert found == OBJECT_ID_ROUTES


def _report_kinds():
    from qse import reports

    reports.report_kind("")  # discovers every app's report kinds
    return dict(reports._kinds)


@pytest.mark.parametrize("app_scoping", [True, False], ids=["app-scoping", "rls-only"])
def test_object_id_routes_answer_404_for_another_organizations_record(client, world, settings, app_scoping):
    from django.urls import reverse

    from qse.models import GeneratedReport, Organization

    settings.QSE_APP_SCOPING = app_scoping
    theirs = _objects_of_b(world)
    theirs[Organization] = world.b.organization
    client.force_login(world.a.users[Role.ADMIN])
    leaks, swept = [], 0
    for model, obj in theirs.items():
        content_type = ContentType.objects.get_for_model(model)
        url = reverse("qse:attachment_upload", args=[content_type.pk, obj.pk])
        for response in (client.get(url), client.post(url, {"file": ContentFile(b"x", name="a.txt")})):
            swept += 1
            if response.status_code not in ALLOWED:
                leaks.append((url, response.status_code))
    for kind, entry in _report_kinds().items():
        target = theirs.get(entry.model) or _make_in_b(world, entry.model)
        url = reverse("qse:report_request", args=[kind, target.pk])
        response = client.post(url)
        swept += 1
        if response.status_code not in ALLOWED:
            leaks.append((url, response.status_code))
    assert not leaks
    assert swept >= 2 * len(declarations()) + len(_report_kinds())
    assert not GeneratedReport.objects.filter(organization=world.a.organization).exists()
