"""The column chooser (as NetBox's table configuration): a person's visible columns per list,
stored for them alone; key columns always shown; exports keep every column."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from qse.models import TableConfig
from qse.roles import Role
from qse.table_config import table_config_of, table_config_save
from qse.tenancy import scope_restored, set_database_user

CHOOSER = reverse("qse:table_config", args=["improvement.action"])


def _headers(page: str) -> str:
    """The column headers' text, tags and entities removed."""
    head = page.split("<thead")[1].split("</thead>")[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", head)).split()).lower()


def test_a_users_choice_of_columns_is_read_by_that_user_only_even_in_the_database(world):
    alice, bob = world.a.users[Role.COORDINATOR], world.b.users[Role.COORDINATOR]
    table_config_save(user=alice, table_name="improvement.action", columns=["title", "site"])
    with scope_restored():
        set_database_user(bob.pk)  # as a request of Bob's: row-level security on, no bypass
        assert TableConfig.objects.count() == 0
        assert table_config_of(user=alice, table_name="improvement.action") is None
        set_database_user(alice.pk)
        assert table_config_of(user=alice, table_name="improvement.action") == ["title", "site"]


def test_the_chooser_hides_a_column_for_its_user_keeps_key_columns_and_the_export_keeps_all(client, world):
    coordinator = world.a.users[Role.COORDINATOR]
    client.force_login(coordinator)
    # "site" and "owner" unticked; owner is a key column of the actions list, so it stays.
    response = client.post(CHOOSER, {"columns": ["title", "plan", "status"], "next": reverse("improvement:action_list")})
    assert response.status_code == 302 and response["Location"] == reverse("improvement:action_list")

    headers = _headers(client.get(reverse("improvement:action_list")).content.decode())
    assert "plan d'actions" in headers and "responsable" in headers, headers
    assert "site" not in headers and "priorité" not in headers
    export = client.get(reverse("improvement:action_list") + "?_export=csv").getvalue().decode().splitlines()[0]
    assert "Site" in export and "Priorité" in export

    client.force_login(world.a.users[Role.MANAGEMENT])  # another person: the table's own defaults
    assert "priorité" in _headers(client.get(reverse("improvement:action_list")).content.decode())
    assert TableConfig.objects.filter(user=world.a.users[Role.MANAGEMENT]).count() == 0


def test_reset_goes_back_to_the_default_columns(client, world):
    coordinator = world.a.users[Role.COORDINATOR]
    table_config_save(user=coordinator, table_name="improvement.action", columns=["title"])
    client.force_login(coordinator)
    client.post(CHOOSER, {"reset": "1"})
    assert table_config_of(user=coordinator, table_name="improvement.action") is None


@pytest.mark.parametrize("name", ["nope.table", "qse.membership"])
def test_an_unknown_list_is_a_404(client, world, name):
    client.force_login(world.a.users[Role.COORDINATOR])
    assert client.post(reverse("qse:table_config", args=[name]), {"columns": ["x"]}).status_code == 404


def test_an_outside_next_address_is_not_followed(client, world):
    client.force_login(world.a.users[Role.COORDINATOR])
    response = client.post(CHOOSER, {"columns": ["title"], "next": "https://evil.example/"})
    assert response["Location"] == reverse("improvement:action_list")
