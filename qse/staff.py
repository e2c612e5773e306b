"""The platform staff's reads and writes (Django ``is_staff`` users): organizations, their
administrators and their usage. Staff rights never come from a membership, and the staff
area is the only code that reads across organizations for a person; every other page of a
staff user is an ordinary page, scoped by their own memberships and row-level security."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from qse.models import Membership, Organization, ScopedModel
from qse.roles import Role
from qse.tenancy import organization_context, system_context


def ensure_staff(user) -> None:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise PermissionDenied(_("This area is for the platform's staff."))


@dataclass(frozen=True)
class Usage:
    """How much an organization uses the platform."""

    organization: Organization
    members: int
    records: int
    last_sign_in: object


def _record_counts() -> dict[int, int]:
    """Rows of every domain model per organization: one grouped query per model, whatever
    the number of organizations."""
    from django.apps import apps

    totals: dict[int, int] = {}
    for model in apps.get_models():
        if issubclass(model, ScopedModel) and not model._meta.proxy and model._meta.label not in ("qse.Notification", "qse.Reminder"):
            for row in model.objects.order_by().values("organization_id").annotate(n=Count("pk")):
                totals[row["organization_id"]] = totals.get(row["organization_id"], 0) + row["n"]
    return totals


def organizations_usage(*, acting_user) -> list[Usage]:
    """Every organization with its active members, records and last sign-in of a member."""
    ensure_staff(acting_user)
    with system_context():
        organizations = list(Organization.objects.annotate(
            members=Count("memberships", filter=Q(memberships__is_active=True), distinct=True),
            last_sign_in=Max("memberships__user__last_login"),
        ).order_by("name"))
        records = _record_counts()
    return [Usage(o, o.members, records.get(o.pk, 0), o.last_sign_in) for o in organizations]


def organization_admins(*, organization: Organization, acting_user):
    """Its administrators and the invitations waiting to make someone one."""
    from qse.models import Invitation

    ensure_staff(acting_user)
    with organization_context(organization):
        admins = list(Membership.objects.in_current_organization().filter(role=Role.ADMIN).select_related("user"))
        invitations = list(Invitation.objects.in_current_organization().filter(
            role=Role.ADMIN, accepted_at__isnull=True, revoked_at__isnull=True))
    return admins, invitations


def admin_invite(*, organization: Organization, email: str, acting_user):
    """Staff invite an administrator into an organization (e.g. its first, or a replacement)."""
    from qse.people import InvitationData, invitation_create

    ensure_staff(acting_user)
    with organization_context(organization):
        return invitation_create(data=InvitationData(email=email, role=Role.ADMIN), acting_user=acting_user,
                                 check_rights=False)


def staff_users():
    return get_user_model().objects.filter(is_staff=True, is_active=True)
