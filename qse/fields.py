"""Field-level rules: a field of a record that only some users may see (an accident
victim's identity, a reporter's phone number), declared once on the model::

    restricted_fields = {"victim": ShownTo("nonconformities.Person")}

and read by everything that shows, sorts, filters or exports fields: the detail page, the
history, list tables and their CSV/XLSX exports, filter sets (pages and API), forms and
their choices, the import mapping, the API serializers and the PDFs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class ShownTo:
    """The field is shown to who may ``verb`` the model ``model_label`` (its owner data)."""

    model_label: str
    verb: str = "view"

    def allows(self, user) -> bool:
        from qse.permissions import can

        return user is not None and can(user, self.verb, apps.get_model(self.model_label))


def hidden_fields(user, model) -> frozenset[str]:
    """Names of ``model``'s fields this user may not see (none for a model without rules)."""
    rules = getattr(model, "restricted_fields", None) or {}
    return frozenset(name for name, rule in rules.items() if not rule.allows(user))


def may_see_field(user, model, name: str) -> bool:
    return name not in hidden_fields(user, model)


def touches_hidden(path: str, hidden: frozenset[str]) -> bool:
    """Whether a lookup path (``victim__full_name``, ``-victim``, ``victim.full_name``) reads
    a hidden field."""
    first = path.lstrip("-").replace(".", "__").split("__", 1)[0]
    return first in hidden or first.removesuffix("_id") in hidden


class RestrictedFieldsSerializerMixin:
    """A serializer without the fields its reader may not see: neither read, written,
    nor offered to the ordering filter (without a request, every restricted field goes)."""

    def get_fields(self):
        fields = super().get_fields()
        request = getattr(self, "context", {}).get("request")
        for name in hidden_fields(getattr(request, "user", None), self.Meta.model):
            fields.pop(name, None)
        return fields
