"""Pages reached before being a member: the first-run setup, self-service sign-up and its
confirmation, and accepting an invitation. Each parses its form and calls one service."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qse import onboarding, people
from qse.forms_people import AcceptInvitationForm, SetupForm
from qse.middleware import SESSION_KEY

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _form_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form (on its field when it names one)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                form.add_error(name if name in form.fields else None, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _parts(data: dict) -> tuple[onboarding.NewOrganization, onboarding.FirstAdmin]:
    organization = onboarding.NewOrganization(
        name=data["name"], siret=data.get("siret", ""), sector=data.get("sector", ""),
        headcount=data.get("headcount"), default_language=data.get("default_language") or settings.LANGUAGE_CODE,
    )
    admin = onboarding.FirstAdmin(email=data["email"], first_name=data["first_name"], last_name=data["last_name"],
                                  password=data["password1"])
    return organization, admin


def setup(request):
    """The first visit of a fresh installation: create the organization and its administrator,
    then sign them in. Once an organization exists this page does not exist (404)."""
    if not onboarding.setup_needed():
        raise Http404
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization, admin = _parts(form.cleaned_data)
        try:
            user = onboarding.setup_run(organization=organization, admin=admin)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("Your organization is ready. Start with the checklist below."))
            return redirect("home")
    return render(request, "qse/onboarding/setup.html", {"form": form, "title": _("Set up Pilote QSE")})


def signup(request):
    """Self-service sign-up (only when QSE_SIGNUP_ENABLED): an e-mail confirms the address
    before the organization is created."""
    if not settings.QSE_SIGNUP_ENABLED:
        raise Http404
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization, admin = _parts(form.cleaned_data)
        try:
            with transaction.atomic():
                token = onboarding.signup_request(organization=organization, admin=admin)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            _send_confirmation(request, admin.email, token)
            return render(request, "qse/onboarding/signup_sent.html", {"email": admin.email})
    return render(request, "qse/onboarding/setup.html", {"form": form, "title": _("Create your organization")})


def _send_confirmation(request, email: str, token: str) -> None:
    url = settings.SITE_URL + reverse("signup_confirm", args=[token])
    body = _("Confirm your address to create your organization on Pilote QSE (the link works for 2 days):\n{url}").format(url=url)
    EmailMessage(subject="[Pilote QSE] " + _("Confirm your address"), body=body, to=[email]).send()


def signup_confirm(request, token: str):
    if not settings.QSE_SIGNUP_ENABLED:
        raise Http404
    try:
        user = onboarding.signup_confirm(token=token)
    except ValidationError as error:
        return render(request, "qse/onboarding/link_refused.html", {"reason": " ".join(error.messages)}, status=400)
    login(request, user, backend=BACKEND)
    messages.success(request, _("Your address is confirmed and your organization is ready."))
    return redirect("home")


def invitation_accept(request, token: str):
    """The invited person chooses their password (or, already having an account, signs in)
    and lands in the organization with the invitation's role and limits."""
    invitation = people.invitation_by_token(token)
    if invitation is None:
        reason = _("This invitation link was already used, was replaced by a newer one, or has expired. "
                   "Ask the administrator to send it again.")
        return render(request, "qse/onboarding/link_refused.html", {"reason": reason}, status=404)
    has_account = people.has_account(invitation.email)
    form = AcceptInvitationForm(request.POST or None, initial={"first_name": invitation.first_name, "last_name": invitation.last_name})
    if has_account:
        form = None
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form else {}
        try:
            membership = people.invitation_accept(
                invitation=invitation, password=data.get("password1"), first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""), signed_in_user=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as error:
            if form is None:
                raise
            _form_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            if not request.user.is_authenticated:
                login(request, membership.user, backend=BACKEND)
            request.session[SESSION_KEY] = membership.organization_id
            messages.success(request, _("Welcome to {organization}.").format(organization=invitation.organization.name))
            return redirect("home")
    return render(request, "qse/onboarding/accept.html", {
        "invitation": invitation, "form": form, "has_account": has_account,
        "signed_in_as_invited": request.user.is_authenticated and request.user.email.lower() == invitation.email,
    })
