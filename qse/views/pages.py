"""Shared pages: home, organization switcher, attachments, notifications, API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qse import notifications, tokens
from qse.middleware import SESSION_KEY
from qse.models import ApiToken, Attachment
from qse.permissions import can
from qse.redirects import redirect_back
from qse.registry import declarations
from qse.selectors import unread_notifications
from qse.services import object_archive
from qse.uploads import attachment_create


def _back(request, fallback="home"):
    return redirect_back(request, resolve_url(fallback), use_referer=True)


def _no_membership(request):
    return render(request, "qse/no_membership.html", status=403)


@login_required
@require_POST
def switch_organization(request):
    wanted = request.POST.get("organization", "")
    wanted = int(wanted) if wanted.isdecimal() else 0  # garbage is a 404, not a 500
    if not any(m.organization_id == wanted for m in request.memberships):
        raise Http404
    request.session[SESSION_KEY] = wanted
    return redirect("home")


def _target_of(request, content_type_id: int, object_id: int):
    """The record to attach to, found only through the scoped queryset (404 otherwise)."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None or not any(d.model is model for d in declarations()):
        raise Http404
    return get_object_or_404(model.objects.restrict(request.user, "view"), pk=object_id)


@login_required
@require_POST
def attachment_upload(request, content_type_id: int, object_id: int):
    target = _target_of(request, content_type_id, object_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
        return _back(request)
    try:
        attachment_create(target=target, upload=upload, caption=request.POST.get("caption", ""), acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("File attached."))
    return _back(request)


def _attachment(request, pk: int) -> Attachment:
    """An attachment whose record the user may see; 404 otherwise (no existence oracle)."""
    attachment = get_object_or_404(Attachment.objects.in_current_organization(), pk=pk)
    if not can(request.user, "view", attachment):
        raise Http404
    return attachment


@login_required
def attachment_download(request, pk: int):
    attachment = _attachment(request, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.mime_type,
        as_attachment=not attachment.is_image and attachment.mime_type != "application/pdf",
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def attachment_archive(request, pk: int):
    attachment = _attachment(request, pk)
    if not can(request.user, "archive", attachment):
        raise PermissionDenied(_("You may not remove files from this record."))
    object_archive(obj=attachment, acting_user=request.user)
    return _back(request)


@login_required
def notification_list(request):
    items = notifications.notifications_of(request.user)
    if request.htmx:
        return render(request, "qse/_notifications.html", {"items": unread_notifications(request.user)})
    return render(request, "qse/notifications.html", {"items": items})


@login_required
@require_POST
def notification_read_all(request):
    notifications.notifications_mark_read(user=request.user)
    return _back(request, "qse:notification_list")


@login_required
def token_list(request):
    # A token names its organization: without one, creating it would be a server error.
    if request.membership is None:
        return _no_membership(request)
    created_key = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip() or _("API token")
        created_key = tokens.token_create(user=request.user, organization=request.organization, name=name)
    items = ApiToken.objects.filter(user=request.user, organization=request.organization)
    return render(request, "qse/tokens.html", {"items": items, "created_key": created_key})


@login_required
@require_POST
def token_revoke(request, pk: int):
    tokens.token_revoke(user=request.user, token_id=pk)
    messages.success(request, _("Token revoked."))
    return redirect("qse:token_list")


@login_required
def process_map(request):
    """The process map (ISO 9001 4.4): management, realization and support processes."""
    from qse.selectors import process_map_of

    return render(request, "qse/process_map.html", {"bands": process_map_of(request.user)})
