"""Where to send the user back to after a POST: a ``next`` page on this site, never another one.

Every view that honours a ``next`` field (or the Referer) asks ``safe_next``: a value such as
``//evil.example`` or ``/\\evil.example`` starts with a slash yet leaves the site in a browser.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str, *, use_referer: bool = False) -> str:
    """The posted (or queried) ``next`` when it stays on this site, else ``fallback``."""
    candidates = [request.POST.get("next", ""), request.GET.get("next", "")]
    if use_referer:
        candidates.append(request.META.get("HTTP_REFERER", ""))
    for target in candidates:
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
    return fallback


def redirect_back(request: HttpRequest, fallback: str, *, use_referer: bool = False) -> HttpResponseRedirect:
    """A redirect to ``safe_next``."""
    return HttpResponseRedirect(safe_next(request, fallback, use_referer=use_referer))
