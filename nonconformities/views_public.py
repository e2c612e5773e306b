"""Reporting by anyone from a QR code posted on a site, without an account.

- ``ReportingPointViews``: the coordinator's pages for the points (QR code, A4 poster,
  regenerate the code);
- ``public_report``: the mobile form at ``/report/<token>/``, resolved to its organization
  by the token; spam is kept out by a honeypot, a signed single-use time stamp and rate
  limits (Redis cache): every attempt per client address, valid reports per point.
"""

from __future__ import annotations

import time

import django_tables2 as tables
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from nonconformities import services_public
from nonconformities.api import ReportingPointApiMixin
from nonconformities.forms_public import PublicReportForm, ReportingPointForm
from nonconformities.models import ReportingPoint
from qse.api.viewsets import ScopedSerializer
from qse.permissions import can
from qse.registry import register
from qse.services import ConflictError
from qse.tables import ObjectTable
from qse.throttle import client_address, hit
from qse.views.declarations import ObjectViews

DONE_SALT = "nonconformities.public-report.done"


# --- the coordinator's pages ----------------------------------------------------------------

class ReportingPointTable(ObjectTable):
    label = tables.Column(linkify=True)
    is_active = tables.BooleanColumn()

    class Meta(ObjectTable.Meta):
        model = ReportingPoint
        fields = ["label", "site", "is_active"]
        sequence = fields


class ReportingPointSerializer(ScopedSerializer):
    class Meta:
        model = ReportingPoint
        fields = ["id", "url", "site", "label", "is_active", "token", "version", "archived_at"]
        read_only_fields = ["token", "archived_at"]


def public_url(request, point: ReportingPoint) -> str:
    return request.build_absolute_uri(point.public_path())


def qr_svg(url: str) -> str:
    """The QR code of a URL as inline SVG (scales to its box; prints sharp)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True)


@register
class ReportingPointViews(ObjectViews):
    model = ReportingPoint
    url_prefix = "reporting-points"
    table = ReportingPointTable
    form = ReportingPointForm
    serializer = ReportingPointSerializer
    api_mixins = (ReportingPointApiMixin,)
    nav_block = "improve"
    nav_order = 48
    detail_exclude = ObjectViews.detail_exclude + ("token",)

    @classmethod
    def get_queryset(cls, request):
        return ReportingPoint.objects.select_related("site")

    @classmethod
    def detail_context(cls, request, obj):
        url = public_url(request, obj)
        return {"public_url": url, "qr_svg": qr_svg(url)}

    @classmethod
    def urls(cls) -> list:
        return [
            *super().urls(),
            path("reporting-points/<int:pk>/poster/", reporting_point_poster, name="reportingpoint_poster"),
            path("reporting-points/<int:pk>/regenerate/", reporting_point_regenerate, name="reportingpoint_regenerate"),
        ]


def _point(request, pk: int) -> ReportingPoint:
    if request.membership is None:
        raise PermissionDenied(_("You are not a member of any organization."))
    return get_object_or_404(ReportingPoint.objects.restrict(request.user, "view").select_related("site"), pk=pk)


@login_required
def reporting_point_poster(request, pk):
    """An A4 page to print and post: title, site, place, QR code, three short steps."""
    point = _point(request, pk)
    url = public_url(request, point)
    return render(request, "nonconformities/public/poster.html", {"point": point, "public_url": url, "qr_svg": qr_svg(url)})


@login_required
@require_POST
def reporting_point_regenerate(request, pk):
    point = _point(request, pk)
    if not can(request.user, "change", point):
        raise PermissionDenied(_("You are not allowed to do this."))
    version = request.POST.get("version", "")
    try:
        services_public.reporting_point_regenerate(
            point=point, acting_user=request.user, expected_version=int(version) if version.isdigit() else None,
        )
    except ConflictError:
        messages.error(request, _("This reporting point was changed by someone else in the meantime; reload and try again."))
    else:
        messages.success(request, _("New code generated: print the new poster, the old code no longer works."))
    return HttpResponseRedirect(point.get_absolute_url())


# --- the public form ----------------------------------------------------------------------

def address_over_limit(request) -> bool:
    """Count every submission (valid or not) of this client address; True past its limit."""
    limits = settings.QSE_PUBLIC_REPORT_LIMITS
    count = hit(f"qse:public-report:address:{client_address(request)}", limits["window_seconds"])
    return count > limits["per_address"]


def point_over_limit(point: ReportingPoint) -> bool:
    """Count one more valid report for the point; True past its limit. Only valid reports
    count, so that one client's junk cannot close the point to everyone."""
    limits = settings.QSE_PUBLIC_REPORT_LIMITS
    return hit(f"qse:public-report:point:{point.token}", limits["window_seconds"]) > limits["per_point"]


def _limited(request, point: ReportingPoint):
    response = _render(request, "limited.html", {"point": point}, status=429)
    response["Retry-After"] = str(settings.QSE_PUBLIC_REPORT_LIMITS["window_seconds"])
    return response


def _render(request, template: str, context: dict, status: int = 200):
    response = render(request, f"nonconformities/public/{template}", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def public_report(request, token):
    point = services_public.reporting_point_for_token(token)
    if point is None:
        raise Http404
    done = request.GET.get("done")
    if done and request.method == "GET":
        return _thanks(request, point, done)
    now = time.time()
    if request.method != "POST":
        return _render(request, "report.html", {"point": point, "form": PublicReportForm(point=point, now=now)})
    if address_over_limit(request):
        return _limited(request, point)
    form = PublicReportForm(request.POST, request.FILES, point=point, now=now)
    if form.is_valid() and form.claim_stamp():
        if point_over_limit(point):
            return _limited(request, point)
        try:
            record = services_public.public_report_submit(
                point=point, report=form.report(), today=timezone.localdate(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = signing.dumps(services_public.public_reference(record), salt=DONE_SALT)
            return HttpResponseRedirect(f"{point.public_path()}?done={done}")
    return _render(request, "report.html", {"point": point, "form": form}, status=400)


def _thanks(request, point: ReportingPoint, done: str):
    try:
        reference = signing.loads(done, salt=DONE_SALT, max_age=3600)
    except signing.BadSignature:
        return HttpResponseRedirect(point.public_path())
    return _render(request, "thanks.html", {"point": point, "reference": reference})


urlpatterns = ReportingPointViews.urls()
