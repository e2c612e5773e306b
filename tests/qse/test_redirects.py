"""``next`` (and the Referer) only ever send the user to a page of this site."""

import pytest
from django.test import RequestFactory

from qse.redirects import safe_next


@pytest.mark.parametrize(("target", "expected"), [
    ("/improvement/mine/", "/improvement/mine/"),
    ("/events/?page=2", "/events/?page=2"),
    ("http://testserver/improvement/", "http://testserver/improvement/"),
    ("//evil.example/", "/fallback/"),
    ("///evil.example", "/fallback/"),
    ("/\\evil.example", "/fallback/"),
    ("https://evil.example/", "/fallback/"),
    ("javascript:alert(1)", "/fallback/"),
    ("", "/fallback/"),
])
def test_next_stays_on_the_site(target, expected):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, "/fallback/") == expected


def test_a_foreign_referer_is_not_followed():
    request = RequestFactory().post("/x/", HTTP_REFERER="https://evil.example/")
    assert safe_next(request, "/fallback/", use_referer=True) == "/fallback/"
    request = RequestFactory().post("/x/", HTTP_REFERER="http://testserver/org/attachments/")
    assert safe_next(request, "/fallback/", use_referer=True) == "http://testserver/org/attachments/"
