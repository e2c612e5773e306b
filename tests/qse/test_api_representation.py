"""The API's fast row representation (qse/api/representation.py) answers exactly what DRF's
own field-by-field path answers: for every registered API list, nested ones included, in both
organizations of the demo, the same bytes, list and detail."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from qse.api.children import api_prefix
from qse.api.viewsets import ScopedSerializer
from qse.demo import seed_demo
from qse.models import Membership
from qse.registry import declarations

GROUP = re.compile(r"\(\?P<\w+>\[0-9\]\+\)")


@pytest.fixture
def demo(db):
    seed_demo()


def _both(client, monkeypatch, url, params=None) -> tuple[bytes, bytes]:
    answers = []
    for fast in (True, False):
        monkeypatch.setattr(ScopedSerializer, "fast_representation", fast)
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)
        answers.append(response.content)
    return answers[0], answers[1]


def _list_urls(declaration, organization_id) -> list[str]:
    """The declaration's API list URL, or for a child, the URLs under parents that have rows."""
    prefix = api_prefix(declaration)
    if not declaration.parent:
        return [f"/api/v1/{prefix}/"]
    if len(GROUP.findall(prefix)) != 1:
        return []  # a grandchild: its parents' chain is not worth resolving here
    parent_ids = (declaration.model.objects.filter(organization_id=organization_id)
                  .values_list(f"{declaration.parent[2]}_id", flat=True).distinct().order_by()[:3])
    return [f"/api/v1/{GROUP.sub(str(parent_id), prefix)}/" for parent_id in parent_ids]


def test_every_api_list_and_detail_answers_the_same_bytes_as_drf_in_both_organizations(demo, monkeypatch):
    compared_rows, lists_with_rows = 0, set()
    for username in ("admin", "other"):
        user = get_user_model().objects.get(username=username)
        organization_id = Membership.objects.filter(user=user).values_list("organization_id", flat=True).get()
        client = Client()
        client.force_login(user)
        for declaration in declarations():
            if declaration.serializer is None:
                continue
            for url in _list_urls(declaration, organization_id):
                fast, drf = _both(client, monkeypatch, url, {"limit": 1000, "archived": "1"})
                assert fast == drf, url
                rows = client.get(url, {"limit": 1000, "archived": "1"}).json()["results"]
                if rows:
                    lists_with_rows.add(declaration.model._meta.label)
                    compared_rows += len(rows)
                    fast, drf = _both(client, monkeypatch, f"{url}{rows[0]['id']}/")
                    assert fast == drf, f"{url}{rows[0]['id']}/"
    # The demo fills most registers, in both organizations: the comparison is not vacuous.
    assert len(lists_with_rows) >= 25, sorted(lists_with_rows)
    assert compared_rows >= 300
