"""PDF probes: a report rendered as the worker renders it, against WeasyPrint on the same
content without its styles (the "plain document" of DESIGN.md), per page."""

from __future__ import annotations

import re
import resource
import signal
import time
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from qse.bench.breakdown import Breakdown
from qse.models import GeneratedReport, Membership
from qse.reports import _render, report_html
from qse.tenancy import organization_context, set_database_user

# A render still running after this many seconds is recorded as "too long", not waited for.
RENDER_LIMIT_SECONDS = 150
_STYLE = re.compile(r"<style.*?</style>|\sstyle=\"[^\"]*\"|\sclass=\"[^\"]*\"", re.S)


class _TooLong(Exception):
    pass


def time_report(*, kind: str, target_of, username: str) -> dict:
    """Seconds, pages and peak memory growth of one report, and of its plain floor.
    ``target_of(organization)`` finds the record, read inside the user's organization (RLS)."""
    with transaction.atomic():
        user = get_user_model().objects.get(username=username)
        set_database_user(user.pk)  # the membership policy shows a user their own memberships
        membership = Membership.objects.select_related("organization", "user").get(user=user)
    organization = membership.organization
    with organization_context(organization, membership):
        target = target_of(organization)
        if target is None:  # a kind whose records the dataset does not build: said, not failed
            return {"kind": kind, "skipped": "no record to report on in the dataset"}
        report = GeneratedReport.objects.create(
            organization=organization, requested_by=membership.user, created_by=membership.user, kind=kind,
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk, language="fr",
            dedupe_key=uuid.uuid4().hex,
        )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    breakdown = Breakdown()  # SQL and templates of the report's HTML; the rest is mostly WeasyPrint
    try:
        with breakdown.recording():
            seconds, (_pdf, pages) = _timed(lambda: _render(organization, report))
    except (_TooLong, RecursionError, MemoryError) as error:
        return {"kind": kind, "error": type(error).__name__, "limit_seconds": RENDER_LIMIT_SECONDS}
    growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    plain_seconds, plain_pages = _plain(organization, report)
    return {"kind": kind, "seconds": seconds, "pages": pages, "peak_rss_growth_mb": growth,
            "plain_seconds": plain_seconds, "plain_pages": plain_pages, "breakdown": breakdown.as_ms(seconds)}


def _plain(organization, report) -> tuple[float, int]:
    from weasyprint import HTML

    html = _STYLE.sub("", report_html(organization, report))
    seconds, document = _timed(lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).render())
    return seconds, len(document.pages)


def _timed(function):
    def alarm(signum, frame):
        raise _TooLong

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(RENDER_LIMIT_SECONDS)
    try:
        started = time.perf_counter()
        result = function()
        return time.perf_counter() - started, result
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
