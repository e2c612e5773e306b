"""Generic tests of child records (a declaration with ``parent``): their nested pages and
API routes, per role and across organizations. A child's test declares its data and, by
hand, which roles may add and change (never computed from the role table).

``make(world, side, parent)`` makes a child of ``parent`` (a record of ``side``);
``make_parent(world, side)`` makes a parent; ``form_data(world)`` is a valid page form and
``api_data(world)`` a valid API body (the form's by default).
"""

from __future__ import annotations

from django.urls import reverse

from qse.roles import Role


class ChildViewsTestCase:
    declaration = None
    may_add: frozenset = frozenset()  # roles of organization A allowed to add under a parent
    may_change: frozenset = frozenset()  # ... to change a child of a parent of their process
    edit: tuple[str, object] = ("description", "Texte modifié")

    # --- data hooks -------------------------------------------------------------------
    def make_parent(self, world, side):
        raise NotImplementedError

    def make(self, world, side, parent):
        raise NotImplementedError

    def form_data(self, world) -> dict:
        raise NotImplementedError

    def api_data(self, world) -> dict:
        return self.form_data(world)

    # --- helpers ----------------------------------------------------------------------
    @property
    def model(self):
        return self.declaration.model

    def page(self, kind: str, parent, obj=None) -> str:
        return reverse(self.declaration.url_name(kind), args=self.declaration.url_args(obj, parent))

    def api(self, parent, obj=None, suffix: str = "") -> str:
        from qse.api.children import api_prefix

        base = "/api/v1/" + api_prefix(self.declaration).replace(
            f"(?P<{self.declaration.parent_kwarg()}>[0-9]+)", str(parent.pk)) + "/"
        return f"{base}{obj.pk}/{suffix}" if obj is not None else base

    def parent_of(self, obj):
        return getattr(obj, self.declaration.parent[2])

    # --- tests ------------------------------------------------------------------------
    def test_another_organizations_parent_answers_404_on_every_nested_route(self, client, world):
        theirs = self.make(world, world.b, self.make_parent(world, world.b))
        parent = self.parent_of(theirs)
        for role in (Role.ADMIN, Role.COORDINATOR, Role.CONTRIBUTOR):
            client.force_login(world.a.users[role])
            for kind in ("list", "add"):
                assert client.get(self.page(kind, parent)).status_code == 404, (role, kind)
            assert client.post(self.page("add", parent), self.form_data(world)).status_code == 404, role
            for kind in ("detail", "edit", "archive"):
                assert client.get(self.page(kind, parent, theirs)).status_code == 404, (role, kind)
                if kind != "detail":
                    assert client.post(self.page(kind, parent, theirs), {}).status_code == 404, (role, kind)
            assert client.get(self.api(parent)).status_code == 404, role
            assert client.post(self.api(parent), self.api_data(world), content_type="application/json").status_code == 404
            assert client.get(self.api(parent, theirs)).status_code == 404, role
            assert client.patch(self.api(parent, theirs), {}, content_type="application/json").status_code == 404
            assert client.post(self.api(parent, theirs, "archive/")).status_code == 404, role
        assert self.model.objects.filter(organization=world.a.organization).count() == 0

    def test_a_child_is_found_only_under_its_own_parent(self, client, world):
        mine = self.make(world, world.a, self.make_parent(world, world.a))
        other_parent = self.make_parent(world, world.a)
        client.force_login(world.user())
        assert client.get(self.page("detail", other_parent, mine)).status_code == 404
        assert client.get(self.api(other_parent, mine)).status_code == 404
        listed = client.get(self.api(other_parent)).json()["results"]
        assert mine.pk not in {row["id"] for row in listed}
        listed = client.get(self.api(self.parent_of(mine))).json()["results"]
        assert mine.pk in {row["id"] for row in listed}
        assert client.get(self.page("list", self.parent_of(mine))).status_code == 200
        assert client.get(self.page("detail", self.parent_of(mine), mine)).status_code == 200

    def test_create_per_role_on_the_page_and_the_api(self, client, world):
        parent = self.make_parent(world, world.a)
        for role, user in world.a.users.items():
            client.force_login(user)
            before = self.model.objects.count()
            page = client.post(self.page("add", parent), self.form_data(world))
            api = client.post(self.api(parent), self.api_data(world), content_type="application/json")
            allowed = role in self.may_add
            assert page.status_code == (302 if allowed else 403), (role, page.status_code)
            assert api.status_code == (201 if allowed else 403), (role, api.content[:300])
            assert self.model.objects.count() == before + (2 if allowed else 0), role
        assert set(self.model.objects.values_list(self.declaration.parent[2], flat=True)) == {parent.pk}

    def test_change_per_role_and_stale_version_is_a_conflict(self, client, world):
        obj = self.make(world, world.a, self.make_parent(world, world.a))
        name, value = self.edit
        for role, user in world.a.users.items():
            obj.refresh_from_db()
            client.force_login(user)
            response = client.patch(self.api(self.parent_of(obj), obj), {name: value, "version": obj.version},
                                    content_type="application/json")
            assert response.status_code == (200 if role in self.may_change else 403), (role, response.content[:300])
        obj.refresh_from_db()
        assert str(getattr(obj, name)) == str(value)
        client.force_login(world.user())
        stale = client.patch(self.api(self.parent_of(obj), obj), {name: value, "version": obj.version - 1},
                             content_type="application/json")
        assert stale.status_code == 409

    def test_archive_from_the_page_and_the_api(self, client, world):
        parent = self.make_parent(world, world.a)
        first, second = self.make(world, world.a, parent), self.make(world, world.a, parent)
        client.force_login(world.user())
        assert client.post(self.page("archive", parent, first), {"reason": "doublon"}).status_code == 302
        assert client.post(self.api(parent, second, "archive/"), {}, content_type="application/json").status_code == 204
        assert self.model.objects.filter(pk__in=[first.pk, second.pk], archived_at__isnull=True).count() == 0
