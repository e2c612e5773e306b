"""The audit page's buttons: workflow moves, findings, follow-up audit, signatures, the plan's
invitation and the report's distribution. Each calls the service the API calls."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits import invitations, selectors, services, services_findings
from audits.api import decode_png
from audits.forms import SignatureForm
from qse.permissions import can
from qse.services import ConflictError


def _audit(request, pk):
    return get_object_or_404(selectors.audit_queryset().restrict(request.user, "view"), pk=pk)


def _refused(request, error) -> None:
    if isinstance(error, ConflictError):
        messages.error(request, _("This record was changed by someone else in the meantime."))
        return
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))


def _run(request, service, success: str, **kwargs):
    try:
        result = service(acting_user=request.user, **kwargs)
    except (PermissionDenied, ValidationError, ConflictError) as error:
        _refused(request, error)
        return None
    messages.success(request, success)
    return result


@login_required
@require_POST
def audit_transition(request, pk):
    audit = _audit(request, pk)
    version = request.POST.get("version", "")
    _run(request, services.audit_transition, _("Status changed."), audit=audit,
         to_status=request.POST.get("status", ""), expected_version=int(version) if version.isdigit() else None)
    return HttpResponseRedirect(audit.get_absolute_url())


@login_required
@require_POST
def audit_collect_findings(request, pk):
    audit = _audit(request, pk)
    created = _run(request, services_findings.collect_findings, _("Findings collected."), audit=audit)
    if created is not None and not created:
        messages.info(request, _("Every nonconforming answer already has its finding."))
    return HttpResponseRedirect(audit.get_absolute_url())


@login_required
@require_POST
def audit_follow_up(request, pk):
    audit = _audit(request, pk)
    try:
        start = datetime.date.fromisoformat(request.POST.get("planned_start", ""))
    except ValueError:
        messages.error(request, _("Enter the follow-up audit's start date."))
        return HttpResponseRedirect(audit.get_absolute_url())
    created = _run(request, services.follow_up_create, _("Follow-up audit planned."), audit=audit,
                   planned_start=start)
    return HttpResponseRedirect((created or audit).get_absolute_url())


@login_required
def audit_sign(request, pk):
    """The signature pad (canvas, touch and mouse): the drawing is sent as a PNG."""
    audit = _audit(request, pk)
    if not can(request.user, "change", audit):
        raise PermissionDenied(_("You are not allowed to do this."))
    form = SignatureForm(request.POST or None, initial={"name": audit.auditee_representative,
                                                        "signer": request.GET.get("signer", "lead")})
    if request.method == "POST" and form.is_valid():
        signed = _run(request, services.audit_sign, _("Signature recorded."), audit=audit,
                      signer=form.cleaned_data["signer"], name=form.cleaned_data["name"],
                      content=decode_png(form.cleaned_data["image"]))
        if signed is not None:
            return HttpResponseRedirect(audit.get_absolute_url())
    return render(request, "audits/sign.html", {"object": audit, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def audit_send_plan(request, pk):
    audit = _audit(request, pk)
    _run(request, invitations.audit_plan_send, _("Audit plan sent to the auditees."), audit=audit)
    return HttpResponseRedirect(audit.get_absolute_url())


@login_required
@require_POST
def audit_distribute_report(request, pk):
    audit = _audit(request, pk)
    _run(request, invitations.report_distribute, _("Report sent to the auditees."), audit=audit,
         link=request.build_absolute_uri(audit.get_absolute_url()))
    return HttpResponseRedirect(audit.get_absolute_url())


def today() -> datetime.date:
    return timezone.localdate()
