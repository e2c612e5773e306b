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
        if getattr(self.model, "rights_from_parent", None):
            # Seen and changed with the record it belongs to (``can()`` answers the same).
            return queryset.filter(self._parent_rows(user, verb))
        queryset = queryset._restrict_to_sites(membership)
        right = right_for(membership.role, self.model._meta.label, verb)
        if right == ALL:
            return queryset
        if right == OWN:
            return queryset.filter(self._own_rows(user) | self._granted_rows(user, verb))
        return queryset.filter(self._granted_rows(user, verb))

    def _parent_rows(self, user, verb: str) -> Q:
        """The rows whose parent record the user may ``verb`` (``PARENT_VERBS``): a model
        with ``rights_from_parent`` has a queryset that says how to find its parents."""
        raise NotImplementedError(f"{self.model.__name__} declares rights_from_parent without _parent_rows")

    def in_current_organization(self) -> ScopedQuerySet:
        """For system work with no user (a task's sweep): the active organization's rows."""
        from qse.tenancy import current_organization

        organization = current_organization()
        return self.filter(organization=organization) if organization else self.none()

    def _restrict_to_sites(self, membership) -> ScopedQuerySet:
        queryset = self
        site_field = getattr(self.model, "site_field", None)
        if site_field and membership.site_ids:
            queryset = queryset.filter(Q(**{f"{site_field}__in": membership.site_ids}) | Q(**{f"{site_field}__isnull": True}))
        process_field = process_field_of(self.model)
        if process_field and getattr(membership, "process_ids", None):
            # Limited to some processes: their records, and those of no process (organization-wide).
            queryset = queryset.filter(
                Q(**{f"{process_field}__in": membership.process_ids}) | Q(**{f"{process_field}__isnull": True})
            )
        return queryset

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


def process_field_of(model) -> str | None:
    """The field placing a row in a process: ``process_field`` when the model declares it,
    else its foreign key named ``process`` to the process map, else None (not per process)."""
    declared = getattr(model, "process_field", None)
    if declared:
        return declared
    try:
        field = model._meta.get_field("process")
    except Exception:  # FieldDoesNotExist: the model is not placed in a process
        return None
    return "process" if getattr(field, "related_model", None) and field.related_model._meta.label == "qse.Process" else None


class OwnedWhile:
    """An owner path that counts only while the row meets conditions, e.g. the reporter of an
    event owns it only until it is taken in charge: ``OwnedWhile("detected_by", status="reported")``.

    Each condition names a field path (``status``, ``owner``, ``event__status``) and the value it
    must have: a collection means "one of these", ``None`` means "empty".
    """

    def __init__(self, path: str, **conditions):
        self.path = path
        self.conditions = conditions

    def q(self, user) -> Q:
        condition = Q(**{self.path: user})
        for name, expected in self.conditions.items():
            lookup = f"{name}__in" if _is_collection(expected) else name
            condition &= Q(**{lookup: expected})
        return condition

    def matches(self, user, obj) -> bool:
        if _value(obj, self.path) != user.pk:
            return False
        for name, expected in self.conditions.items():
            value = _value(obj, name)
            if not (value in expected if _is_collection(expected) else value == _plain(expected)):
                return False
        return True


class OwnershipRule:
    """Who "owns" a row: the users named by these field paths (``owner``, ``process__owner``),
    and by ``OwnedWhile`` paths while their conditions hold.

    Gives both a queryset filter (for lists) and an in-memory check (for ``can()``).

    A path may end on a many-to-many field (``auditors``: anyone of an audit's team): the filter
    is then a subquery (a join would repeat the row once per member) and the in-memory check
    asks the relation (its prefetched rows when there are).
    """

    def __init__(self, *paths: str | OwnedWhile):
        self.paths = paths
        self.model = None

    def __set_name__(self, owner, name):
        self.model = owner  # the model whose class attribute this rule is: needed for the subquery

    def q(self, user) -> Q:
        condition = Q(pk__in=[])
        for path in self.paths:
            if isinstance(path, OwnedWhile):
                condition |= path.q(user)
            elif self.model is not None and _ends_on_many(self.model, path):
                condition |= Q(pk__in=self.model._base_manager.filter(**{path: user}).values("pk"))
            else:
                condition |= Q(**{path: user})
        return condition

    def matches(self, user, obj) -> bool:
        return any(
            path.matches(user, obj) if isinstance(path, OwnedWhile) else _matches_path(user, obj, path)
            for path in self.paths
        )


def _ends_on_many(model, path: str) -> bool:
    """Does this field path end on a many-to-many field?"""
    *parents, last = path.split("__")
    for name in parents:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(last).many_to_many


def _matches_path(user, obj, path: str) -> bool:
    *parents, last = path.split("__")
    holder = obj
    for name in parents:
        holder = getattr(holder, name, None)
        if holder is None:
            return False
    if not holder._meta.get_field(last).many_to_many:
        return _value(obj, path) == user.pk
    if holder.pk is None:
        return False
    cached = getattr(holder, "_prefetched_objects_cache", {}).get(last)
    if cached is not None:
        return any(member.pk == user.pk for member in cached)
    return getattr(holder, last).filter(pk=user.pk).exists()


def _is_collection(value) -> bool:
    return isinstance(value, list | tuple | set | frozenset)


def _plain(value):
    """A model instance compares by its pk (the in-memory walk reads ``<fk>_id``)."""
    return value.pk if isinstance(value, models.Model) else value


def _value(obj, path: str):
    """The value at a field path, read in memory: a relation's id (``owner`` gives ``owner_id``)
    so that no query is made for the last step."""
    *parents, last = path.split("__")
    for name in parents:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return getattr(obj, obj._meta.get_field(last).attname, None)
