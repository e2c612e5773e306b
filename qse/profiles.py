"""The organization's profile (its admins edit it) and each person's own profile and
preferences (language, reminders by e-mail, digest day). Pages and API call these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qse.models import Membership, Organization, UserProfile
from qse.permissions import can

ORGANIZATION_FIELDS = ("name", "siret", "sector", "headcount", "address", "default_language")
USER_FIELDS = ("first_name", "last_name", "email")

# French thresholds of headcount (Code du travail): from 11 employees the Document unique is
# updated every year (R4121-2); from 50, it comes with a prevention programme (L4121-3-1).
DUERP_YEARLY_FROM = 11
PREVENTION_PROGRAMME_FROM = 50


def headcount_obligations(headcount: int | None) -> list[str]:
    """Pure: what the headcount of a site or an organization calls for in French law."""
    if headcount is None:
        return []
    found = [_("Document unique (from the first employee)")] if headcount >= 1 else []
    if headcount >= DUERP_YEARLY_FROM:
        found.append(_("Document unique updated every year (11 employees or more)"))
    if headcount >= PREVENTION_PROGRAMME_FROM:
        found.append(_("Prevention programme (PAPRIPACT) with the Document unique (50 employees or more)"))
    return found


def manages_organization(user) -> bool:
    """Who edits the organization's profile: who manages its people (its administrators)."""
    return can(user, "change", Membership)


def organization_update(*, organization: Organization, data: dict, acting_user) -> Organization:
    """Change the organization's profile (name, SIRET, sector, headcount, address, language)."""
    if not manages_organization(acting_user):
        raise PermissionDenied(_("Only the organization's administrators edit its profile."))
    with transaction.atomic():
        current = Organization.objects.select_for_update().get(pk=organization.pk)
        for name in ORGANIZATION_FIELDS:
            if name in data:
                setattr(current, name, data[name])
        current.siret = (current.siret or "").replace(" ", "")
        current.full_clean(exclude=["slug"])
        current.save()
    return current


def preferences_of(user) -> UserProfile:
    """The person's preferences (an unsaved row with the defaults when none is stored)."""
    return UserProfile.objects.filter(user=user).first() or UserProfile(user=user)


def profile_update(*, user, data: dict) -> UserProfile:
    """One's own name, e-mail, language, reminders by e-mail (``email_kinds``: the kinds also
    sent by e-mail; the others stay in the app) and digest day."""
    from qse.reminders import registered_kinds

    with transaction.atomic():
        for name in USER_FIELDS:
            if name in data:
                setattr(user, name, data[name])
        user.full_clean(exclude=["password", "username", "last_login", "date_joined"])
        user.save(update_fields=list(USER_FIELDS))
        profile = preferences_of(user)
        if "language" in data:
            profile.language = data["language"] or ""
        if "digest_weekday" in data:
            profile.digest_weekday = data["digest_weekday"]
        if "email_kinds" in data:
            kinds = registered_kinds()
            unknown = set(data["email_kinds"]) - set(kinds)
            if unknown:
                raise ValidationError({"email_kinds": _("Unknown reminder kind: %(kind)s") % {"kind": ", ".join(sorted(unknown))}})
            profile.muted_email_kinds = sorted(set(kinds) - set(data["email_kinds"]))
        profile.full_clean(exclude=["user"])
        profile.save()
    return profile


# The reminder tasks read the preferences of their recipients: a profile row is visible only to
# its user (row-level security), so these reads are the system's own (``system_context``), used
# by tasks only, and read nothing but the preference columns of the given people.


def wants_email(*, user_id: int, kind: str) -> bool:
    """Whether a reminder of this kind also goes to the person by e-mail (default: yes)."""
    from qse.tenancy import system_context

    with system_context():
        return not UserProfile.objects.filter(user_id=user_id, muted_email_kinds__contains=[kind]).exists()


def language_of(*, user_id: int, organization: Organization | None) -> str:
    """The language to write to a person in: theirs, else their organization's, else French."""
    from django.conf import settings

    from qse.tenancy import system_context

    with system_context():
        chosen = UserProfile.objects.filter(user_id=user_id).values_list("language", flat=True).first()
    return chosen or (organization.default_language if organization else "") or settings.LANGUAGE_CODE


def digest_day_of(user_ids) -> dict[int, int]:
    """The weekday (0 = Monday) each person wants their weekly digest on, in one query."""
    from qse.models.people import Weekday
    from qse.tenancy import system_context

    user_ids = list(user_ids)
    with system_context():
        chosen = dict(UserProfile.objects.filter(user_id__in=user_ids).values_list("user_id", "digest_weekday"))
    return {user_id: chosen.get(user_id, Weekday.MONDAY) for user_id in user_ids}


def remember_language_at_sign_in(sender, request, user, **kwargs) -> None:
    """Signing in (password or directory) speaks the language the person chose, at once and on
    any browser; without a choice of their own the browser's language stays (the organization's
    default language is for e-mails). ``SignInLanguageMiddleware`` writes the cookie."""
    from qse.tenancy import scope_restored, set_database_user

    if request is None:
        return
    # The sign-in request began anonymous and RLS shows a profile to its user only; the settings
    # are put back after (a test's force_login, outside any request, must not change its scope).
    with scope_restored():
        set_database_user(user.pk)
        chosen = UserProfile.objects.filter(user=user).values_list("language", flat=True).first()
    if chosen:
        request.qse_sign_in_language = chosen
