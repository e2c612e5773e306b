"""The organization's people: invitations, memberships (role, site and process limits,
deactivation), people without an account, password-reset links. Pages and API call these.

Rights: what the role table gives on ``qse.Membership`` (admins manage, coordinators read);
an invitation is a membership to be, so it follows the same rights.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from qse import tenancy
from qse.models import Invitation, Membership, Organization
from qse.models.people import invitation_digest
from qse.permissions import can
from qse.roles import Role
from qse.tenancy import current_organization

INVITATION_DAYS = 7


@dataclass(frozen=True)
class InvitationData:
    """Who is invited, as what, limited to which sites and processes (empty: all)."""

    email: str
    role: str
    first_name: str = ""
    last_name: str = ""
    sites: list = field(default_factory=list)
    processes: list = field(default_factory=list)


def manage_refusal() -> str:
    return _("Only the organization's administrators manage its people.")


def _ensure(user, verb: str, obj_or_model=Membership) -> None:
    if not can(user, verb, obj_or_model):
        raise PermissionDenied(manage_refusal())


# --- invitations ----------------------------------------------------------------------------


def invitation_create(*, data: InvitationData, acting_user, check_rights: bool = True) -> Invitation:
    """Invite someone to the current organization: an e-mail with a single-use link that
    expires after INVITATION_DAYS days. An active member with an account cannot be invited again."""
    if check_rights:
        _ensure(acting_user, "add")
    organization = current_organization()
    email = data.email.strip().lower()
    if _is_active_member_with_account(email):
        raise ValidationError({"email": _("This person is already a member of the organization.")})
    if Invitation.objects.in_current_organization().filter(email=email, accepted_at__isnull=True, revoked_at__isnull=True).exists():
        raise ValidationError({"email": _("An invitation is already waiting for this address: re-send it.")})
    secret = Invitation.new_secret()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organization=organization, email=email, first_name=data.first_name, last_name=data.last_name,
            role=data.role, digest=invitation_digest(secret), invited_by=acting_user,
            sent_at=timezone.now(), expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
        )
        invitation.sites.set(data.sites)
        invitation.processes.set(data.processes)
        _send_on_commit(invitation, secret)
    return invitation


def _is_active_member_with_account(email: str) -> bool:
    membership = (
        Membership.objects.in_current_organization().filter(user__email__iexact=email, is_active=True)
        .select_related("user").first()
    )
    return membership is not None and membership.user.has_usable_password()


def invitation_resend(*, invitation: Invitation, acting_user) -> Invitation:
    """A new link (the old one stops working) and a new expiry date."""
    _ensure(acting_user, "add")
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation is closed: invite the person again."))
    secret = Invitation.new_secret()
    with transaction.atomic():
        invitation.digest = invitation_digest(secret)
        invitation.sent_at = timezone.now()
        invitation.expires_at = invitation.sent_at + datetime.timedelta(days=INVITATION_DAYS)
        invitation.send_count += 1
        invitation.save(update_fields=["digest", "sent_at", "expires_at", "send_count"])
        _send_on_commit(invitation, secret)
    return invitation


def invitation_revoke(*, invitation: Invitation, acting_user) -> Invitation:
    _ensure(acting_user, "change")
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_token(invitation: Invitation, secret: str) -> str:
    """The link's token names its organization, so that the page can look the invitation up
    under row-level security before anyone is signed in."""
    return f"{invitation.organization_id}-{secret}"


def _send_on_commit(invitation: Invitation, secret: str) -> None:
    url = settings.SITE_URL + reverse("invitation_accept", args=[invitation_token(invitation, secret)])
    organization = invitation.organization
    inviter = invitation.invited_by.get_full_name() if invitation.invited_by else ""

    def send():
        with translation.override(organization.default_language or settings.LANGUAGE_CODE):
            subject = _("Invitation to join {organization} on Pilote QSE").format(organization=organization.name)
            body = _(
                "{inviter} invites you to join {organization} on Pilote QSE.\n\n"
                "Open this link to choose your password (it works once, until {date}):\n{url}"
            ).format(inviter=inviter or "Pilote QSE", organization=organization.name, url=url,
                     date=timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y %H:%M"))
        EmailMessage(subject=f"[Pilote QSE] {subject}", body=body, to=[invitation.email]).send()

    transaction.on_commit(send)


def invitation_by_token(token: str) -> Invitation | None:
    """The open invitation of a link, or None (unknown, used, revoked or expired). Activates
    the link's organization for row-level security (the visitor is not signed in yet)."""
    organization_id, _sep, secret = token.partition("-")
    if not organization_id.isdecimal() or not secret:
        return None
    organization = Organization.objects.filter(pk=int(organization_id)).first()
    if organization is None:
        return None
    tenancy.activate(None, organization)
    invitation = Invitation.objects.in_current_organization().filter(digest=invitation_digest(secret)).first()
    return invitation if invitation is not None and invitation.is_open else None


