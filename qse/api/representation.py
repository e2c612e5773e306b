"""A serializer's output, row by row, without DRF's per-field machinery.

DRF's ``Serializer.to_representation`` walks the readable fields through a generator, asks each
one for its value through ``get_attribute`` (a generic path for dotted sources, callables and
missing keys) and then converts it: at ``limit=1000`` that bookkeeping, 30 fields a row, was
two thirds of an API list's time. The plan below is built once per serializer instance (a list
serializer has one child, so once per list) from the SAME declared fields, and keeps DRF's
answer for every field it does not know to be simple: one source of truth, the serializer.

What is read directly: a concrete column of the model (``title``), a foreign key's id
(``owner`` -> ``owner_id``, the value DRF's pk-only optimisation returns). What is converted
directly: the conversions whose DRF code is a builtin (``str``, ``int``) or is the identity on
the type the column holds (a ``bool``, a choice's ``str``). Anything else (a method field, a
property, a date, a decimal, many-to-many ids, a nested serializer, an overridden field) goes
through the field's own ``get_attribute`` and ``to_representation``.
``tests/qse/test_api_representation.py`` compares the two on every registered API list.
"""

from __future__ import annotations

import operator

from django.core.exceptions import FieldDoesNotExist
from rest_framework import fields as drf_fields
from rest_framework import relations
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

_SKIP = object()


def representation_plan(serializer) -> list[tuple[str, object, object]]:
    """For each readable field: its name, how to read the row's value, how to convert it."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    return [(field.field_name, *_read_and_convert(field, model)) for field in serializer._readable_fields]


def represent(plan, instance) -> dict:
    """The row's JSON-ready dict, as ``Serializer.to_representation`` gives it."""
    ret = {}
    for name, read, convert in plan:
        value = read(instance)
        if value is _SKIP:
            continue
        ret[name] = None if value is None else convert(value)
    return ret


def _read_and_convert(field, model):
    column = _column(field, model)
    if column is not None and type(field).get_attribute is drf_fields.Field.get_attribute:
        return operator.attrgetter(column.attname), _converter(field, column)
    if column is not None and _is_pk_only(field) and column.is_relation:
        # DRF returns PKOnlyObject(pk=row.owner_id), then its .pk: the id itself.
        return operator.attrgetter(column.attname), _identity
    return _generic_reader(field), _generic_converter(field)


def _column(field, model):
    """The concrete, single-valued model field a serializer field reads, else None."""
    if model is None or len(field.source_attrs) != 1:
        return None
    try:
        column = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None
    if not getattr(column, "concrete", False) or column.many_to_many:
        return None
    if column.is_relation and column.name != field.source_attrs[0]:
        return None
    return column


def _is_pk_only(field) -> bool:
    from qse.api.viewsets import ScopedRelatedField

    return (
        isinstance(field, ScopedRelatedField)
        and type(field).get_attribute is ScopedRelatedField.get_attribute
        and type(field).to_representation is relations.PrimaryKeyRelatedField.to_representation
        and field.pk_field is None
        and field.use_pk_only_optimization()
    )


def _converter(field, column):
    """A faster equal of ``field.to_representation`` for the column's values, else the field's own."""
    if column.is_relation:
        return _generic_converter(field)  # a related field reading a column: DRF's own path
    own = type(field).to_representation
    if own is drf_fields.CharField.to_representation:
        return str  # DRF: ``str(value)``
    if own is drf_fields.IntegerField.to_representation:
        return int  # DRF: ``int(value)``
    if own is drf_fields.BooleanField.to_representation:
        fallback = field.to_representation
        return lambda value: value if value.__class__ is bool else fallback(value)
    if own is drf_fields.ChoiceField.to_representation:
        choices, fallback = field.choice_strings_to_values, field.to_representation
        return lambda value: choices.get(value, value) if value.__class__ is str else fallback(value)
    return field.to_representation


def _identity(value):
    return value


def _generic_reader(field):
    def read(instance):
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            return _SKIP
        if isinstance(attribute, PKOnlyObject) and attribute.pk is None:
            return None
        return attribute

    return read


def _generic_converter(field):
    return field.to_representation
