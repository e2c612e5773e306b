"""PDF reports: a registry of report kinds, the request service, and the Celery task that
renders them with WeasyPrint on the "pdf" queue (routed by ``CELERY_TASK_ROUTES``).

An app registers a kind in its own ``reports.py`` (found by ``autodiscover_modules``):

    register_report("improvement.action_plan", model=ActionPlan, title=_("Action plan"),
                    context_builder=action_plan_context, template="improvement/pdf/action_plan.html")

The context builder is plain data, ``(obj, user, *, today) -> dict``: it reads only through
selectors and ``restrict()``, with the requester's membership active, so a PDF never shows
more than the requester may see. The whole HTML (the subject's ``str()`` and anything the
template reads lazily included) is rendered inside that membership's organization context:
row-level security hides every tenant row outside it.

One report per content: a second request for the same kind, record, language and reader
gets the report already waiting or rendering (a double click). A finished report is handed
out again only when its kind declares a ``content_version`` (the content of a frozen record
cannot change; a plan's PDF changes with each of its actions, which its own ``version`` does
not follow). A ``shared`` kind's content cannot differ by reader (it is read from a frozen
snapshot only), so its report is one for every member who may view the record.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from qse.models import GeneratedReport, Membership, Organization, ReportStatus
from qse.services import ensure_can, recorded
from qse.tasks import tenant_task
from qse.tenancy import current_membership, current_organization, organization_context

logger = logging.getLogger(__name__)

# A render is cut short (and the report marked failed) past this many seconds.
RENDER_SOFT_TIME_LIMIT = 300
# High bits of our advisory lock keys, so they never meet another use of pg_advisory_lock.
ADVISORY_LOCK_NAMESPACE = 0x5153 << 48


# --- registry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportKind:
    kind: str
    model: type
    title: object
    context_builder: Callable[..., dict]
    template: str
    # ``(obj) -> str``: changes whenever the PDF's content would; None when no cheap value
    # covers everything the report reads (a finished report is then never reused).
    content_version: Callable[..., str] | None = None
    # The content cannot differ by reader: one report for every member who may view the record.
    shared: bool = False
    # ``(obj, user) -> str | None``: what a large document will hold (a summary, the first
    # rows), said on the progress page before the PDF is there. None: the whole content.
    contents_note: Callable[..., str | None] | None = None


_kinds: dict[str, ReportKind] = {}
_discovered = False


def register_report(kind: str, *, model, title, context_builder, template: str,
                    content_version: Callable[..., str] | None = None, shared: bool = False,
                    contents_note: Callable[..., str | None] | None = None) -> None:
    """Declare a PDF an app offers for one model (called at import of ``<app>/reports.py``)."""
    _kinds[kind] = ReportKind(kind, model, title, context_builder, template, content_version, shared, contents_note)


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("reports")


def report_kind(kind: str) -> ReportKind | None:
    _discover()
    return _kinds.get(kind)


# --- reads -------------------------------------------------------------------------------


def report_queryset(user):
    """Reports the user may read: their own requests (the content was built with their
    rights, so it is not shown to anyone else), and the reports of shared kinds about a
    record they may view, in the current organization."""
    own = GeneratedReport.objects.restrict(user, "view").filter(requested_by=user)
    _discover()
    shared = Q(pk__in=[])
    for entry in _kinds.values():
        if entry.shared:
            shared |= Q(kind=entry.kind, object_id__in=report_targets(entry, user).values("pk"))
    return own | GeneratedReport.objects.filter(shared, is_shared=True)


def report_targets(entry: ReportKind, user):
    """The records the user may ask this kind of report about. A report on the organization
    as a whole (its context, its registers) targets the current organization only."""
    if entry.model is Organization:
        membership = current_membership()
        if membership is None or not user.is_authenticated or membership.user_id != user.pk:
            return Organization.objects.none()
        return Organization.objects.filter(pk=membership.organization_id)
    return entry.model.objects.restrict(user, "view")


def report_subject(report: GeneratedReport, user):
    """The record a report is about, if the user may still see it."""
    entry = report_kind(report.kind)
    if entry is None:
        return None
    return report_targets(entry, user).filter(pk=report.object_id).first()


def report_target(report: GeneratedReport, user):
    """The record a report is about, if the user may still see it and it has a page."""
    target = report_subject(report, user)
    return target if hasattr(target, "get_absolute_url") else None


def report_filename(report: GeneratedReport) -> str:
    entry = report_kind(report.kind)
    stem = slugify(str(entry.title)) if entry else "rapport"
    day = timezone.localtime(report.finished_at or report.created_at).date()
    return f"{stem}-{report.object_id}-{day.isoformat()}.pdf"


# --- service -----------------------------------------------------------------------------


def report_request(*, kind: str, target, acting_user) -> GeneratedReport:
    """Record the request and render it in the background once the request commits; or
    hand back the report already made or under way for the same content.

    Race-free: two requests that both miss the lookup meet on the unique ``dedupe_key``;
    the loser's insert waits for the winner to commit, then reads its report."""
    entry = report_kind(kind)
    if entry is None or not isinstance(target, entry.model):
        raise LookupError(f"No report {kind!r} for {type(target).__name__}")
    ensure_can(acting_user, "view", target)
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = report_dedupe_key(entry, target, acting_user, language)
    existing = _reusable(key)
    if existing is not None:
        _resend_if_stuck(existing)
        return existing
    try:
        return _report_create(entry, target, acting_user, language, key)
    except IntegrityError:
        existing = _reusable(key)
        if existing is None:
            raise
        return existing