def invitation_accept(*, invitation: Invitation, password: str | None, first_name: str = "", last_name: str = "",
                      signed_in_user=None):
    """Accept: the person chooses their password (or, having an account already, is signed in
    as it), and their membership is created or updated with the invitation's role and limits."""
    User = get_user_model()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ValidationError(_("This invitation link was already used or has expired."))
        user = User.objects.filter(email__iexact=invitation.email).order_by("pk").first()
        if user is not None and user.has_usable_password():
            if signed_in_user is None or signed_in_user.pk != user.pk:
                raise PermissionDenied(_("An account already uses this address: sign in to accept the invitation."))
        else:
            user = _account_for(user, invitation, password=password, first_name=first_name, last_name=last_name)
        membership = _membership_from(invitation, user)
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def _account_for(user, invitation: Invitation, *, password: str | None, first_name: str, last_name: str):
    """A new account, or the person without an account now getting one."""
    User = get_user_model()
    if user is None:
        user = User(username=_free_username(invitation.email), email=invitation.email)
    user.first_name = first_name or user.first_name or invitation.first_name
    user.last_name = last_name or user.last_name or invitation.last_name
    user.is_active = True
    if not password:
        raise ValidationError({"password1": _("Choose a password.")})
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


def _free_username(email: str) -> str:
    User = get_user_model()
    base, number, username = email.lower(), 1, email.lower()
    while User.objects.filter(username=username).exists():
        number += 1
        username = f"{base}.{number}"
    return username


def _membership_from(invitation: Invitation, user) -> Membership:
    membership, _created = Membership.objects.get_or_create(
        user=user, organization_id=invitation.organization_id, defaults={"role": invitation.role},
    )
    membership.role, membership.is_active, membership.deactivated_at = invitation.role, True, None
    membership.save(update_fields=["role", "is_active", "deactivated_at"])
    membership.sites.set(invitation.sites.all())
    membership.processes.set(invitation.processes.all())
    return membership


# --- memberships ----------------------------------------------------------------------------


def person_create(*, email: str, first_name: str, last_name: str, role: str = Role.CONTRIBUTOR, sites=(),
                  processes=(), acting_user) -> Membership:
    """A person without an account (an operator named as action owner, an external auditor):
    a user who cannot sign in, member of the organization, who can be invited later."""
    _ensure(acting_user, "add")
    User = get_user_model()
    email = (email or "").strip().lower()
    if not (first_name or last_name):
        raise ValidationError({"last_name": _("Give at least a name.")})
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first() if email else None
        if user is None:
            user = User(username=_free_username(email or f"{slug_name(first_name, last_name)}@no-account.pilote-qse"),
                        email=email, first_name=first_name, last_name=last_name)
            user.set_unusable_password()
            user.save()
        membership, created = Membership.objects.get_or_create(
            user=user, organization=current_organization(), defaults={"role": role},
        )
        if not created:
            raise ValidationError({"email": _("This person is already a member of the organization.")})
        membership.sites.set(sites)
        membership.processes.set(processes)
    return membership


def slug_name(first_name: str, last_name: str) -> str:
    from django.utils.text import slugify

    return slugify(f"{first_name} {last_name}") or "person"


def membership_update(*, membership: Membership, role: str, sites=(), processes=(), acting_user) -> Membership:
    """Change a member's role and limits; the organization always keeps an active administrator."""
    _ensure(acting_user, "change", membership)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Role.ADMIN and role != Role.ADMIN:
            _ensure_another_admin(membership)
        membership.role = role
        membership.save(update_fields=["role"])
        membership.sites.set(sites)
        membership.processes.set(processes)
    return membership


def _ensure_another_admin(membership: Membership) -> None:
    others = Membership.objects.in_current_organization().filter(role=Role.ADMIN, is_active=True).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(_("The organization must keep at least one active administrator."))


def membership_deactivate(*, membership: Membership, acting_user) -> Membership:
    """The person no longer signs in to the organization nor gets its reminders; their history
    and records stay (their open actions are listed on their page to be reassigned)."""
    _ensure(acting_user, "change", membership)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Role.ADMIN:
            _ensure_another_admin(membership)
        membership.is_active, membership.deactivated_at = False, timezone.now()
        membership.save(update_fields=["is_active", "deactivated_at"])
    return membership


