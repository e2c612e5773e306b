"""The app server's start-up objects kept out of the garbage collector's full passes.

A worker holds about 300,000 container objects that live as long as it does (models, URL
patterns, views, serializers, translations). CPython's full collection walks every one of them
each time: measured on bench_qse_0_1, one pause of 250-300 ms every few requests of a
1,000-row API list, and 2 of them in each 25,000-row export. ``gc.freeze()`` moves the objects
alive after start-up into a permanent generation that collections skip: full passes then walk
only what requests created (a few ms). The cost: garbage left by start-up itself after the
freeze is never reclaimed, which ``gc.collect()`` just before keeps to nothing.
"""

from __future__ import annotations

import gc

from django.urls import get_resolver


def freeze_after_start_up() -> int:
    """Import every view (the URL configuration), collect start-up's garbage and freeze what is
    left; the number of objects frozen. Called once the WSGI application exists (qse/wsgi.py)."""
    get_resolver().url_patterns  # noqa: B018 (imports every app's views, forms and serializers now)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
