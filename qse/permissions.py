"""``can(user, verb, obj)``: the one answer to "may this user do this to this object".

Templates (``{% can %}``), views and the API ask it. It evaluates the same role table
and ownership rules as ``restrict()``, in memory, so a page asking it for each row of a
list costs no query.
"""

from __future__ import annotations

from django.db import models

from qse.roles import ALL, OWN, right_for
from qse.tenancy import current_membership


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
    if verb in {"change", "archive"} and getattr(obj, "archived_at", None):
        return False
    if right == ALL:
        return True
    if right == OWN and _owns(user, obj):
        return True
    return _explicitly_granted(user, verb, obj)


def _owns(user, obj: models.Model) -> bool:
    rule = getattr(type(obj), "ownership", None)
    return bool(rule and rule.matches(user, obj))


def _explicitly_granted(user, verb: str, obj: models.Model) -> bool:
    return user.has_perm(f"{obj._meta.app_label}.{verb}_{obj._meta.model_name}", obj)
