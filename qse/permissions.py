"""``can(user, verb, obj)``: the one answer to "may this user do this to this object".

Templates (``{% can %}``), views and the API ask it. It evaluates the same role table
and ownership rules as ``restrict()``, in memory, so a page asking it for each row of a
list costs no query.
"""

from __future__ import annotations

from django.db import models

from qse.roles import ALL, OWN, right_for
from qse.tenancy import current_membership

# A record that lives inside another (an attachment) is seen with its parent, and added,
# changed or removed by who may change the parent: the role table does not decide for it.
PARENT_VERBS = {"view": "view", "add": "change", "change": "change", "archive": "change"}


def can(user, verb: str, obj_or_model) -> bool:
    membership = current_membership()
    if membership is None or not getattr(user, "is_authenticated", False):
        return False
    if membership.user_id != user.pk:
        return False
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    right = right_for(membership.role, model._meta.label, verb)
    if isinstance(obj_or_model, type):
        return right is not None
    obj = obj_or_model
    if getattr(obj, "organization_id", membership.organization_id) != membership.organization_id:
        return False
    if getattr(model, "rights_from_parent", None):
        parent = getattr(obj, model.rights_from_parent, None)
        return parent is not None and can(user, PARENT_VERBS.get(verb, verb), parent)
    if verb in {"change", "archive"} and getattr(obj, "archived_at", None):
        return False
    if not _within_sites(membership, obj) or not _within_processes(membership, obj):
        return False
    if right == ALL:
        return True
    if right == OWN and _owns(user, obj):
        return True
    return obj.pk in _explicit_grants(membership, verb, type(obj))


def _within_sites(membership, obj: models.Model) -> bool:
    """A member limited to some sites sees their records and the organization-wide ones."""
    site_field = getattr(type(obj), "site_field", None)
    if not site_field or not membership.site_ids:
        return True
    # The site may sit on a parent (``event__site``): walk the path as restrict() filters it.
    *parents, last = site_field.split("__")
    for name in parents:
        obj = getattr(obj, name, None)
        if obj is None:
            return True
    site_id = getattr(obj, f"{last}_id", None)
    return site_id is None or site_id in membership.site_ids


def _within_processes(membership, obj: models.Model) -> bool:
    """A member limited to some processes sees their records and those of no process."""
    from qse.querysets import process_field_of

    field = process_field_of(type(obj))
    process_ids = membership.process_ids if field else None
    if not process_ids:
        return True
    process_id = getattr(obj, f"{field}_id", None)
    return process_id is None or process_id in process_ids


def _owns(user, obj: models.Model) -> bool:
    rule = getattr(type(obj), "ownership", None)
    return bool(rule and rule.matches(user, obj))


def _explicit_grants(membership, verb: str, model) -> set:
    """Object pks granted to the member by django-guardian rows: one query per model and
    verb per request (cached on the membership), so a list asking ``can`` per row stays flat."""
    cache = membership.__dict__.setdefault("_explicit_grants", {})
    key = (model._meta.label, verb)
    if key not in cache:
        from guardian.models import UserObjectPermission

        object_pks = UserObjectPermission.objects.filter(
            user_id=membership.user_id,
            permission__codename=f"{verb}_{model._meta.model_name}",
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        ).values_list("object_pk", flat=True)
        cache[key] = {int(pk) for pk in object_pks}
    return cache[key]
