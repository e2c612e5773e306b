"""An API list's ``url`` of each row: its own page, built from one reverse() per list; its
foreign keys: the ids the row holds, read without a field lookup per row."""

from __future__ import annotations

import django.urls

import improvement.models.actions
import qse.api.viewsets
from improvement.factories import ActionFactory
from qse.api.viewsets import _detail_url_template
from qse.registry import declarations


def test_every_row_of_an_api_list_links_to_its_own_page_with_one_reverse_per_list(client, world, monkeypatch):
    side = world.a
    for index in range(7):
        ActionFactory(organization=side.organization, plan=side.plan, owner=world.user(), process=side.process,
                      title=f"Action en plus {index}", site=None)
    calls = []

    def counted(*args, **kwargs):
        calls.append(args[0])
        return django.urls.reverse(*args, **kwargs)

    monkeypatch.setattr(qse.api.viewsets, "reverse", counted)
    monkeypatch.setattr(improvement.models.actions, "reverse", counted)
    client.force_login(world.user())

    rows = client.get("/api/v1/improvement/actions/", {"limit": 1000}).json()["results"]

    assert len(rows) == 10
    assert {row["plan"] for row in rows} == {side.plan.pk}
    assert sorted((row["title"], row["site"]) for row in rows)[:2] == [
        ("Action en plus 0", None), ("Action en plus 1", None)]
    assert {row["site"] for row in rows if row["title"].startswith("Alpha")} == {side.site.pk}
    assert all(row["url"] == f"/improvement/actions/{row['id']}/" for row in rows)
    # The template, and the first row's own URL it is checked against: not one per row.
    assert calls == ["improvement:action_detail", "improvement:action_detail"]


def test_a_child_record_keeps_the_url_its_model_gives_it(world):
    child = next(d for d in declarations() if d.parent)
    parent_only = next(d for d in declarations() if not d.parent and d.model.__name__ == "Action")

    assert _detail_url_template(child.model, None) is None  # nested under a parent: asked of each row
    assert _detail_url_template(parent_only.model, world.a.actions[0]) == "/improvement/actions/999999999999/"
