"""People are shown by their full name, never by their login, in every list, filter and
export; a record's multi-valued field shows its translated labels, not a Python list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from qse.roles import Role


@pytest.fixture
def claire(world):
    """The process owner of organization A, with a name a person would recognise."""
    user = world.a.users[Role.PROCESS_OWNER]
    user.first_name, user.last_name = "Claire", "Martin"
    user.save()
    return user


def test_the_owner_filter_of_the_actions_list_offers_full_names_not_logins(client, world, claire):
    client.force_login(world.a.users[Role.COORDINATOR])
    page = client.get(reverse("improvement:action_list")).content.decode()
    assert ">Claire Martin</option>" in page
    assert f">{claire.username}</option>" not in page


def test_a_user_column_a_table_declares_only_by_field_name_shows_the_full_name(client, world, claire):
    world.a.plan.owner = claire
    world.a.plan.save()
    client.force_login(world.a.users[Role.COORDINATOR])
    for url in (reverse("improvement:actionplan_list"), reverse("qse:process_list")):
        page = client.get(url).content.decode()
        assert re.search(r"<td[^>]*>\s*Claire Martin\s*</td>", page), url
        assert claire.username not in page, url


def test_the_csv_export_names_people_in_full(client, world, claire):
    client.force_login(world.a.users[Role.COORDINATOR])
    export = client.get(reverse("qse:process_list") + "?_export=csv").getvalue().decode()
    assert "Claire Martin" in export
    assert claire.username not in export
