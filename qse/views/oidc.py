"""Sign-in with the organization's directory (pages) and its settings (page and API).

The sign-in pages are reached before anyone is signed in: the organization is found from
the e-mail's domain or the per-organization link, then made current for this request only,
so that row-level security shows its settings and takes its new membership.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from qse import tenancy
from qse.api.operations import MemberApiView
from qse.api.viewsets import Conflict, PreconditionRequired
from qse.forms_oidc import DirectorySignInForm, DirectoryStartForm, format_group_roles
from qse.middleware import SESSION_KEY, activate_user
from qse.models import DirectorySignIn, Membership, Organization
from qse.oidc import (
    directory_for_email,
    directory_of,
    directory_sign_in,
    directory_sign_in_save,
    protocol_settings,
)
from qse.oidc_client import (
    DirectoryError,
    authorization_redirect,
    pending_sign_in,
    verified_claims,
)
from qse.permissions import can
from qse.registry import add_nav, register_api_path
from qse.roles import Role
from qse.services import ConflictError
from qse.throttle import client_address, hit

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refused(request, message: str, status: int = 403):
    return render(request, "registration/directory_refused.html", {"message": message}, status=status)


def _enabled_directory(organization: Organization) -> DirectorySignIn | None:
    """Make the organization current for this anonymous request, then read its settings."""
    tenancy.activate(None, organization)
    directory = directory_of(organization)
    return directory if directory and directory.is_enabled else None


@require_POST
def directory_start(request):
    """"Sign in with my company's directory": the organization from the e-mail's domain."""
    form = DirectoryStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter your work e-mail address."))
        return redirect("login")
    email = form.cleaned_data["email"]
    organization = directory_for_email(email)
    directory = _enabled_directory(organization) if organization else None
    if directory is None:
        messages.error(request, _("No organization signs in with its directory for this e-mail address: use your password."))
        return redirect("login")
    # A page of ours, then a plain navigation to the provider: browsers apply the login page's
    # CSP form-action ('self') to every redirect a form's submission follows.
    query = {"login_hint": email, "next": _safe_next(request, request.POST.get("next", ""))}
    url = reverse("directory_login", args=[organization.slug]) + "?" + urlencode({k: v for k, v in query.items() if v})
    return render(request, "registration/directory_redirect.html", {"url": url, "organization": organization, "directory": directory})


@require_GET
def directory_login(request, slug: str):
    """The per-organization link ("/accounts/directory/<slug>/"), to put on an intranet."""
    organization = get_object_or_404(Organization, slug=slug)
    return _to_provider(
        request, organization, login_hint=request.GET.get("login_hint", "")[:254],
        next_url=_safe_next(request, request.GET.get("next", "")),
    )


def _safe_next(request, url: str) -> str:
    """The page asked for before signing in (a reminder's link), if it is one of ours."""
    ok = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if url and ok else ""


def _too_many_starts(request) -> bool:
    """Count this start per client address; True past the hourly limit."""
    key = f"qse:directory-start:{client_address(request)}"
    return hit(key, 3600) > settings.QSE_OIDC_STARTS_PER_ADDRESS


def _to_provider(request, organization: Organization, login_hint: str = "", next_url: str = ""):
    # Each start makes the server fetch the provider's discovery document: bounded per address.
    if _too_many_starts(request):
        return _refused(request, _("Too many sign-in attempts from your address: try again in an hour."), status=429)
    directory = _enabled_directory(organization)
    if directory is None:
        messages.error(request, _("{organization} does not sign in with its directory.").format(organization=organization.name))
        return redirect("login")
    try:
        return authorization_redirect(
            request, directory, redirect_uri=request.build_absolute_uri(reverse("directory_callback")),
            login_hint=login_hint, next_url=next_url,
        )
    except DirectoryError as error:
        return _refused(request, str(error), status=502)


@require_GET
def directory_callback(request):
    """The provider sends the person back here with a code: verify, link, log in."""
    organization_id, next_url = pending_sign_in(request)
    organization = Organization.objects.filter(pk=organization_id).first() if organization_id else None
    directory = _enabled_directory(organization) if organization else None
    if directory is None:
        return _refused(request, _("This sign-in was not started from this browser, or has expired: start again."), status=400)
    try:
        claims = verified_claims(request, directory)
    except DirectoryError as error:
        return _refused(request, str(error))
    outcome = directory_sign_in(
        directory=directory, issuer=protocol_settings(directory).issuer, claims=claims, now=timezone.now(),
    )
    if outcome.refusal:
        return _refused(request, outcome.refusal)
    login(request, outcome.user, backend=BACKEND)
    request.session[SESSION_KEY] = organization.pk
    activate_user(request, outcome.user, organization.pk)
    return redirect(next_url or "home")


# --- settings: page ------------------------------------------------------------------------

def _settings_form(request, directory: DirectorySignIn | None, locked: frozenset) -> DirectorySignInForm:
    if request.method == "POST":
        return DirectorySignInForm(request.POST, locked=locked, initial=_initial(directory, request.organization))
    return DirectorySignInForm(locked=locked, initial=_initial(directory, request.organization))


