"""Sign-in with the organization's directory: settings, role mapping and just-in-time membership.

The protocol itself (discovery, Authorization Code with PKCE, state, nonce, ID token checked
against the provider's JWKS) is Authlib's, driven from ``qse/oidc_client.py``; this module
decides who the signed-in person is here and what they may do.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qse.models import DirectoryIdentity, DirectorySignIn, Membership, Organization
from qse.permissions import can
from qse.roles import Role
from qse.services import ConflictError, recorded
from qse.tenancy import system_context

# The most-privileged role wins when a person's groups map to several.
ROLE_RANK = [Role.ADMIN, Role.COORDINATOR, Role.MANAGEMENT, Role.PROCESS_OWNER, Role.AUDITOR, Role.CONTRIBUTOR]
# The settings a deployment may give instead of the page (QSE_OIDC_DIRECTORIES, per organization slug).
PROTOCOL_FIELDS = ("issuer", "client_id", "client_secret")


# --- secrets -------------------------------------------------------------------------------

def _fernet() -> Fernet:
    """A key of its own (QSE_OIDC_SECRET_KEY), or one derived from SECRET_KEY."""
    material = settings.QSE_OIDC_SECRET_KEY or settings.SECRET_KEY
    digest = hashlib.sha256(b"pilote-qse directory client secret|" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def decrypt_secret(token: str) -> str:
    """The client secret, or "" when none is stored or the key changed since (to enter again)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


# --- pure rules ----------------------------------------------------------------------------

def role_for_groups(groups, group_roles: dict[str, str], default_role: str) -> str | None:
    """The role a person's directory groups give: the highest mapped one, else the default,
    else None (no access). Group names compare exactly (directories send ids or names as set)."""
    if isinstance(groups, str):
        groups = [groups]
    mapped = {group_roles[g] for g in (groups or []) if isinstance(g, str) and g in group_roles}
    for role in ROLE_RANK:
        if role in mapped:
            return str(role)
    return default_role or None


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


@dataclass(frozen=True)
class ProtocolSettings:
    """What the protocol needs, from the page or from the deployment's settings."""

    issuer: str
    client_id: str
    client_secret: str
    from_settings: frozenset


def protocol_settings(directory: DirectorySignIn) -> ProtocolSettings:
    """The page's values, each overridden by QSE_OIDC_DIRECTORIES[<organization slug>]."""
    overrides = settings.QSE_OIDC_DIRECTORIES.get(directory.organization.slug, {})
    values = {
        "issuer": directory.issuer,
        "client_id": directory.client_id,
        "client_secret": decrypt_secret(directory.client_secret_encrypted),
    }
    given = {name for name in PROTOCOL_FIELDS if overrides.get(name)}
    values.update({name: overrides[name] for name in given})
    return ProtocolSettings(**values, from_settings=frozenset(given))


# --- selectors -----------------------------------------------------------------------------

def directory_of(organization: Organization) -> DirectorySignIn | None:
    """The organization's directory settings (row-level security shows only the current one)."""
    return DirectorySignIn.objects.select_related("organization").filter(organization=organization).first()


def directory_for_email(email: str) -> Organization | None:
    """The organization whose enabled directory serves this e-mail's domain, looked up before
    anyone is signed in (hence across organizations, as the QR codes' tokens are); only the
    organization is returned, never its settings."""
    domain = email_domain(email)
    if not domain:
        return None
    with system_context():
        found = (
            DirectorySignIn.objects.select_related("organization")
            .filter(is_enabled=True, allowed_domains__contains=[domain])
            .order_by("organization__name")
            .first()
        )
    return found.organization if found else None


# --- settings service ----------------------------------------------------------------------

def _check_directory_data(data: dict) -> None:
    errors = {}
    roles = {str(r) for r in Role}
    bad = sorted(g for g, r in data.get("group_roles", {}).items() if r not in roles)
    if bad:
        errors["group_roles"] = _("Unknown role for the groups: {groups}.").format(groups=", ".join(bad))
    if data.get("default_role") and data["default_role"] not in roles:
        errors["default_role"] = _("Unknown role.")
    if not data.get("allowed_domains"):
        errors["allowed_domains"] = _("Give at least one e-mail domain.")
    if errors:
        raise ValidationError(errors)


def _check_protocol(directory: DirectorySignIn) -> None:
    """Issuer and client id must come from the page or from the deployment's settings."""
    protocol = protocol_settings(directory)
    missing = {name: _("This field is required.") for name in ("issuer", "client_id") if not getattr(protocol, name)}
    if missing:
        raise ValidationError(missing)


def directory_sign_in_save(
    *, organization: Organization, acting_user, data: dict, expected_version: int | None,
) -> DirectorySignIn:
    """Create or change the organization's directory sign-in. Only who may change memberships
    may do it (the directory grants memberships). ``client_secret`` "" keeps the stored one."""
    if not can(acting_user, "change", Membership):
        raise PermissionDenied(_("You are not allowed to do this."))
    data = dict(data)
    secret = data.pop("client_secret", "") or ""
    data["allowed_domains"] = sorted({d.strip().lower().lstrip("@") for d in data.get("allowed_domains", []) if d.strip()})
    _check_directory_data(data)
    with recorded(acting_user):
        directory = DirectorySignIn.objects.select_for_update().filter(organization=organization).first()
        if directory is None:
            directory = DirectorySignIn(organization=organization)
        elif expected_version is not None and directory.version != expected_version:
            raise ConflictError(directory)
        else:
            directory.version += 1
        for name, value in data.items():
            setattr(directory, name, value)
        if secret:
            directory.client_secret_encrypted = encrypt_secret(secret)
        directory.updated_by = acting_user
        directory.full_clean(exclude=["organization"])
        _check_protocol(directory)
        directory.save()
    return directory


