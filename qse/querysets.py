"""The one scoping mechanism: ``restrict(user, verb)``.

Used only by the shared base views, API viewsets, form field choices, exports and
report builders. Row-level security in PostgreSQL is the backstop behind it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from qse.roles import ALL, OWN, right_for
from qse.tenancy import current_membership


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, verb: str = "view") -> ScopedQuerySet:
        """Rows of the current organization this user may ``verb``; none otherwise."""
        membership = current_membership()
        if membership is None or not user.is_authenticated or membership.user_id != user.pk:
            return self.none()
        queryset = self
        if settings.QSE_APP_SCOPING:
            queryset = queryset.filter(organization_id=membership.organization_id)
        queryset = queryset._restrict_to_sites(membership)
        right = right_for(membership.role, self.model._meta.label, verb)
        if right == ALL:
            return queryset
        if right == OWN:
            return queryset.filter(self._own_rows(user) | self._granted_rows(user, verb))
        return queryset.filter(self._granted_rows(user, verb))

    def in_current_organization(self) -> ScopedQuerySet:
        """For system work with no user (a task's sweep): the active organization's rows."""
        from qse.tenancy import current_organization

        organization = current_organization()
        return self.filter(organization=organization) if organization else self.none()

    def _restrict_to_sites(self, membership) -> ScopedQuerySet:
        site_field = getattr(self.model, "site_field", None)
        if not site_field or not membership.site_ids:
            return self
        return self.filter(Q(**{f"{site_field}__in": membership.site_ids}) | Q(**{f"{site_field}__isnull": True}))

    def _own_rows(self, user) -> Q:
        rule = getattr(self.model, "ownership", None)
        return rule.q(user) if rule else Q(pk__in=[])

    def _granted_rows(self, user, verb: str) -> Q:
        """Explicit per-object grants (django-guardian rows), e.g. an external auditor."""
        from guardian.models import UserObjectPermission

        codename = f"{verb}_{self.model._meta.model_name}"
        granted = UserObjectPermission.objects.filter(
            user=user,
            permission__codename=codename,
            content_type__app_label=self.model._meta.app_label,
            content_type__model=self.model._meta.model_name,
        ).values("object_pk")
        return Q(pk__in=models.Subquery(granted.values("object_pk").annotate(
            pk_int=models.functions.Cast("object_pk", models.BigIntegerField())
        ).values("pk_int")))


class OwnershipRule:
    """Who "owns" a row: the users named by these field paths (``owner``, ``process__owner``).

    Gives both a queryset filter (for lists) and an in-memory check (for ``can()``).
    """

    def __init__(self, *paths: str):
        self.paths = paths

    def q(self, user) -> Q:
        condition = Q(pk__in=[])
        for path in self.paths:
            condition |= Q(**{path: user})
        return condition

    def matches(self, user, obj) -> bool:
        return any(self._owner_id(obj, path) == user.pk for path in self.paths)

    @staticmethod
    def _owner_id(obj, path: str):
        *parents, last = path.split("__")
        for name in parents:
            obj = getattr(obj, name, None)
            if obj is None:
                return None
        return getattr(obj, f"{last}_id", None)
