"""A choice among many records (8,000 people, 2,500 processes in a large group) is a search
box, not a <select> listing every row; the search answers only what the user may see."""

from __future__ import annotations

import re

from qse.factories import ProcessFactory
from qse.roles import Role


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r"<option value=\"([^\"]*)\"", select.group(1))


def test_a_filter_and_a_form_over_many_processes_list_only_the_chosen_one(client, world, settings):
    settings.QSE_CHOICES_INLINE = 3
    processes = [ProcessFactory(organization=world.a.organization, name=f"Découpe laser {i}") for i in range(5)]
    client.force_login(world.user())
    page = client.get("/improvement/actions/", {"process": processes[2].pk}).content.decode()
    assert _options(page, "process") == ["", str(processes[2].pk)]
    assert 'data-search-url="/org/choices/qse.process/"' in page
    form = client.get("/improvement/actions/add/").content.decode()
    assert _options(form, "process") == [""]
    assert 'data-search-url="/org/choices/qse.process/"' in form


def test_a_filter_over_few_processes_keeps_its_plain_list(client, world, settings):
    settings.QSE_CHOICES_INLINE = 100
    client.force_login(world.user())
    page = client.get("/improvement/actions/").content.decode()
    assert str(world.a.process.pk) in _options(page, "process")
    assert 'data-search-url="/org/choices/qse.process/"' not in page


def test_the_search_finds_the_organizations_records_and_never_another_ones(client, world):
    ProcessFactory(organization=world.a.organization, name="Découpe laser", code="DL1")
    ProcessFactory(organization=world.b.organization, name="Découpe jet d'eau", code="DJ1")
    client.force_login(world.user())
    found = client.get("/org/choices/qse.process/", {"q": "découpe"}).json()["results"]
    assert [r["label"] for r in found] == ["DL1 · Découpe laser"]
    people = client.get("/org/choices/auth.user/", {"q": ""}).json()["results"]
    labels = {r["label"] for r in people}
    assert labels and not labels & {u.get_full_name() or u.username for u in world.b.users.values()}


def test_the_search_refuses_what_is_not_a_choice_and_what_the_role_may_not_see(client, world):
    client.force_login(world.user(Role.CONTRIBUTOR))
    assert client.get("/org/choices/sessions.session/").status_code == 404
    assert client.get("/org/choices/nothing.here/").status_code == 404
    assert client.get("/org/choices/nonconformities.person/").status_code == 403


def test_a_choice_over_the_limit_reads_one_process_to_know_it_not_the_limit_plus_one(client, world, settings):
    from django.db import connection

    settings.QSE_CHOICES_INLINE = 3
    for i in range(6):
        ProcessFactory(organization=world.a.organization, name=f"Découpe laser {i}")
    read = {}

    def count_rows(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith('SELECT "qse_process"."id"'):
            read[sql] = context["cursor"].rowcount
        return result

    client.force_login(world.user())
    with connection.execute_wrapper(count_rows):
        page = client.get("/improvement/actions/add/").content.decode()
    assert _options(page, "process") == [""]  # a search box, as before
    assert list(read.values()) == [1]  # one query for the field, one row read
