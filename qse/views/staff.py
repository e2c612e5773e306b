"""The staff-only administration area: organizations, their administrators, their usage."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qse import onboarding, staff
from qse.forms_people import StaffOrganizationForm
from qse.models import Organization
from qse.views.onboarding import _form_errors


def _staff_only(request) -> None:
    """For anyone but the platform's staff this area does not exist (404, as another
    organization's record: no oracle)."""
    if not (request.user.is_active and request.user.is_staff):
        raise Http404


@login_required
def organization_list(request):
    _staff_only(request)
    form = StaffOrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization, _admin = onboarding.organization_create(
                organization=onboarding.NewOrganization(
                    name=data["name"], siret=data["siret"], sector=data["sector"], headcount=data["headcount"],
                    default_language=data["default_language"] or settings.LANGUAGE_CODE),
                admin=onboarding.FirstAdmin(email=data["admin_email"], first_name=data["admin_first_name"],
                                            last_name=data["admin_last_name"]),
                acting_user=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("{name} created; its administrator was invited by e-mail.").format(name=organization.name))
            return redirect("staff:organization_detail", organization.pk)
    usage = staff.organizations_usage(acting_user=request.user)
    return render(request, "qse/staff/organizations.html", {"usage": usage, "form": form})


@login_required
def organization_detail(request, pk: int):
    _staff_only(request)
    organization = get_object_or_404(Organization, pk=pk)
    admins, invitations = staff.organization_admins(organization=organization, acting_user=request.user)
    usage = next(u for u in staff.organizations_usage(acting_user=request.user) if u.organization.pk == pk)
    return render(request, "qse/staff/organization.html", {
        "organization": organization, "admins": admins, "invitations": invitations, "usage": usage,
    })


@login_required
@require_POST
def admin_invite(request, pk: int):
    _staff_only(request)
    organization = get_object_or_404(Organization, pk=pk)
    email = request.POST.get("email", "").strip()
    try:
        if not email:
            raise ValidationError(_("Give the person's e-mail address."))
        staff.admin_invite(organization=organization, email=email, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation sent to {email}.").format(email=email))
    return redirect("staff:organization_detail", pk)
