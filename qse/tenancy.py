"""The current organization of a request or a task, and the database session it drives.

The organization is chosen per request (middleware), per API call (after token
authentication) or per task, and is set in PostgreSQL with ``set_config(..., true)``
(transaction-local, like SET LOCAL) so that row-level security policies see it.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db import connection, transaction

if TYPE_CHECKING:
    from qse.models import Membership, Organization

_current_membership: ContextVar[Membership | None] = ContextVar("qse_membership", default=None)
_current_organization: ContextVar[Organization | None] = ContextVar("qse_org", default=None)

ORG_SETTING = "qse.organization_id"
USER_SETTING = "qse.user_id"
ALL_SETTING = "qse.all_organizations"


def current_organization() -> Organization | None:
    return _current_organization.get()


def current_membership() -> Membership | None:
    return _current_membership.get()


def _set_config(values: dict[str, str]) -> None:
    """All settings in one statement: this runs on every request."""
    calls = ", ".join(["set_config(%s, %s, true)"] * len(values))
    params = [item for pair in values.items() for item in pair]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {calls}", params)


def _read_config() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting(%s, true), current_setting(%s, true), current_setting(%s, true)",
            [ORG_SETTING, USER_SETTING, ALL_SETTING],
        )
        org, user, everything = cursor.fetchone()
    return {ORG_SETTING: org or "", USER_SETTING: user or "", ALL_SETTING: everything or ""}


def set_database_user(user_id: int | None) -> None:
    """Let the membership policy show this user's own memberships."""
    _set_config({USER_SETTING: str(user_id or ""), ALL_SETTING: "off"})


def activate(membership: Membership | None, organization: Organization | None = None) -> None:
    """Make an organization current for the ORM (context) and PostgreSQL (RLS)."""
    organization = membership.organization if membership else organization
    _current_membership.set(membership)
    _current_organization.set(organization)
    _set_config({ORG_SETTING: str(organization.pk if organization else ""), ALL_SETTING: "off"})


@contextlib.contextmanager
def scope_restored():
    """Restore the organization settings on exit (tests run many requests in one transaction)."""
    saved = _read_config()
    token_m, token_o = _current_membership.set(None), _current_organization.set(None)
    try:
        yield
    finally:
        _current_membership.reset(token_m)
        _current_organization.reset(token_o)
        with contextlib.suppress(Exception):
            _set_config(saved)


@contextlib.contextmanager
def organization_context(organization: Organization, membership: Membership | None = None):
    """Run a block (a task, a command) inside one transaction scoped to one organization."""
    with transaction.atomic(), scope_restored():
        activate(membership, organization)
        yield


@contextlib.contextmanager
def system_context():
    """Cross-organization work done by the system itself (migrations' data, demo seed,
    fan-out of periodic tasks). Never used by a request."""
    with transaction.atomic(), scope_restored():
        _set_config({ALL_SETTING: "on"})
        yield
