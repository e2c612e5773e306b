"""The OpenAPI schema is valid, its docs need no CDN, and no generated request makes the API
answer 5xx (schemathesis, in process, on the real PostgreSQL test database)."""

from __future__ import annotations

import contextlib
import re
import traceback
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from werkzeug.test import Client as WerkzeugClient

from qse.registry import declarations
from qse.roles import Role
from qse.tokens import token_create

# Valid and invalid data mixed, about REQUESTS in all shared by the operations (at least
# 2 x MIN_EXAMPLES each): with 220 operations, 24 requests each took 13 minutes of a 2-core
# machine; random runs of 200 per operation on the first 20 operations found nothing more.
REQUESTS = 1200
MIN_EXAMPLES = 3


def test_the_schema_is_valid_openapi_3(client, world):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert "/api/v1/improvement/actions/{id}/" in schema["paths"]
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_api_docs_are_served_from_local_static_files(client, world):
    client.force_login(world.user())

    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "SwaggerUIBundle" in html or "swagger-ui" in html
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html), "an asset is loaded from another host"
    for banned in ("cdn.", "jsdelivr", "unpkg", "cdnjs", "googleapis"):
        assert banned not in html
    assets = re.findall(r"(?:src|href)=[\"']/static/([^\"']+)[\"']", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    for asset in assets:
        assert finders.find(asset.split("?")[0]), f"missing static file {asset}"


# --- Fuzzing every operation -------------------------------------------------------------

@contextlib.contextmanager
def django_wsgi_in_test_transaction():
    """Django's WSGI handler, as the test client runs it: a request must not close the
    connection that holds the test transaction. Exceptions are collected for the report."""
    exceptions: list[str] = []

    def on_exception(sender, request=None, **kwargs):
        exceptions.append(traceback.format_exc())

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.got_request_exception.connect(on_exception)
    try:
        yield WSGIHandler(), exceptions
    finally:
        signals.got_request_exception.disconnect(on_exception)
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@dataclass
class Findings:
    """What went wrong, kept per operation so one run reports every failing operation."""

    server_errors: dict[str, str] = field(default_factory=dict)
    leaks: dict[str, str] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)

    def report(self) -> str:
        parts = [f"5xx on {label}:\n{detail}" for label, detail in self.server_errors.items()]
        parts += [f"another organization's record answered 2xx on {label}:\n{detail}" for label, detail in self.leaks.items()]
        return "\n\n".join(parts)


def model_of(path: str):
    """The declared model behind an API path such as /api/v1/improvement/actions/{id}/."""
    match = re.match(r"^/api/v1/([^/]+)/([^/]+)/", path)
    for declaration in declarations():
        meta = declaration.model._meta
        if match and (meta.app_label, f"{meta.model_name}s") == match.groups():
            return declaration.model
    return None


def ids_for(path: str, world) -> tuple[list[int], set[int]]:
    """Real ids to put in {id}: a few of organization A's rows, and one of B's (must be a 4xx)."""
    model = model_of(path)
    if model is None or "{id}" not in path:
        return [], set()
    mine = list(model.objects.filter(organization=world.a.organization).values_list("pk", flat=True)[:3])
    theirs = list(model.objects.filter(organization=world.b.organization).values_list("pk", flat=True)[:1])
    return mine + theirs, set(theirs)


def references(world) -> tuple[dict[str, list[int]], set[tuple[str, int]]]:
    """Real values for foreign keys, so that valid bodies reach the services and not only
    the 400s of unknown ids; organization B's values among them must be refused."""
    a, b = world.a, world.b
    users = [u.pk for u in a.users.values()]
    theirs = {("plan", b.plan.pk), ("owner", b.users[Role.COORDINATOR].pk), ("process", b.process.pk), ("site", b.site.pk)}
    choices = {"plan": [a.plan.pk], "owner": users, "effectiveness_checked_by": users, "process": [a.process.pk], "site": [a.site.pk]}
    for name, value in theirs:
        choices[name].append(value)
    return choices, theirs