def report_dedupe_key(entry: ReportKind, target, user, language: str) -> str:
    """What makes two requests ask for the same content: kind, record, language, reader
    (nobody in particular for a shared kind) and the kind's content version, if any."""
    reader = "shared" if entry.shared else f"user:{user.pk}"
    version = entry.content_version(target) if entry.content_version else ""
    content_type = ContentType.objects.get_for_model(target)
    raw = "|".join([entry.kind, str(content_type.pk), str(target.pk), language, reader, version])
    return hashlib.sha256(raw.encode()).hexdigest()


def _resend_if_stuck(report: GeneratedReport) -> None:
    """A report still unfinished long after any render would have ended lost its message
    (a broker restart): send it to a worker again rather than make the user wait forever.
    The task is idempotent (render lock, claim), so a late original does no harm."""
    stuck_since = timezone.now() - datetime.timedelta(seconds=RENDER_SOFT_TIME_LIMIT * 2)
    if not report.is_finished and report.updated_at < stuck_since:
        transaction.on_commit(
            partial(pdf_render_task.delay, organization_id=report.organization_id, report_id=report.pk)
        )


def _reusable(key: str) -> GeneratedReport | None:
    return GeneratedReport.objects.in_current_organization().filter(dedupe_key=key).first()


def _report_create(entry: ReportKind, target, acting_user, language: str, key: str) -> GeneratedReport:
    with recorded(acting_user), transaction.atomic():  # a savepoint: a lost race leaves the caller's transaction usable
        report = GeneratedReport.objects.create(
            organization=current_organization(),
            created_by=acting_user,
            requested_by=acting_user,
            kind=entry.kind,
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            language=language,
            is_shared=entry.shared,
            dedupe_key=key,
        )
        transaction.on_commit(
            partial(pdf_render_task.delay, organization_id=report.organization_id, report_id=report.pk)
        )
    return report


# --- task --------------------------------------------------------------------------------


@tenant_task(atomic=False, soft_time_limit=RENDER_SOFT_TIME_LIMIT)
def pdf_render_task(*, organization: Organization, report_id: int) -> str:
    """Render one report. Idempotent: a report done (or failed) is left as it is, and a
    duplicate delivery while another worker renders it does nothing."""
    with _render_lock(report_id) as acquired:
        if not acquired:
            return "busy"
        report = _claim(organization, report_id)
        if report is None:
            return "skipped"
        try:
            pdf, page_count = _render(organization, report)
        except Exception as error:  # any failure is the report's, never the worker's
            logger.exception("PDF report %s failed", report_id)
            _finish_failed(organization, report_id, error)
            return "failed"
        _store(organization, report_id, pdf, page_count)
        return "done"


@contextlib.contextmanager
def _render_lock(report_id: int):
    """A session-level advisory lock: held by one worker while it renders, released by
    PostgreSQL if that worker dies, so a redelivered task (acks_late) can take over."""
    key = render_lock_key(report_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def render_lock_key(report_id: int) -> int:
    return ADVISORY_LOCK_NAMESPACE | report_id


def _claim(organization: Organization, report_id: int) -> GeneratedReport | None:
    """Mark the report running; None when it is finished already."""
    with organization_context(organization):
        report = GeneratedReport.objects.in_current_organization().select_for_update().filter(pk=report_id).first()
        if report is None or report.is_finished:
            return None
        report.status, report.progress, report.started_at = ReportStatus.RUNNING, 0, timezone.now()
        report.save(update_fields=["status", "progress", "started_at", "updated_at"])
        return report


def _set_progress(organization: Organization, report_id: int, progress: int) -> None:
    """Its own short transaction, so that the status page sees it at once."""
    with organization_context(organization):
        GeneratedReport.objects.in_current_organization().filter(pk=report_id).update(
            progress=progress, updated_at=timezone.now()
        )


def _render(organization: Organization, report: GeneratedReport) -> tuple[bytes, int]:
    from weasyprint import HTML

    with translation.override(report.language):
        html = report_html(organization, report)
        _set_progress(organization, report.pk, 30)
        document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_fetch()).render()
        _set_progress(organization, report.pk, 70)
        return document.write_pdf(), len(document.pages)