def membership_reactivate(*, membership: Membership, acting_user) -> Membership:
    _ensure(acting_user, "change", membership)
    membership.is_active, membership.deactivated_at = True, None
    membership.save(update_fields=["is_active", "deactivated_at"])
    return membership


def password_reset_send(*, membership: Membership, acting_user) -> None:
    """E-mail the member Django's password-reset link (the same as "Forgotten password?")."""
    _ensure(acting_user, "change", membership)
    user = membership.user
    if not user.email:
        raise ValidationError(_("This person has no e-mail address."))
    if not user.has_usable_password():
        raise ValidationError(_("This person has no account yet: invite them instead."))
    path = reverse("password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)])
    organization = membership.organization
    with translation.override(organization.default_language or settings.LANGUAGE_CODE):
        subject = _("Choose a new password for Pilote QSE")
        body = _("An administrator of {organization} sent you this link to choose a new password:\n{url}").format(
            organization=organization.name, url=settings.SITE_URL + path)
    transaction.on_commit(lambda: EmailMessage(subject=f"[Pilote QSE] {subject}", body=body, to=[user.email]).send())


# --- reads ------------------------------------------------------------------------------------


def people_of(user, *, query: str = ""):
    """The organization's memberships as the user may see them, with what the page shows."""
    rows = Membership.objects.restrict(user, "view").select_related("user").prefetch_related("sites", "processes")
    if query:
        rows = rows.filter(Q(user__first_name__icontains=query) | Q(user__last_name__icontains=query)
                           | Q(user__email__icontains=query))
    return rows.order_by("-is_active", "user__last_name", "user__first_name", "user__username")


def open_invitations_of(user):
    """The invitations not yet accepted nor revoked, for who may see the people."""
    if not can(user, "view", Membership):
        return Invitation.objects.none()
    return (Invitation.objects.in_current_organization().filter(accepted_at__isnull=True, revoked_at__isnull=True)
            .select_related("invited_by").prefetch_related("sites", "processes").order_by("-sent_at"))


def open_actions_of(*, user, person):
    """The open actions a person owns, as the user may see them (to reassign them)."""
    from improvement.models import Action
    from improvement.models.actions import OPEN_STATUSES

    return (Action.objects.restrict(user, "view").filter(owner=person, status__in=OPEN_STATUSES, archived_at__isnull=True)
            .select_related("plan").order_by("due_on", "pk"))


def actions_reassign(*, user, person, new_owner, action_ids: list[int]) -> int:
    """Give the chosen open actions of ``person`` to ``new_owner`` (each through the generic
    update, so rights, history and versions apply); returns how many moved."""
    from qse.forms import members_queryset
    from qse.services import object_update

    if not members_queryset().filter(pk=new_owner.pk).exists():
        raise ValidationError({"owner": _("Choose an active member of the organization.")})
    moved = 0
    with transaction.atomic():
        for action in open_actions_of(user=user, person=person).filter(pk__in=action_ids):
            object_update(obj=action, acting_user=user, data={"owner": new_owner}, expected_version=None)
            moved += 1
    return moved


def has_account(email: str) -> bool:
    """Whether someone can already sign in with this address (then they accept signed in)."""
    User = get_user_model()
    return any(user.has_usable_password() for user in User.objects.filter(email__iexact=email))


def person_invite(*, membership: Membership, email: str, acting_user) -> Invitation:
    """Invite a person without an account to sign in, with their current role and limits;
    the address given becomes theirs (it must not be someone else's)."""
    _ensure(acting_user, "add")
    User = get_user_model()
    user = membership.user
    email = (email or user.email).strip().lower()
    if not email:
        raise ValidationError({"email": _("Give the person's e-mail address.")})
    if user.has_usable_password():
        raise ValidationError(_("This person already has an account."))
    with transaction.atomic():
        if user.email.lower() != email:
            if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
                raise ValidationError({"email": _("Another person already uses this address.")})
            user.email = email
            user.save(update_fields=["email"])
        data = InvitationData(email=email, role=membership.role, first_name=user.first_name, last_name=user.last_name,
                              sites=list(membership.sites.all()), processes=list(membership.processes.all()))
        return invitation_create(data=data, acting_user=acting_user)


def not_a_member_message() -> str:
    return _("Choose an active member of the organization.")