def with_references(case, chosen: dict) -> set[tuple[str, int]]:
    """Put the chosen references into a body that has these fields; return what was put."""
    if not isinstance(case.body, dict):
        return set()
    used = {k: v for k, v in chosen.items() if k in case.body}
    case.body = {**case.body, **used}
    return set(used.items())


def fuzz_operation(operation, *, app, headers: dict, world, findings: Findings, exceptions: list[str],
                   examples: int) -> None:
    real_ids, foreign_ids = ids_for(operation.path, world)
    chosen_id = st.sampled_from(real_ids) if real_ids else st.none()
    refs_choices, foreign_refs = references(world)
    # Only create and update read these fields (an archive or a transition ignores them).
    if not re.match(r"^/api/v1/[^/]+/[^/]+/(\{id\}/)?$", operation.path) or operation.method.upper() == "GET":
        foreign_refs = set()
    chosen_refs = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in refs_choices.items()})
    generated = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=examples * 2,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=generated, pk=st.one_of(st.none(), chosen_id), refs=st.one_of(st.none(), chosen_refs))
    def run(case, pk, refs):
        if pk is not None and "id" in (case.path_parameters or {}):
            case.path_parameters = {**case.path_parameters, "id": pk}
        used_refs = with_references(case, refs) if refs is not None else set()
        exceptions.clear()
        findings.calls[operation.label] = findings.calls.get(operation.label, 0) + 1
        try:
            response = case.call_and_validate(app=app, headers=headers, checks=[not_a_server_error])
        except FailureGroup as failure:
            findings.server_errors.setdefault(operation.label, f"{failure}\n{''.join(exceptions)[-3000:]}")
            return
        if (pk in foreign_ids or used_refs & foreign_refs) and response.status_code < 400:
            findings.leaks.setdefault(operation.label, case.as_curl_command(headers=headers))

    # Each operation starts from the same world (an archive must not hide the records
    # from the operations fuzzed after it).
    with transaction.atomic():
        run()
        transaction.set_rollback(True)


def test_no_generated_request_makes_the_api_answer_a_server_error(world):
    key = token_create(user=world.a.users[Role.COORDINATOR], organization=world.a.organization, name="schemathesis")
    headers = {"Authorization": f"Token {key}"}
    findings = Findings()

    with django_wsgi_in_test_transaction() as (app, exceptions):
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 10
        examples = max(MIN_EXAMPLES, REQUESTS // (2 * len(operations)))
        for operation in operations:
            fuzz_operation(operation, app=app, headers=headers, world=world, findings=findings, exceptions=exceptions,
                           examples=examples)

    assert set(findings.calls) == {operation.label for operation in operations}
    assert not findings.server_errors and not findings.leaks, findings.report()


@pytest.mark.parametrize("path", ["/api/v1/improvement/actions/", "/api/v1/qse/sites/"])
def test_the_fuzzing_client_sees_only_organization_a(world, path):
    """The in-process client is the token's user in organization A, like a real integration."""
    key = token_create(user=world.a.users[Role.COORDINATOR], organization=world.a.organization, name="schemathesis")
    with django_wsgi_in_test_transaction() as (app, _exceptions):
        response = WerkzeugClient(app).get(path, headers={"Authorization": f"Token {key}"}, query_string={"limit": 500})
    assert response.status_code == 200
    organization_ids = {world.a.organization.pk}
    model = model_of(path)
    rows = response.get_json()["results"]
    assert rows and {model.objects.get(pk=row["id"]).organization_id for row in rows} == organization_ids


@pytest.mark.parametrize("query", [{"limit": "9" * 25}, {"offset": "9" * 25}, {"limit": "9" * 25, "offset": "1"}])
def test_a_huge_limit_or_offset_is_a_normal_page_not_a_server_error(client, world, query):
    client.force_login(world.user())

    response = client.get("/api/v1/improvement/actions/", query)

    assert response.status_code == 200
    assert len(response.json()["results"]) <= 1000