# --- sign-in service -----------------------------------------------------------------------

@dataclass(frozen=True)
class SignInOutcome:
    """Either a user to log in, or the refusal to show them (translated)."""

    user: object = None
    membership: Membership | None = None
    refusal: str = ""


def _refuse(message: str) -> SignInOutcome:
    return SignInOutcome(refusal=message)


SEVERAL = object()


def _user_for(*, directory: DirectorySignIn, issuer: str, claims: dict, email: str, create: bool):
    """The identity's user; else the one account with this e-mail (linked, never duplicated);
    else a new account if ``create``, else None. ``SEVERAL`` when several accounts share the
    e-mail (an administrator must decide which one it is)."""
    identity = (
        DirectoryIdentity.objects.select_related("user")
        .filter(organization=directory.organization, issuer=issuer, subject=claims["sub"])
        .first()
    )
    if identity:
        return identity.user, identity
    User = get_user_model()
    existing = list(User.objects.filter(email__iexact=email)[:2])
    if len(existing) > 1:
        return SEVERAL, None
    if not existing and not create:
        return None, None
    user = existing[0] if existing else _new_user(claims, email)
    identity = DirectoryIdentity(organization=directory.organization, user=user, issuer=issuer, subject=claims["sub"])
    return user, identity


def _new_user(claims: dict, email: str):
    User = get_user_model()
    username, n = email, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{email}~{n}"
    user = User(
        username=username, email=email,
        first_name=(claims.get("given_name") or "")[:150], last_name=(claims.get("family_name") or "")[:150],
    )
    user.set_unusable_password()  # they sign in through their directory
    user.save()
    return user


def _checked_email(directory: DirectorySignIn, claims: dict) -> tuple[str, str]:
    """(e-mail, refusal). The directory vouches for its domains: an e-mail it marks as not
    verified is refused; one without the claim (Entra ID sends none) is taken on the domain."""
    email = (claims.get("email") or "").strip().lower()
    if not email or not claims.get("sub"):
        return "", _("Your directory did not send your e-mail address: ask your administrator to allow the “email” scope.")
    if claims.get("email_verified") is False:
        return "", _("Your directory has not verified your e-mail address {email}.").format(email=email)
    if email_domain(email) not in directory.allowed_domains:
        return "", _(
            "The e-mail domain {domain} is not allowed to sign in to {organization}. Ask its administrator."
        ).format(domain=email_domain(email), organization=directory.organization.name)
    return email, ""


def directory_sign_in(*, directory: DirectorySignIn, issuer: str, claims: dict, now) -> SignInOutcome:
    """Who the verified ID token's person is here: their account (linked or created), their
    membership with the role their groups give today (refreshed at every sign-in). A person
    whose groups no longer give a role loses the membership's access; that change is kept
    even though the sign-in is refused."""
    email, refusal = _checked_email(directory, claims)
    if refusal:
        return _refuse(refusal)
    groups = claims.get("groups") or []
    role = role_for_groups(groups, directory.group_roles, directory.default_role)
    organization = directory.organization
    with transaction.atomic():
        # Nobody gets an account only to be refused: without a role, an unknown person is not created.
        user, identity = _user_for(directory=directory, issuer=issuer, claims=claims, email=email, create=role is not None)
        if user is SEVERAL:
            return _refuse(_("Several accounts use the e-mail address {email}: ask your administrator.").format(email=email))
        if user is None:
            return _refuse(_no_role(organization))
        if not user.is_active:
            return _refuse(_("Your account is deactivated."))
        identity.email, identity.groups, identity.last_sign_in_at = email, list(groups), now
        membership = Membership.objects.filter(user=user, organization=organization).first()
        outcome = _apply_role(identity=identity, membership=membership, user=user, organization=organization, role=role)
        identity.save()
    return outcome


def _no_role(organization) -> str:
    return _("Your directory groups give you no role in {organization}: ask its administrator.").format(
        organization=organization.name
    )


def _apply_role(*, identity, membership, user, organization, role) -> SignInOutcome:
    if membership and not membership.is_active and not identity.access_removed_by_directory:
        return _refuse(_("Your access to {organization} was deactivated by its administrator.").format(organization=organization.name))
    if role is None:
        if membership and membership.is_active:
            Membership.objects.filter(pk=membership.pk).update(is_active=False)
        identity.access_removed_by_directory = True
        return _refuse(_no_role(organization))
    if membership is None:
        membership = Membership.objects.create(user=user, organization=organization, role=role)
    elif membership.role != role or not membership.is_active:
        membership.role, membership.is_active = role, True
        membership.save(update_fields=["role", "is_active"])
    identity.access_removed_by_directory = False
    return SignInOutcome(user=user, membership=membership)
