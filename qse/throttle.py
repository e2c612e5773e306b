"""Client addresses and rate counters shared by the account-less and login pages.

One definition of "the client's address" (behind ``QSE_TRUSTED_PROXIES`` reverse proxies)
serves the public reporting form, the login throttling (django-axes) and the password
reset; counters live in the Redis cache, each with its own window.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address; behind ``QSE_TRUSTED_PROXIES`` reverse proxies, the address
    the outermost trusted proxy saw (the rest of X-Forwarded-For can be forged)."""
    proxies = getattr(settings, "QSE_TRUSTED_PROXIES", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def hit(key: str, window: int) -> int:
    """Count one more event under ``key`` for ``window`` seconds from the first; the new count."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def claim_once(key: str, lifetime: int) -> bool:
    """True the first time ``key`` is claimed within ``lifetime`` seconds, False after
    (Redis SET NX: two concurrent claims cannot both win)."""
    return cache.add(key, 1, timeout=lifetime)