def report_html(organization: Organization, report: GeneratedReport) -> str:
    """The report's HTML, built and rendered with the requester's rights: everything the
    template reads (``str()`` of the subject, a lazily loaded relation) is read inside the
    membership's organization context, where row-level security lets it through."""
    entry = report_kind(report.kind)
    if entry is None:
        raise LookupError(f"Unknown report kind {report.kind!r}")
    membership = _requester_membership(organization, report)
    with organization_context(organization, membership):
        return render_to_string(entry.template, report_context(entry, report, membership))


def report_context(entry: ReportKind, report: GeneratedReport, membership: Membership) -> dict:
    """The report's data; call it with the requester's membership active."""
    now = timezone.now()
    user = membership.user
    target = report_targets(entry, user).get(pk=report.object_id)
    data = entry.context_builder(target, user, today=timezone.localdate(now))
    return {
        **data,
        "organization_name": membership.organization.name,
        "report_title": entry.title,
        "subject": str(target),
        "requested_by": user.get_full_name() or user.get_username(),
        "generated_at": now,
        "reference": f"PDF-{report.pk:06d}",
        "language": report.language,
    }


def _requester_membership(organization: Organization, report: GeneratedReport) -> Membership:
    with organization_context(organization):
        membership = (
            Membership.objects.filter(user_id=report.requested_by_id, organization=organization, is_active=True)
            .select_related("user", "organization")
            .first()
        )
        if membership is not None:
            membership.site_ids  # noqa: B018  (loaded now, read later under restrict())
    if membership is None:
        raise PermissionError(_("The requester is no longer a member of this organization."))
    return membership


def _no_fetch():
    """Reports are self-contained (inline CSS and SVG, system fonts, photos and signatures as
    data: URIs): nothing else is fetched, so a value in a record can never make the worker call
    a URL (a refused resource is left out with a warning)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))


def _store(organization: Organization, report_id: int, pdf: bytes, page_count: int) -> None:
    with organization_context(organization):
        report = GeneratedReport.objects.in_current_organization().select_for_update().get(pk=report_id)
        report.file.save(f"{report_id}.pdf", ContentFile(pdf), save=False)
        report.status, report.progress, report.page_count = ReportStatus.DONE, 100, page_count
        report.finished_at = timezone.now()
        if not _keeps_key(report):
            report.dedupe_key = None  # the next request may see newer data: it gets a new report
        report.save(update_fields=["file", "status", "progress", "page_count", "finished_at", "dedupe_key",
                                   "updated_at"])


def _keeps_key(report: GeneratedReport) -> bool:
    """A finished report answers later requests only when its kind versions its content."""
    entry = report_kind(report.kind)
    return entry is not None and entry.content_version is not None


def _finish_failed(organization: Organization, report_id: int, error: Exception) -> None:
    with organization_context(organization):
        GeneratedReport.objects.in_current_organization().filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            dedupe_key=None,  # failed is final: asking again makes a new report
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )


# --- charts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: int
    color: str
    y: float
    width: float
    text_y: float
    value_x: float


def bar_chart(items: list[tuple[str, int, str]], *, width: int = 460, label_width: int = 150,
              bar_height: int = 18, gap: int = 8) -> dict:
    """Geometry of a horizontal bar chart (label, value, colour per bar) for an inline SVG:
    vector in the PDF, drawn by ``qse/pdf/_bar_chart.html``."""
    longest = max((item[1] for item in items), default=0) or 1
    plot = width - label_width - 40
    bars = []
    for index, (label, value, color) in enumerate(items):
        y = index * (bar_height + gap)
        length = plot * value / longest
        bars.append(ChartBar(label, value, color, y, length, y + bar_height * 0.7, label_width + length + 6))
    height = len(items) * (bar_height + gap) - gap if items else 0
    return {"bars": bars, "width": width, "height": max(height, 0), "label_width": label_width,
            "bar_height": bar_height, "label_x": label_width - 8}

