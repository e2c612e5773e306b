"""Spreadsheet import: read CSV/XLSX, map columns to fields, validate every row with the
model's form, then create all rows in one transaction or none, with a row-by-row report."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.utils import translation
from django.utils.translation import gettext as _

from qse.services import _validate_integrity, recorded
from qse.tenancy import current_organization

MAX_ROWS = 20_000


class ImportFileError(Exception):
    pass


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0


def normalize(text) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


def read_table(content: bytes, filename: str) -> pd.DataFrame:
    """Read by content, not by extension: XLSX is a zip, anything else must be CSV text."""
    if content[:4] == b"PK\x03\x04":
        try:
            frame = pd.read_excel(io.BytesIO(content), dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise ImportFileError(_("This file is not a readable XLSX workbook.")) from exc
    else:
        frame = _read_csv(content)
    frame = frame.dropna(how="all").fillna("")
    if len(frame) > MAX_ROWS:
        raise ImportFileError(_("Too many rows (at most {max}).").format(max=MAX_ROWS))
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _read_csv(content: bytes) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("This file is neither CSV text nor an XLSX workbook."))
    if "\x00" in text:
        raise ImportFileError(_("This file is neither CSV text nor an XLSX workbook."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if text.count(";") > text.count(",") else ","
    try:
        return pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False)
    except Exception as exc:
        raise ImportFileError(_("This CSV file could not be read: {error}").format(error=exc)) from exc


def propose_mapping(columns: list[str], form_class, field_names: list[str]) -> dict[str, str]:
    """Guess column -> field from names and labels, in every language of the UI."""
    base = form_class.base_fields
    keys = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name in field_names:
                keys[normalize(name)] = name
                keys[normalize(str(base[name].label or name))] = name
    return {column: keys.get(normalize(column), "") for column in columns}


class ChoiceResolver:
    """Turns the text of a cell into a form value: a related object by its name, code,
    username or e-mail, a choice by its label in any language of the UI. Built once per
    field: no query per row (``preload`` gives the row forms the objects loaded here)."""

    def __init__(self, form_field):
        self.lookup: dict[str, object] = {}
        self.objects: dict[str, object] = {}
        if isinstance(form_field, forms.ModelChoiceField):
            for obj in form_field.queryset:
                self.objects[str(obj.pk)] = obj
                for key in (obj.pk, str(obj), getattr(obj, "code", None), getattr(obj, "name", None),
                            getattr(obj, "username", None), getattr(obj, "email", None),
                            obj.get_full_name() if hasattr(obj, "get_full_name") else None):
                    if key:
                        self.lookup.setdefault(normalize(key), obj.pk)
        elif isinstance(form_field, forms.ChoiceField):
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for value, label in form_field.choices:
                        if value != "":
                            self.lookup.setdefault(normalize(value), value)
                            self.lookup.setdefault(normalize(label), value)

    def __call__(self, text: str):
        if not self.lookup or text == "":
            return text
        return self.lookup.get(normalize(text), text)

    def preload(self, form_field) -> None:
        """Let a row form's related-object field take its object from this resolver's
        objects (the scoped choices) instead of one query per row."""
        if not self.objects or isinstance(form_field, forms.ModelMultipleChoiceField):
            return
        objects, original = self.objects, form_field.to_python

        def to_python(value):
            if value in form_field.empty_values:
                return None
            key = str(value.pk if isinstance(value, models.Model) else value)
            if key in objects:
                return objects[key]
            return original(value)  # not a scoped choice: the field's own error

        form_field.to_python = to_python


def _date_text(text: str) -> str:
    """Accept French dates (31/12/2026) and spreadsheet timestamps."""
    if not text:
        return text
    try:
        return pd.to_datetime(text, dayfirst="/" in text).date().isoformat()
    except (ValueError, TypeError):
        return text


def bulk_save(instances: list, acting_user) -> None:
    """Default writer: one INSERT per 1,000 rows (history triggers still fire per row)."""
    if instances:
        type(instances[0]).objects.bulk_create(instances, batch_size=1000)


def validate_and_import(*, frame, mapping, form_class, user, acting_user, save=bulk_save) -> ImportResult:
    """``save(instances, acting_user)`` writes the validated rows; a declaration whose model
    needs its service (derived scores...) gives its own."""
    """All or nothing: every row is validated before anything is written."""
    probe = form_class(user=user)
    defaults = _defaults_of_unmapped(probe, set(mapping.values()))
    resolvers = {name: ChoiceResolver(probe.fields[name]) for name in set(mapping.values()) | set(defaults) if name}
    date_fields = {n for n, f in probe.fields.items() if isinstance(f, forms.DateField)}
    result, instances = ImportResult(), []
    for index, row in enumerate(frame.to_dict("records"), start=2):
        data = dict(defaults)
        for column, name in mapping.items():
            if name:
                text = str(row.get(column, "")).strip()
                data[name] = _date_text(text) if name in date_fields else resolvers[name](text)
        form = form_class(data, user=user)
        for name, resolver in resolvers.items():
            resolver.preload(form.fields[name])
        if form.is_valid() and _integrity_errors(form, acting_user) is None:
            instances.append(form.instance)
            continue
        for field_name, messages in form.errors.items():
            label = str(probe.fields[field_name].label) if field_name in probe.fields else ""
            result.errors.extend(RowError(index, label, str(m)) for m in messages)
    if result.errors:
        return result
    try:
        with recorded(acting_user, reason=_("Spreadsheet import")):
            save(instances, acting_user)
    except IntegrityError as exc:  # rows that clash with each other (a code twice)
        result.errors.append(RowError(0, "", _("Rows conflict with each other: {error}").format(error=exc)))
        return result
    result.created = len(instances)
    return result


def _defaults_of_unmapped(probe, mapped: set[str]) -> dict:
    """Fields the file does not give take the model's default (priority, progress...), or
    the form field's initial value (a form may offer the organization's default matrix)."""
    model = probe._meta.model
    defaults = {}
    for name, form_field in probe.fields.items():
        if name in mapped or name == "version":
            continue
        field = model._meta.get_field(name)
        initial = form_field.initial() if callable(form_field.initial) else form_field.initial
        if field.has_default():
            defaults[name] = field.get_default()
        elif initial is not None:
            defaults[name] = initial
    return defaults


def _integrity_errors(form, acting_user):
    """Unique and check constraints involving the organization, added to the form's errors."""
    instance = form.instance
    instance.organization = current_organization()
    instance.created_by = acting_user
    try:
        _validate_integrity(instance)
    except ValidationError as error:
        form.add_error(None, error)
        return error
    return None
