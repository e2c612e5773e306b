"""The import's value step: for each choice or reference column, the file's distinct wordings
with the value proposed for each (accent- and case-insensitive; the organization's remembered
answers; synonyms kept as data beside the reference libraries; a close spelling), the user's
decisions, the referenced records the file names but the organization lacks (created on
confirmation, in the import's transaction), and the answers remembered for the next import.

Decisions are ``{field: {normalized wording: value}}``; a value is a choice's value, a
record's id, or ``CREATE``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from qse.permissions import can

CREATE = "+"
# How a value was proposed (the page shows it; the first two need no confirmation).
EXACT, REMEMBERED, SYNONYM, CLOSE, NEW, NONE = "exact", "remembered", "synonym", "close", "new", "none"
TO_CONFIRM = {SYNONYM, CLOSE, NEW}
# A wording is taken for a synonym it contains when the synonym is at least this long.
CONTAINED_CHARACTERS = 4
CLOSE_CUTOFF = 0.8
# The distinct wordings a column may show on the value step (a free-text column is not a list).
MAX_DISTINCT = 300


# --- registries --------------------------------------------------------------------------

_synonyms: dict[tuple[str, str], Callable[[], dict[str, str]]] = {}


VALUES_FILE = Path(__file__).parent / "library" / "import-values.yaml"


@cache
def library_synonyms() -> dict[tuple[str, str], dict[str, str]]:
    """(register, field) -> wording -> choice value, from ``import-values.yaml`` (read once)."""
    data = yaml.safe_load(VALUES_FILE.read_text(encoding="utf-8"))
    return {
        (target, name): {word: str(value) for value, words in choices.items() for ws in words.values() for word in ws}
        for target, fields in data["registers"].items() for name, choices in fields.items()
    }


def synonyms_of(target: str, field_name: str) -> dict[str, str]:
    """A field's synonyms: its registered provider's, else the shared library's."""
    provider = _synonyms.get((target, field_name))
    return provider() if provider else library_synonyms().get((target, field_name), {})


def register_value_synonyms(target: str, field_name: str, provider: Callable[[], dict[str, str]]) -> None:
    """Declare where a field's synonyms come from: ``provider()`` returns normalized wording ->
    value (e.g. the INRS hazard families' usual names, kept in their library file)."""
    _synonyms[(target, field_name)] = provider


@dataclass(frozen=True)
class Creator:
    """How the import creates a referenced record the file names (``create(text=..., acting_user=...,
    site=...)``), and who may (``allowed(user)``)."""

    create: Callable
    allowed: Callable
    needs_site: bool = False


_creators: dict[type, Creator] = {}


def register_creator(model, create: Callable, *, allowed: Callable | None = None, needs_site: bool = False) -> None:
    _creators[model] = Creator(create, allowed or (lambda user: can(user, "add", model)), needs_site)


def creator_for(form_field, user) -> Creator | None:
    if not isinstance(form_field, forms.ModelChoiceField):
        return None
    creator = _creators.get(form_field.queryset.model)
    return creator if creator and creator.allowed(user) else None


# --- the plan shown on the value step ----------------------------------------------------


@dataclass
class Wording:
    text: str
    key: str
    count: int
    proposed: str = ""
    how: str = NONE


@dataclass
class ColumnValues:
    column: str
    field: str
    label: str
    options: list[tuple[str, str]]
    wordings: list[Wording] = field(default_factory=list)
    can_create: bool = False
    needs_site: bool = False
    truncated: bool = False


def is_value_field(form_field) -> bool:
    """One choice or one record per cell (a multi-valued cell is read by its own field)."""
    multiple = isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    return isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField) and not multiple


def value_fields(probe, mapping: dict[str, str]) -> dict[str, str]:
    """Column -> field for the mapped columns that take a choice or a record."""
    return {c: n for c, n in mapping.items() if n and n in probe.fields and is_value_field(probe.fields[n])}


