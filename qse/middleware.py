"""Opens the request transaction and makes the user's current organization active."""

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import transaction
from django.db.models import OuterRef

from qse import tenancy
from qse.models import Membership

SESSION_KEY = "qse_organization_id"


def memberships_of(user) -> list[Membership]:
    """The user's active memberships, each with its site and process limits read in the same
    query (every scoped request reads them: Membership._limits would be one query more)."""
    limits = {
        name: ArraySubquery(getattr(Membership, name).through.objects.filter(membership_id=OuterRef("pk"))
                            .order_by(column).values(column))
        for name, column in (("sites", "site_id"), ("processes", "process_id"))
    }
    memberships = list(
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organization", "user")
        .annotate(limit_sites=limits["sites"], limit_processes=limits["processes"])
        .order_by("organization__name")
    )
    for membership in memberships:
        membership.preset_limits(membership.limit_sites, membership.limit_processes)
    return memberships


def choose_membership(memberships: list[Membership], organization_id) -> Membership | None:
    for membership in memberships:
        if membership.organization_id == organization_id:
            return membership
    return memberships[0] if memberships else None


def activate_user(request, user, organization_id=None) -> Membership | None:
    """Set the database user, load memberships, activate the chosen organization."""
    tenancy.set_database_user(user.pk)
    request.memberships = memberships_of(user)
    wanted = organization_id or request.session.get(SESSION_KEY)
    membership = choose_membership(request.memberships, wanted)
    tenancy.activate(membership)
    request.membership = membership
    request.organization = membership.organization if membership else None
    return membership


class CurrentOrganizationMiddleware:
    """One transaction per request, with the tenant set for row-level security inside it.

    API calls authenticated by token are activated later, by the API base view, inside the
    same transaction.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with transaction.atomic(), tenancy.scope_restored():
            request.membership, request.organization, request.memberships = None, None, []
            if request.user.is_authenticated:
                activate_user(request, request.user)
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response


class SignInLanguageMiddleware:
    """Sets the language cookie chosen at sign-in (``qse.profiles.remember_language_at_sign_in``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, "qse_sign_in_language", "")
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response
