"""Generic test machinery (NetBox-style): a world with two organizations and one user per
role, and ``ObjectViewsTestCase``, which runs every verb of a declared model's pages and
API per role and against the other organization. A model's test declares only its data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

from improvement.choices import ActionStatus
from improvement.factories import ActionFactory, ActionPlanFactory
from qse.factories import (
    MembershipFactory,
    OrganizationFactory,
    ProcessFactory,
    SiteFactory,
    UserFactory,
)
from qse.models import Organization
from qse.roles import Role

TODAY = datetime.date(2026, 11, 23)


@dataclass
class Side:
    """One organization's fixtures."""

    organization: Organization
    users: dict = field(default_factory=dict)
    site: object = None
    process: object = None
    plan: object = None
    actions: list = field(default_factory=list)


@dataclass
class World:
    a: Side
    b: Side

    def user(self, role: str = Role.COORDINATOR):
        return self.a.users[role]


def _side(name: str, slug: str, roles) -> Side:
    organization = OrganizationFactory(name=name, slug=slug)
    side = Side(organization)
    for role in roles:
        user = UserFactory(username=f"{slug}-{role}")
        MembershipFactory(user=user, organization=organization, role=role)
        side.users[role] = user
    owner = side.users.get(Role.PROCESS_OWNER) or side.users[Role.COORDINATOR]
    side.site = SiteFactory(organization=organization, code=f"{slug[:3].upper()}1", name=f"Site {name}")
    side.process = ProcessFactory(organization=organization, code="R1", name="Production", owner=owner)
    side.plan = ActionPlanFactory(organization=organization, owner=side.users[Role.COORDINATOR], process=side.process)
    side.actions = [
        ActionFactory(organization=organization, plan=side.plan, owner=owner, process=side.process, site=side.site,
                      title=f"{name} action {i}", status=status)
        for i, status in enumerate((ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE))
    ]
    return side


def build_world() -> World:
    return World(
        a=_side("Alpha Usinage", "alpha", list(Role)),
        b=_side("Beta Chimie", "beta", [Role.COORDINATOR, Role.PROCESS_OWNER]),
    )


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


