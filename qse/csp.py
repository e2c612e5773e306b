"""Content-Security-Policy on every response (Django 5.2 has none built in; 6.0's
``SECURE_CSP`` has the same shape, so this can give way to it).

The policy is ``settings.QSE_CSP``: scripts only from our own static files (no inline
``<script>``, no ``onclick=``, no ``javascript:`` link: page behaviours live in
``static/js/qse.js``, plotly figures are drawn from JSON by it, see ``qse/charts.py``).
A response that already carries a policy keeps it: attachments are served sandboxed.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings

HEADER = "Content-Security-Policy"


def policy_header(directives: dict[str, list[str]]) -> str:
    """``{"default-src": ["'self'"], ...}`` as the header's text."""
    return "; ".join(f"{name} {' '.join(values)}".strip() for name, values in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the project's policy to every response that has none of its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy_header(settings.QSE_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = self.header
        return response


def csp_update(**directives: list[str]):
    """View decorator: the project's policy with some directives widened, for a third-party
    page whose template we do not write (``script_src=[...]`` is ``script-src``)."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            merged = {**settings.QSE_CSP}
            for name, values in directives.items():
                key = name.replace("_", "-")
                merged[key] = [*merged.get(key, []), *values]
            response[HEADER] = policy_header(merged)
            return response
        return wrapped
    return decorator