def _initial(directory: DirectorySignIn | None, organization: Organization) -> dict:
    if directory is None:
        return {"is_enabled": True}
    protocol = protocol_settings(directory)
    return {
        "is_enabled": directory.is_enabled, "display_name": directory.display_name,
        "issuer": protocol.issuer, "client_id": protocol.client_id,
        "allowed_domains": "\n".join(directory.allowed_domains),
        "group_roles": format_group_roles(directory.group_roles),
        "default_role": directory.default_role, "version": directory.version,
    }


def _locked_fields(organization: Organization) -> frozenset:
    return frozenset(k for k, v in settings.QSE_OIDC_DIRECTORIES.get(organization.slug, {}).items() if v)


@login_required
@require_http_methods(["GET", "POST"])
def directory_settings(request):
    """The organization's admin sets its directory sign-in (the API's PUT does the same)."""
    if request.membership is None or not can(request.user, "change", Membership):
        raise PermissionDenied
    directory = directory_of(request.organization)
    locked = _locked_fields(request.organization)
    form = _settings_form(request, directory, locked)
    has_secret = bool(directory and protocol_settings(directory).client_secret)
    if has_secret and "client_secret" not in locked:
        form.fields["client_secret"].help_text = f'{_("A client secret is stored.")} {form.fields["client_secret"].help_text}'
    if request.method == "POST" and form.is_valid():
        try:
            directory_sign_in_save(
                organization=request.organization, acting_user=request.user,
                data=form.service_data(), expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except ConflictError:
            form.add_error(None, _("Someone else changed these settings in the meantime: reload the page."))
        else:
            messages.success(request, _("Directory sign-in saved."))
            return redirect("qse:directory_settings")
    return render(request, "qse/directory_settings.html", {
        "form": form, "directory": directory,
        "redirect_uri": request.build_absolute_uri(reverse("directory_callback")),
        "sign_in_link": request.build_absolute_uri(reverse("directory_login", args=[request.organization.slug])),
    })


add_nav("settings", gettext_lazy("Directory sign-in"), "qse:directory_settings", order=80,
        visible=lambda request: can(request.user, "change", Membership))


# --- settings: API -------------------------------------------------------------------------

class DirectorySignInSerializer(serializers.Serializer):
    is_enabled = serializers.BooleanField(default=True)
    display_name = serializers.CharField(max_length=100)
    issuer = serializers.URLField(max_length=300)
    client_id = serializers.CharField(max_length=300)
    client_secret = serializers.CharField(max_length=500, write_only=True, required=False, allow_blank=True,
                                          help_text="Write only; empty or absent keeps the stored secret.")
    has_client_secret = serializers.BooleanField(read_only=True)
    allowed_domains = serializers.ListField(child=serializers.CharField(max_length=200), min_length=1)
    group_roles = serializers.DictField(child=serializers.ChoiceField(choices=Role.choices), required=False)
    default_role = serializers.ChoiceField(choices=[("", "")] + list(Role.choices), required=False, allow_blank=True)
    redirect_uri = serializers.CharField(read_only=True)
    version = serializers.IntegerField(required=False)


def _as_data(request, directory: DirectorySignIn) -> dict:
    protocol = protocol_settings(directory)
    return {
        "is_enabled": directory.is_enabled, "display_name": directory.display_name, "issuer": protocol.issuer,
        "client_id": protocol.client_id, "has_client_secret": bool(protocol.client_secret),
        "allowed_domains": directory.allowed_domains, "group_roles": directory.group_roles,
        "default_role": directory.default_role, "version": directory.version,
        "redirect_uri": request.build_absolute_uri(reverse("directory_callback")),
    }


class DirectorySignInApiView(MemberApiView):
    """The current organization's directory sign-in (OpenID Connect); admins only. The client
    secret is write-only. PUT creates or replaces; replacing needs the ``version`` read (or
    If-Match)."""

    serializer_class = DirectorySignInSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can(request.user, "change", Membership):
            self.permission_denied(request, message=_("You are not allowed to do this."))

    @extend_schema(responses=DirectorySignInSerializer, operation_id="organization_directory_retrieve")
    def get(self, request):
        directory = directory_of(request.organization)
        if directory is None:
            from rest_framework.exceptions import NotFound

            raise NotFound(_("No directory sign-in is set up."))
        return Response(_as_data(request, directory))

    @extend_schema(request=DirectorySignInSerializer, responses=DirectorySignInSerializer,
                   operation_id="organization_directory_update")
    def put(self, request):
        serializer = DirectorySignInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if_match = request.headers.get("If-Match", "").strip('"W/ ')
        version = int(if_match) if if_match.isdecimal() else version
        if directory_of(request.organization) is not None and version is None:
            raise PreconditionRequired
        try:
            directory = self.call(
                directory_sign_in_save, organization=request.organization, acting_user=request.user,
                data=data, expected_version=version,
            )
        except ConflictError as error:
            raise Conflict from error
        return Response(_as_data(request, directory))


register_api_path("organization/directory/", DirectorySignInApiView.as_view(), "api-directory-sign-in")