class FieldMatcher:
    """Proposes a value for a wording of one field; one query for a reference field."""

    def __init__(self, form_field, *, target: str, name: str, remembered: dict[str, str], user):
        from qse.imports import ChoiceResolver, normalize

        resolver = ChoiceResolver(form_field)
        self.exact = {key: str(value) for key, value in resolver.lookup.items()}
        if resolver.objects:
            label = getattr(form_field, "label_from_instance", str)
            self.options = [(pk, str(label(obj))) for pk, obj in resolver.objects.items()]
        else:
            self.options = [(str(v), str(text)) for v, text in form_field.choices if v != ""]
        valid = {value for value, _label in self.options}
        self.remembered = {key: value for key, value in remembered.items() if value in valid}
        self.synonyms = {normalize(word): value for word, value in synonyms_of(target, name).items()}
        self.creator = creator_for(form_field, user)
        self.model = getattr(form_field, "queryset", None) is not None and form_field.queryset.model

    def propose(self, key: str, text: str) -> tuple[str, str]:
        if key in self.exact:
            return self.exact[key], EXACT
        if key in self.remembered:
            return self.remembered[key], REMEMBERED
        if found := self._synonym(key):
            return found, SYNONYM
        close = difflib.get_close_matches(key, list(self.exact), n=1, cutoff=CLOSE_CUTOFF)
        if close:
            return self.exact[close[0]], CLOSE
        if self.creator and (self.model is not get_user_model() or is_person_name(text)):
            return CREATE, NEW
        return "", NONE

    def _synonym(self, key: str) -> str:
        if key in self.synonyms:
            return self.synonyms[key]
        contained = [word for word in self.synonyms if len(word) >= CONTAINED_CHARACTERS and word in key]
        return self.synonyms[max(contained, key=len)] if contained else ""


def distinct_wordings(cells) -> tuple[list[Wording], bool]:
    """The column's wordings once each (first spelling kept), in the file's order."""
    from qse.imports import normalize

    seen: dict[str, Wording] = {}
    for cell in cells:
        text = str(cell).strip()
        key = normalize(text)
        if not key:
            continue
        if key in seen:
            seen[key].count += 1
        elif len(seen) < MAX_DISTINCT:
            seen[key] = Wording(text=text, key=key, count=1)
    return list(seen.values()), len(seen) >= MAX_DISTINCT


def value_plan(*, frame, mapping: dict[str, str], form_class, user) -> list[ColumnValues]:
    """Every choice or reference column of the mapping with its wordings and proposals."""
    probe = form_class(user=user)
    target = form_class._meta.model._meta.label_lower
    columns = value_fields(probe, mapping)
    remembered = remembered_values(target=target, fields=set(columns.values()))
    plan = []
    for column, name in columns.items():
        form_field = probe.fields[name]
        matcher = FieldMatcher(form_field, target=target, name=name, remembered=remembered.get(name, {}), user=user)
        wordings, truncated = distinct_wordings(frame[column])
        for wording in wordings:
            wording.proposed, wording.how = matcher.propose(wording.key, wording.text)
        plan.append(ColumnValues(
            column=column, field=name, label=str(form_field.label or name), options=matcher.options,
            wordings=wordings, can_create=matcher.creator is not None,
            needs_site=bool(matcher.creator and matcher.creator.needs_site), truncated=truncated,
        ))
    return plan


def needs_confirmation(plan: list[ColumnValues]) -> bool:
    """Something only the user can confirm: a synonym, a close spelling, a record to create."""
    return any(wording.how in TO_CONFIRM for column in plan for wording in column.wordings)


def proposed_decisions(plan: list[ColumnValues]) -> dict[str, dict[str, str]]:
    return {column.field: {w.key: w.proposed for w in column.wordings if w.proposed} for column in plan}


def decisions_from_texts(values: dict) -> dict[str, dict[str, str]]:
    """The API's ``{field: {wording as in the file: value}}`` as decisions."""
    from qse.imports import normalize

    return {
        str(name): {normalize(text): str(value) for text, value in (chosen or {}).items() if normalize(text)}
        for name, chosen in (values or {}).items() if isinstance(chosen, dict)
    }


# --- remembered answers ------------------------------------------------------------------


def remembered_values(*, target: str, fields: set[str]) -> dict[str, dict[str, str]]:
    """The organization's confirmed answers for these fields: one query."""
    from qse.models import ImportValueMapping

    found: dict[str, dict[str, str]] = {}
    if not fields:
        return found
    rows = ImportValueMapping.objects.in_current_organization().filter(target=target, field__in=fields)
    for name, source, value in rows.values_list("field", "source", "value"):
        found.setdefault(name, {})[source] = value
    return found