class ObjectViewsTestCase:
    """Every verb of a declared model's pages and API, per role and across organizations.

    A subclass declares ``declaration`` and its data: ``make(world, side)``,
    ``form_data(world)``, ``edit`` (field, new value) and, when the declaration has
    ``import_fields``, ``import_rows(world)`` (the import test fails without them).
    """

    declaration = None
    edit: tuple[str, object] = ("title", "Titre modifié")
    detail_query_budget = 30
    list_query_budget = 30

    # --- data hooks -------------------------------------------------------------------
    def make(self, world: World, side: Side):
        raise NotImplementedError

    def form_data(self, world: World) -> dict:
        raise NotImplementedError

    def import_rows(self, world: World) -> list[dict]:
        return []

    # --- helpers ----------------------------------------------------------------------
    @property
    def model(self):
        return self.declaration.model

    def url(self, kind: str, obj=None) -> str:
        from django.urls import reverse

        return reverse(self.declaration.url_name(kind), args=[obj.pk] if obj is not None else [])

    def api_url(self, obj=None, suffix: str = "") -> str:
        meta = self.model._meta
        base = f"/api/v1/{meta.app_label}/{self.declaration.url_prefix or meta.model_name + 's'}/"
        return f"{base}{obj.pk}/{suffix}" if obj is not None else base

    def expected(self, role, verb: str, obj=None, user=None) -> bool:
        """The hand-written answer (tests/role_expectations.py), never qse.roles: a wrong cell
        in the production role table must fail these tests."""
        from tests.role_expectations import expected_allowed

        return expected_allowed(role, verb, obj, user, model=self.model)

    def edited_form(self, world, obj) -> dict:
        data = self.form_data(world)
        for name in self.declaration.form.base_fields:
            if name not in data and name != "version":
                value = getattr(obj, f"{name}_id", None) if hasattr(obj, f"{name}_id") else getattr(obj, name, "")
                data[name] = "" if value is None else value
        name, value = self.edit
        data.update({name: value, "version": obj.version})
        return data

    # --- pages ------------------------------------------------------------------------
    def test_list_per_role_shows_only_own_organization(self, client, world):
        mine, theirs = self.make(world, world.a), self.make(world, world.b)
        for role, user in world.a.users.items():
            client.force_login(user)
            response = client.get(self.url("list"))
            assert response.status_code == (200 if self.expected(role, "view") else 403), role
            if response.status_code == 200:
                assert mine.get_absolute_url() in response.content.decode()
                assert theirs.get_absolute_url() not in response.content.decode()

    def test_other_organization_objects_answer_404_on_every_page(self, client, world):
        theirs = self.make(world, world.b)
        client.force_login(world.user())
        for kind in ("detail", "edit", "archive"):
            assert client.get(self.url(kind, theirs)).status_code == 404, kind
        for kind in ("edit", "archive"):
            assert client.post(self.url(kind, theirs), self.form_data(world)).status_code == 404, kind
        theirs.refresh_from_db()
        assert theirs.archived_at is None

    def test_create_per_role(self, client, world):
        for role, user in world.a.users.items():
            client.force_login(user)
            before = self.model.objects.count()
            response = client.post(self.url("add"), self.form_data(world))
            allowed = self.expected(role, "add")
            assert response.status_code == (302 if allowed else 403), (role, getattr(response, "context", None) and response.context.get("form") and response.context["form"].errors)
            assert self.model.objects.count() == before + (1 if allowed else 0)
        created = self.model.objects.order_by("-pk").first()
        assert created.organization_id == world.a.organization.pk

    def test_edit_per_role_and_history(self, client, world):
        obj = self.make(world, world.a)
        for role, user in world.a.users.items():
            obj.refresh_from_db()
            client.force_login(user)
            response = client.post(self.url("edit", obj), self.edited_form(world, obj))
            allowed = self.expected(role, "change", obj, user)
            assert response.status_code == (302 if allowed else 403), (role, response.status_code)
        obj.refresh_from_db()
        name, value = self.edit
        assert str(getattr(obj, name)) == str(value)
        client.force_login(world.user())
        page = client.get(self.url("detail", obj)).content.decode()
        assert 'id="history"' in page and str(value) in page

    def test_stale_edit_is_a_conflict_and_loses_nothing(self, client, world):
        obj = self.make(world, world.a)
        client.force_login(world.user())
        stale = self.edited_form(world, obj)
        first = self.edited_form(world, obj)
        name, value = self.edit
        assert client.post(self.url("edit", obj), first).status_code == 302
        stale[name] = f"{value} (2)" if isinstance(value, str) else value
        response = client.post(self.url("edit", obj), stale)
        assert response.status_code == 409
        obj.refresh_from_db()
        assert str(getattr(obj, name)) == str(value)

    def test_archive_keeps_the_record(self, client, world):
        obj = self.make(world, world.a)
        client.force_login(world.user())
        assert client.post(self.url("archive", obj), {"reason": "doublon"}).status_code == 302
        obj.refresh_from_db()
        assert obj.archived_at is not None
        assert obj.get_absolute_url() not in client.get(self.url("list")).content.decode()

    def test_exports_hold_only_own_organization(self, client, world):
        self.make(world, world.a)
        self.make(world, world.b)
        client.force_login(world.user())
        for export_format in ("csv", "xlsx"):
            response = client.get(self.url("list"), {"_export": export_format})
            assert response.status_code == 200
        csv_text = client.get(self.url("list"), {"_export": "csv"}).getvalue().decode()
        assert "Beta" not in csv_text

    def test_list_queries_do_not_grow_with_rows(self, client, world):
        client.force_login(world.user())
        self.make(world, world.a)
        few = count_queries(lambda: client.get(self.url("list")))
        for _ in range(8):
            self.make(world, world.a)
        many = count_queries(lambda: client.get(self.url("list")))
        assert many == few, (few, many)
        assert many <= self.list_query_budget

    def test_api_list_queries_do_not_grow_with_rows(self, client, world):
        if not self.api_url():
            return
        client.force_login(world.user())
        self.make(world, world.a)
        client.get(self.api_url(), {"limit": 100})  # warms the caches (content types...) a first call fills
        few = count_queries(lambda: client.get(self.api_url(), {"limit": 100}))
        for _ in range(6):
            self.make(world, world.a)
        many = count_queries(lambda: client.get(self.api_url(), {"limit": 100}))
        assert many == few, (few, many)

    def test_detail_query_budget(self, client, world):
        obj = self.make(world, world.a)
        client.force_login(world.user())
        assert count_queries(lambda: client.get(self.url("detail", obj))) <= self.detail_query_budget

    def test_import_is_all_or_nothing(self, client, world):
        if not self.declaration.import_fields:
            return  # the declaration offers no import (no import page, no route)
        rows = self.import_rows(world)
        assert rows, f"{type(self).__name__} declares an import: give import_rows() the rows to prove it"
        import csv
        import io

        client.force_login(world.user())

        def upload(rows):
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";")
            writer.writeheader()
            writer.writerows(rows)
            file = io.BytesIO(buffer.getvalue().encode("utf-8"))
            file.name = "import.csv"
            page = client.post(self.url("import"), {"file": file})
            assert page.status_code == 200, page.content[:500]
            mapping = {f"map_{c}": chosen for c, chosen in page.context["columns"]}
            return client.post(self.url("import"), {"token": page.context["token"], **mapping})

        before = self.model.objects.count()
        # Every field empty (a blank row alone is skipped, as in a company's file: a note in
        # a column no field takes keeps this one).
        broken = [*({**row, "zz": ""} for row in rows), {**{key: "" for key in rows[0]}, "zz": "?"}]
        response = upload(broken)
        assert response.status_code == 400
        assert response.context["errors"] and response.context["errors"][0].row == len(rows) + 2, (
            response.context.get("errors"), response.context.get("values"))
        assert self.model.objects.count() == before
        assert upload(rows).status_code == 302
        assert self.model.objects.count() == before + len(rows)

    # --- API --------------------------------------------------------------------------
    def test_api_is_scoped_and_404_across_organizations(self, client, world):
        mine, theirs = self.make(world, world.a), self.make(world, world.b)
        client.force_login(world.user())
        listed = client.get(self.api_url(), {"limit": 500}).json()["results"]
        ids = {row["id"] for row in listed}
        assert mine.pk in ids and theirs.pk not in ids
        assert client.get(self.api_url(theirs)).status_code == 404
        assert client.patch(self.api_url(theirs), {}, content_type="application/json").status_code == 404
        assert client.post(self.api_url(theirs, "archive/")).status_code == 404

    def test_api_create_per_role(self, client, world):
        for role, user in world.a.users.items():
            client.force_login(user)
            response = client.post(self.api_url(), self.form_data(world), content_type="application/json")
            assert response.status_code == (201 if self.expected(role, "add") else 403), (role, response.content[:300])

    def test_api_optimistic_locking(self, client, world):
        obj = self.make(world, world.a)
        client.force_login(world.user())
        name, value = self.edit
        etag = client.get(self.api_url(obj))["ETag"]
        assert client.patch(self.api_url(obj), {name: value}, content_type="application/json", headers={"If-Match": '"999"'}).status_code == 412
        assert client.patch(self.api_url(obj), {name: value}, content_type="application/json", headers={"If-Match": etag}).status_code == 200
        stale = client.patch(self.api_url(obj), {name: value, "version": obj.version}, content_type="application/json")
        assert stale.status_code == 409

    def test_api_token_authentication(self, client, world):
        from qse.tokens import token_create

        key = token_create(user=world.user(), organization=world.a.organization, name="capteur")
        mine, theirs = self.make(world, world.a), self.make(world, world.b)
        headers = {"Authorization": f"Token {key}"}
        assert client.get(self.api_url(mine), headers=headers).status_code == 200
        assert client.get(self.api_url(theirs), headers=headers).status_code == 404
        assert client.get(self.api_url(mine), headers={"Authorization": "Token nope"}).status_code == 401
