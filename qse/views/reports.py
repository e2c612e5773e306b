"""PDF reports: ask for one, follow its progress, download it."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from qse import reports
from qse.models import ReportStatus


@login_required
@require_POST
def report_request(request, kind: str, object_id: int):
    entry = reports.report_kind(kind)
    if entry is None:
        raise Http404
    target = get_object_or_404(reports.report_targets(entry, request.user), pk=object_id)
    report = reports.report_request(kind=kind, target=target, acting_user=request.user)
    return redirect(report)


@login_required
@require_GET
def report_status(request, pk: int):
    """The page polls itself (HTMX, every second) until the report is finished."""
    report = get_object_or_404(reports.report_queryset(request.user), pk=pk)
    entry, subject = reports.report_kind(report.kind), reports.report_subject(report, request.user)
    target = subject if hasattr(subject, "get_absolute_url") else None
    note = entry.contents_note(subject, request.user) if entry and entry.contents_note and subject else None
    context = {"report": report, "entry": entry, "target": target, "contents_note": note}
    template = "qse/_report_status.html" if request.htmx else "qse/report_status.html"
    return render(request, template, context)


@login_required
@require_GET
def report_download(request, pk: int):
    report = get_object_or_404(reports.report_queryset(request.user).filter(status=ReportStatus.DONE), pk=pk)
    try:
        content = report.file.open("rb")
    except FileNotFoundError:  # lost from storage: a missing page, never a server error
        raise Http404 from None
    response = FileResponse(
        content, content_type="application/pdf", as_attachment=True,
        filename=reports.report_filename(report),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