def remember(*, target: str, answers: list[tuple[str, str, str]]) -> None:
    """Keep (field, wording, value) answers for the organization's next import: one query."""
    from qse.models import ImportValueMapping
    from qse.tenancy import current_organization

    organization = current_organization()
    rows = [
        ImportValueMapping(organization=organization, target=target, field=name, source=key[:200], value=value[:100])
        for name, key, value in answers
    ]
    if rows:
        ImportValueMapping.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["organization", "target", "field", "source"],
            update_fields=["value", "updated_at"],
        )


# --- records created on confirmation ----------------------------------------------------


def create_missing(*, frame, mapping: dict[str, str], decisions: dict, probe, acting_user, site=None) -> int:
    """Create the records the decisions ask for (one per wording, named as in the file) and
    put their ids in place of ``CREATE``; the caller's transaction holds them. Returns how
    many were created."""
    from qse.imports import normalize

    created = 0
    for column, name in value_fields(probe, mapping).items():
        wanted = {key for key, value in decisions.get(name, {}).items() if value == CREATE}
        if not wanted:
            continue
        creator = creator_for(probe.fields[name], acting_user)
        if creator is None:
            raise PermissionDenied(_("You may not create the missing records of “{label}”.").format(label=probe.fields[name].label))
        texts = {}
        for cell in frame[column]:
            texts.setdefault(normalize(cell), str(cell).strip())
        for key in sorted(wanted & set(texts)):
            record = creator.create(text=texts[key], acting_user=acting_user, site=site)
            decisions[name][key] = str(record.pk)
            created += 1
        for key in wanted - set(texts):
            decisions[name].pop(key)
    return created


def unique_code(model, text: str, length: int = 12) -> str:
    """A short code for a created site or process ("Conditionnement" -> CONDITIONNEM), made
    unique in the organization (-2, -3...)."""
    from qse.imports import normalize

    stem = (normalize(text).upper() or "X")[:length]
    taken = set(model.objects.in_current_organization().filter(code__startswith=stem).values_list("code", flat=True))
    code, number = stem, 1
    while code in taken:
        number += 1
        code = f"{stem}-{number}"
    return code


def _create_site(*, text: str, acting_user, site=None):
    from qse.models import Site
    from qse.services import object_create

    return object_create(model=Site, acting_user=acting_user, data={"name": text[:200], "code": unique_code(Site, text)})


def _create_process(*, text: str, acting_user, site=None):
    from qse.models import Process, ProcessKind
    from qse.services import object_create

    data = {"name": text[:200], "code": unique_code(Process, text), "kind": ProcessKind.REALIZATION}
    return object_create(model=Process, acting_user=acting_user, data=data)


_NAME_PARTS = re.compile(r"^(?:m\.|mme|mlle|mr|mrs|ms)\s+", re.IGNORECASE)


def _create_person(*, text: str, acting_user, site=None):
    """A person named in the file (an action owner who does not sign in yet): an account
    without a password (invited later), a contributor of the organization."""
    from qse.imports import normalize
    from qse.models import Membership
    from qse.roles import Role
    from qse.tenancy import current_organization

    if not is_person_name(text):
        raise ValidationError(_("“{name}” is not a person's first and last name.").format(name=text))
    first, _space, last = _NAME_PARTS.sub("", text).partition(" ")
    user_model = get_user_model()
    stem = normalize(text)[:120] or "person"
    username, number = stem, 1
    while user_model.objects.filter(username=username).exists():
        number += 1
        username = f"{stem}{number}"
    user = user_model(username=username, first_name=first[:150], last_name=last[:150])
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, organization=current_organization(), role=Role.CONTRIBUTOR)
    return user


def can_create_people(user) -> bool:
    from qse.models import Membership

    return can(user, "add", Membership)


def is_person_name(text: str) -> bool:
    """What the value step proposes to create as a person: a first and a last name."""
    return "@" not in text and len(_NAME_PARTS.sub("", text).split()) >= 2


def register_default_creators() -> None:
    """People, sites and processes (an app registers its own, e.g. work units)."""
    from qse.models import Process, Site

    register_creator(get_user_model(), _create_person, allowed=can_create_people)
    register_creator(Site, _create_site)
    register_creator(Process, _create_process)


register_default_creators()
