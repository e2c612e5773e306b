"""The organization's profile page (its admins edit it; members read it) and each person's
own profile page. Writes go through ``qse.profiles``, as the API's do."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qse import profiles
from qse.forms_people import OrganizationProfileForm, PreferencesForm, UserFieldsForm
from qse.models import ApiToken, Membership, Site
from qse.permissions import can
from qse.registry import add_nav
from qse.views.onboarding import _form_errors
from qse.views.pages import _no_membership


@login_required
def organization_profile(request):
    if request.membership is None:
        return _no_membership(request)
    organization = request.organization
    may_edit = profiles.manages_organization(request.user)
    form = OrganizationProfileForm(request.POST or None, instance=organization) if may_edit else None
    if request.method == "POST" and may_edit and form.is_valid():
        try:
            profiles.organization_update(organization=organization, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Organization profile saved."))
            return redirect("qse:organization_profile")
    sites = list(Site.objects.restrict(request.user, "view").filter(archived_at__isnull=True).order_by("name"))
    return render(request, "qse/profile/organization.html", {
        "organization": organization, "form": form, "may_edit": may_edit,
        "may_see_people": can(request.user, "view", Membership),
        "sites": [(site, profiles.headcount_obligations(site.headcount)) for site in sites],
        "obligations": profiles.headcount_obligations(organization.headcount),
    })


@login_required
def user_profile(request):
    """Name, language, reminders by e-mail, digest day; links to the password and API tokens."""
    user = request.user
    user_form = UserFieldsForm(request.POST or None, instance=user, prefix="user")
    preferences_form = PreferencesForm(request.POST or None, instance=profiles.preferences_of(user), prefix="pref")
    if request.method == "POST" and user_form.is_valid() and preferences_form.is_valid():
        data = {**user_form.cleaned_data, **preferences_form.cleaned_data}
        try:
            profile = profiles.profile_update(user=user, data=data)
        except ValidationError as error:
            _form_errors(preferences_form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            response = redirect("profile")
            if profile.language:
                from django.conf import settings

                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, profile.language, samesite="Lax")
            return response
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True) if request.membership else ApiToken.objects.none()
    return render(request, "qse/profile/user.html", {
        "user_form": user_form, "preferences_form": preferences_form,
        "memberships": request.memberships, "tokens": tokens.filter(organization=request.organization),
    })


add_nav("settings", gettext_lazy("Organization profile"), "qse:organization_profile", order=1)
