"""Human references unique per organization, safe under concurrent creation."""

from django.db import connection

from qse.models.counters import ReferenceCounter
from qse.tenancy import current_organization


def next_number(scope: str) -> int:
    """The next number of ``scope`` in the current organization.

    One ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``: the conflicting row is locked
    until the caller's transaction ends, so concurrent callers are served one after the
    other and a rolled-back creation gives its number back.
    """
    organization = current_organization()
    if organization is None:
        raise RuntimeError("next_number needs an active organization")
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (organization_id, scope, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (organization_id, scope) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [organization.pk, scope],
        )
        return cursor.fetchone()[0]


def next_reference(prefix: str, year: int, *, width: int = 4) -> str:
    """``PREFIX-YEAR-NNNN``, numbered per prefix and year."""
    number = next_number(f"{prefix.lower()}-{year}")
    return f"{prefix}-{year}-{number:0{width}d}"
