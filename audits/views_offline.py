"""Pages of the offline checklist: the checklist page itself (one page online and offline,
driven by static/audits/checklist.js through the API), its photos, the service worker and the
web app manifest. The page writes nothing by POST: every change goes through the sync API."""

from __future__ import annotations

import functools
import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audits import api_offline  # noqa: F401  (registers the checklist's API operations)
from audits.choices import AnswerResult
from audits.models import Audit, AuditPhoto

# What the checklist page needs to render with no network; the service worker keeps them.
OFFLINE_STATIC = (
    "css/qse.css", "vendor/htmx.min.js", "js/qse.js", "vendor/idb/umd.js", "audits/checklist.js",
    "audits/checklist.css", "audits/icons/icon-192.png", "audits/icons/icon-512.png",
)


@login_required
@require_GET
def checklist(request, pk: int):
    """The audit's checklist, answered on the tablet: one question per screen or a list."""
    audit = get_object_or_404(Audit.objects.restrict(request.user, "view"), pk=pk)
    api = f"/api/v1/audits/{audit.pk}/"
    config = {
        "auditId": audit.pk, "api": api, "page": request.path, "login": reverse("login") + f"?next={request.path}",
        "sw": reverse("service_worker"), "strings": _strings(),
        "results": [{"value": value, "label": str(label)} for value, label in AnswerResult.choices],
    }
    return render(request, "audits/checklist.html", {"audit": audit, "config": config})


def _strings() -> dict:
    """The page's words for its script (the script runs offline: no catalogue to fetch)."""
    return {
        "online": _("Online"), "offline": _("Offline"), "pending": _("{ops} changes and {photos} photos waiting"),
        "nothingPending": _("Everything is on the server"), "lastSync": _("Last sync: {time}"),
        "syncing": _("Syncing…"), "syncFailed": _("Sync failed: {error}. Your answers stay on this device."),
        "signIn": _("Your session has ended: sign in again, your answers stay on this device."),
        "signInLink": _("Sign in"), "prepared": _("Prepared for offline on this device until {date}."),
        "preparedOther": _("Being worked offline on {name}'s tablet: read only here."),
        "editAnyway": _("Edit anyway"), "readOnly": _("You read this checklist: only its audit team answers it."),
        "progress": _("{done} of {total} answered"), "question": _("Question {n} of {total}"),
        "comment": _("Comment"), "evidence": _("Evidence seen"), "score": _("Score (0-100)"),
        "photo": _("Take a photo"), "photos": _("Photos"), "previous": _("Previous"), "next": _("Next"),
        "nextUnanswered": _("Next unanswered"), "allAnswered": _("Every question is answered."),
        "conflict": _("Conflict: this answer was also changed elsewhere."),
        "tablet": _("This tablet"), "server": _("Server"), "keepTablet": _("Keep the tablet's"),
        "keepServer": _("Keep the server's"), "keepBoth": _("Keep both"),
        "conflicts": _("{count} conflicts to resolve"), "needsNetwork": _("Connect to the network to do this."),
        "storage": _("Storage used on this device: {used} of {quota}."),
        "persistRefused": _("The browser may clear this device's storage: sync at least every few days."),
        "released": _("The reservation is released."), "rejected": _("Refused by the server: {error}"),
        "noQuestions": _("This audit's checklist has no question yet."), "by": _("by {name}"),
        "savedHere": _("Saved on this device"), "photoPending": _("waiting to be sent"),
        "removePhoto": _("Remove this photo"),
        "notPrepared": _("Not prepared for offline: prepare it before leaving the network."),
        "loadFailed": _("This checklist was not prepared on this device and the network is unreachable."),
    }


@login_required
@require_GET
def checklist_photo(request, uuid):
    """A checklist photo, to whoever may see its question."""
    photo = get_object_or_404(AuditPhoto.objects.restrict(request.user, "view"), uuid=uuid)
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response


@functools.cache
def _offline_assets() -> tuple[list[str], str]:
    """The static URLs to precache (hashed names in production) and a version that changes
    with any of their contents, so a deployment replaces the cached copies."""
    digest = hashlib.sha256(render_to_string("audits/sw.js", {"assets": "[]", "version": ""}).encode())
    urls = []
    for name in OFFLINE_STATIC:
        urls.append(staticfiles_storage.url(name))
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
        digest.update(urls[-1].encode())
    return urls, digest.hexdigest()[:16]


@require_GET
def service_worker(request):
    """The service worker, at the site's root so that its scope is the whole site."""
    urls, version = _offline_assets()
    body = render_to_string("audits/sw.js", {"assets": json.dumps(urls), "version": version})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    """The web app manifest: the app installs on a tablet's home screen."""
    return JsonResponse({
        "name": "Pilote QSE", "short_name": "Pilote QSE", "start_url": "/", "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#0b4f8a", "lang": request.LANGUAGE_CODE,
        "description": _("Quality, safety and environment management; audit checklists that work offline."),
        "icons": [
            {"src": staticfiles_storage.url("audits/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": staticfiles_storage.url("audits/icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
        ],
    }, content_type="application/manifest+json")
