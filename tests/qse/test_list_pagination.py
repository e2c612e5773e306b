"""Lists count their rows up to a cap instead of counting the whole register on every page,
and keep rows that tie on the sort key in one order from page to page."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from improvement.factories import ActionFactory
from qse.factories import UserFactory
from qse.roles import Role


def _actions(world, n, **fields):
    return [ActionFactory(organization=world.a.organization, **fields) for _ in range(n)]


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/improvement/actions/\d+/">([^<]+)</a>', html)


def test_a_long_list_says_more_than_the_cap_and_counts_with_a_limit(client, world, settings):
    settings.QSE_LIST_COUNT_CAP = 5  # below a page: the cap follows the page asked for (2 pages of 25)
    _actions(world, 60)
    client.force_login(world.a.users[Role.COORDINATOR])
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/improvement/actions/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Plus de <span data-testid=\"row-count\">50</span> lignes" in first
    # The bell's unread count (at most 99) is the header's, not the list's.
    counts = [q["sql"] for q in queries.captured_queries
              if "COUNT(" in q["sql"].upper() and '"qse_notification"' not in q["sql"]]
    assert counts and all("LIMIT 51" in sql for sql in counts), counts
    # The last page asked for is counted exactly: 60 rows of this organization (plus the world's own).
    last = client.get("/improvement/actions/", {"page": 3}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    exact = int(re.search(r'data-testid="row-count">(\d+)<', last).group(1))
    assert exact >= 60 and "Plus de" not in last
    assert len(_titles(last)) == exact - 50


def test_rows_that_tie_on_the_sort_key_never_repeat_or_vanish_between_pages(client, world):
    owner = UserFactory(first_name="Paul", last_name="Durand")
    tied = set()
    for i in range(40):
        tied.add(ActionFactory(organization=world.a.organization, owner=owner, title=f"Égalité {i:02d}").title)
    client.force_login(world.a.users[Role.COORDINATOR])
    response = client.get("/improvement/actions/", {"sort": "owner", "q": "Égalité"})
    assert list(response.context["table"].data.data.query.order_by)[-1] == "pk"
    seen = []
    for page in (1, 2):
        html = client.get("/improvement/actions/", {"sort": "owner", "q": "Égalité", "page": page}).content.decode()
        seen += _titles(html)
    assert sorted(seen) == sorted(tied)
