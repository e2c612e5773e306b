"""Creating an organization with its first administrator: the first-run setup page, the
``create_organization`` command, the staff area and self-service sign-up all call
``organization_create``, so an organization always starts the same way."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from qse.models import Membership, Organization
from qse.roles import Role
from qse.tenancy import organization_context

SETUP_LOCK = 7_391_001  # pg_advisory_xact_lock key: two first visitors never both set up
SIGNUP_SALT = "qse.signup"
SIGNUP_MAX_AGE = 2 * 24 * 3600  # seconds a sign-up confirmation link stays valid


@dataclass(frozen=True)
class NewOrganization:
    """What a new organization is made of (the setup form, the command, the staff form)."""

    name: str
    siret: str = ""
    sector: str = ""
    headcount: int | None = None
    default_language: str = "fr"


@dataclass(frozen=True)
class FirstAdmin:
    """Its first administrator; without a password they are invited by e-mail instead."""

    email: str
    first_name: str = ""
    last_name: str = ""
    password: str | None = None
    username: str = ""


def setup_needed() -> bool:
    """True on a fresh installation: no organization yet (the setup page is open only then)."""
    return not Organization.objects.exists()


def unique_slug(name: str) -> str:
    """A slug from the name, numbered when taken."""
    base = slugify(name)[:40] or "organisation"
    slug, number = base, 1
    while Organization.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def organization_create(*, organization: NewOrganization, admin: FirstAdmin, acting_user=None) -> tuple[Organization, object]:
    """Create an organization and its first administrator (a new user, or the existing
    account of that e-mail); without a password the administrator gets an invitation."""
    with transaction.atomic():
        org = Organization(
            name=organization.name.strip(), slug=unique_slug(organization.name), siret=organization.siret.replace(" ", ""),
            sector=organization.sector, headcount=organization.headcount, default_language=organization.default_language,
        )
        org.full_clean()
        org.save()
        with organization_context(org):
            if admin.password is None:
                from qse.people import InvitationData, invitation_create

                invitation_create(data=InvitationData(email=admin.email, first_name=admin.first_name,
                                                      last_name=admin.last_name, role=Role.ADMIN),
                                  acting_user=acting_user, check_rights=False)
                return org, None
            user = _admin_user(admin)
            Membership.objects.create(user=user, organization=org, role=Role.ADMIN)
    return org, user


def _admin_user(admin: FirstAdmin):
    """The account of the first administrator: existing (by e-mail) or created with the password."""
    User = get_user_model()
    existing = User.objects.filter(email__iexact=admin.email).first()
    if existing is not None:
        return existing
    user = User(username=(admin.username or admin.email).strip().lower(), email=admin.email.strip().lower(),
                first_name=admin.first_name, last_name=admin.last_name)
    if User.objects.filter(username=user.username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    validate_password(admin.password, user)
    user.set_password(admin.password)
    user.save()
    return user


def setup_run(*, organization: NewOrganization, admin: FirstAdmin):
    """The first-run setup: only while there is no organization (a lock makes two first
    visitors one); returns the administrator to sign in."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SETUP_LOCK])
        if not setup_needed():
            raise ValidationError(_("This installation is already set up."))
        _org, user = organization_create(organization=organization, admin=admin)
    return user


# --- self-service sign-up (``QSE_SIGNUP_ENABLED``) ----------------------------------------


def signup_request(*, organization: NewOrganization, admin: FirstAdmin) -> str:
    """Record the account (inactive until confirmed) and return the signed confirmation
    token for the e-mail; the organization is created only when the address is confirmed."""
    User = get_user_model()
    email = admin.email.strip().lower()
    if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username=email).exists():
        raise ValidationError({"email": _("An account already uses this address: sign in, or reset your password.")})
    user = User(username=email, email=email, first_name=admin.first_name, last_name=admin.last_name, is_active=False)
    validate_password(admin.password, user)
    user.set_password(admin.password)
    user.save()
    payload = {"user": user.pk, "name": organization.name, "siret": organization.siret, "sector": organization.sector,
               "headcount": organization.headcount, "language": organization.default_language}
    return signing.dumps(payload, salt=SIGNUP_SALT, compress=True)


def signup_confirm(*, token: str):
    """Confirm a sign-up: activate the account and create its organization, once.

    Raises ValidationError for a forged, expired or already used link."""
    try:
        payload = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(_("This confirmation link has expired: sign up again.")) from error
    except signing.BadSignature as error:
        raise ValidationError(_("This confirmation link is not valid.")) from error
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=payload["user"], is_active=False, last_login__isnull=True).first()
        if user is None:
            raise ValidationError(_("This confirmation link was already used."))
        user.is_active = True
        user.save(update_fields=["is_active"])
        org = Organization(name=payload["name"], slug=unique_slug(payload["name"]), siret=payload["siret"] or "",
                           sector=payload["sector"] or "", headcount=payload["headcount"],
                           default_language=payload["language"] or "fr")
        org.full_clean()
        org.save()
        with organization_context(org):
            Membership.objects.create(user=user, organization=org, role=Role.ADMIN)
    return user
