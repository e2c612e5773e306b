"""The audit team as owners: a member of ``Audit.auditors`` (a many-to-many) owns the audit's
checklist rows, as the lead auditor does.

``OwnershipRule`` compares a single value per row; a team is many, and a join on it would list a
row once per auditor. This path filters through a subquery (one row each) and, in memory, reads
the team prefetched on the audit when it is there (one query otherwise).
"""

from __future__ import annotations

from django.db.models import Q

from qse.querysets import OwnedWhile


class AuditTeam(OwnedWhile):
    """Owned by the members of the audit found at ``path`` (``audit``, ``question__audit``)."""

    def __init__(self, path: str):
        super().__init__(path)

    def q(self, user) -> Q:
        from audits.models import Audit

        teams = Audit.auditors.through.objects.filter(user_id=user.pk).values("audit_id")
        return Q(**{f"{self.path}__in": teams})

    def matches(self, user, obj) -> bool:
        audit = obj
        for name in self.path.split("__"):
            audit = getattr(audit, name, None)
            if audit is None:
                return False
        if audit.pk is None:
            return False
        cached = getattr(audit, "_prefetched_objects_cache", {}).get("auditors")
        if cached is not None:
            return any(member.pk == user.pk for member in cached)
        return audit.auditors.filter(pk=user.pk).exists()
