"""Spreadsheet import: read CSV/XLSX, map columns to fields, validate every row with the
model's form, then create all rows in one transaction or none, with a row-by-row report."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field

import pandas as pd
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.forms.models import construct_instance
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from qse.services import _validate_integrity, recorded
from qse.tenancy import current_organization

# Past this ratio of inflated to compressed size, a workbook's part is a zip bomb.
MAX_COMPRESSION_RATIO = 200
# A header wider than this is not a register (and every column is echoed on the mapping page).
MAX_COLUMNS = 200
# What the mapping page and the error report show of a cell, a column name or a message.
SHOWN_CHARACTERS = 80
COLUMN_NAME_CHARACTERS = 100


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


def clip(text, limit: int = SHOWN_CHARACTERS) -> str:
    """A cell as a page may show it: at most ``limit`` characters."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_upload(upload) -> bytes:
    """The uploaded file's bytes, refused by its size before it is read into memory."""
    if upload.size > settings.QSE_IMPORT_MAX_BYTES:
        raise ImportFileError(_too_large(settings.QSE_IMPORT_MAX_BYTES))
    return upload.read()


def _too_large(limit: int) -> str:
    return _("The file is too large (at most {size}).").format(size=filesizeformat(limit))


def read_table(content: bytes, filename: str) -> pd.DataFrame:
    """Read by content, not by extension: XLSX is a zip, anything else must be CSV text.

    Size, inflated size, rows and columns are checked before the file becomes a table, so a
    hostile file costs a bounded amount of memory and time.
    """
    if len(content) > settings.QSE_IMPORT_MAX_BYTES:
        raise ImportFileError(_too_large(settings.QSE_IMPORT_MAX_BYTES))
    if content[:4] == b"PK\x03\x04":
        frame = _read_xlsx(content)
    else:
        frame = _read_csv(content)
    frame = frame.dropna(how="all").fillna("")
    _check_shape(len(frame), len(frame.columns))
    frame.columns = [str(c).strip()[:COLUMN_NAME_CHARACTERS] for c in frame.columns]
    return frame


def _check_shape(rows: int, columns: int) -> None:
    if rows > settings.QSE_IMPORT_MAX_ROWS:
        raise ImportFileError(_("Too many rows (at most {max}).").format(max=settings.QSE_IMPORT_MAX_ROWS))
    if columns > MAX_COLUMNS:
        raise ImportFileError(_("Too many columns (at most {max}).").format(max=MAX_COLUMNS))


def _read_xlsx(content: bytes) -> pd.DataFrame:
    _check_inflated_size(content)
    try:
        _check_xlsx_shape(content)
        return pd.read_excel(io.BytesIO(content), dtype=str, engine="openpyxl")
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise ImportFileError(_("This file is not a readable XLSX workbook.")) from exc


def _check_inflated_size(content: bytes) -> None:
    """A zip bomb (35 KB that inflate to gigabytes) is refused from the archive's directory
    alone; Python's zipfile then never inflates a member past its declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ImportFileError(_("This file is not a readable XLSX workbook.")) from exc
    inflated = sum(member.file_size for member in members)
    if any(_is_bomb(member) for member in members) or inflated > settings.QSE_IMPORT_MAX_INFLATED_BYTES:
        limit = filesizeformat(settings.QSE_IMPORT_MAX_INFLATED_BYTES)
        raise ImportFileError(_("The workbook is too large once uncompressed (at most {size}).").format(size=limit))


def _is_bomb(member: zipfile.ZipInfo) -> bool:
    """A part that inflates far more than any spreadsheet does (a sheet's XML compresses
    about 10:1; blank space padded to fill memory, 1000:1)."""
    return member.file_size > 1024 * 1024 and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)


def _check_xlsx_shape(content: bytes) -> None:
    """Count the first sheet's rows and columns by streaming it, stopping past the limits."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = 0
        for row in sheet.iter_rows(values_only=True):
            if any(value not in (None, "") for value in row):
                rows += 1
                _check_shape(rows - 1, len(row))
    finally:
        workbook.close()


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
    _check_csv_shape(text, delimiter)
    try:
        return pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False)
    except Exception as exc:
        raise ImportFileError(_("This CSV file could not be read: {error}").format(error=clip(exc))) from exc


def _check_csv_shape(text: str, delimiter: str) -> None:
    """Count records (quoted new lines included) without building the table."""
    rows = -1  # the header row
    try:
        for record in csv.reader(io.StringIO(text), delimiter=delimiter):
            if any(cell.strip() for cell in record):
                rows += 1
                _check_shape(rows, len(record))
    except csv.Error as exc:
        raise ImportFileError(_("This CSV file could not be read: {error}").format(error=clip(exc))) from exc


# --- the pending upload, between the upload and the mapping --------------------------
# A private file under MEDIA_ROOT (never served: attachments go through a view), not the
# cache: the cache is the broker's Redis, and a few large uploads would fill it. Bounded by
# the file size limit, by PENDING_PER_USER and by age.
PENDING_DIR = "imports/pending"
PENDING_SECONDS = 3600
PENDING_PER_USER = 3
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _pending_dir(*, organization_id: int, user_id: int) -> str:
    return f"{PENDING_DIR}/{organization_id}/{user_id}"


def pending_save(*, content: bytes, organization_id: int, user_id: int) -> str:
    """Keep an upload for its mapping step; return its token (the user's older ones go)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    directory = _pending_dir(organization_id=organization_id, user_id=user_id)
    _pending_sweep(directory, keep=PENDING_PER_USER - 1)
    token = uuid.uuid4().hex
    default_storage.save(f"{directory}/{token}", ContentFile(content))
    return token


def pending_read(*, token: str, organization_id: int, user_id: int) -> bytes | None:
    """The user's pending upload, or None when unknown, someone else's or expired."""
    from django.core.files.storage import default_storage

    if not _TOKEN.match(token or ""):
        return None
    name = f"{_pending_dir(organization_id=organization_id, user_id=user_id)}/{token}"
    if not default_storage.exists(name) or _age(name) > PENDING_SECONDS:
        return None
    with default_storage.open(name, "rb") as file:
        return file.read()


def pending_delete(*, token: str, organization_id: int, user_id: int) -> None:
    from django.core.files.storage import default_storage

    if _TOKEN.match(token or ""):
        default_storage.delete(f"{_pending_dir(organization_id=organization_id, user_id=user_id)}/{token}")


def _age(name: str) -> float:
    from django.core.files.storage import default_storage
    from django.utils import timezone

    return (timezone.now() - default_storage.get_modified_time(name)).total_seconds()


def _pending_sweep(directory: str, keep: int) -> None:
    """Remove the expired uploads of this directory and all but the ``keep`` newest."""
    from django.core.files.storage import default_storage

    if not default_storage.exists(directory):
        return
    names = [f"{directory}/{name}" for name in default_storage.listdir(directory)[1]]
    names.sort(key=_age)
    for index, name in enumerate(names):
        if index >= keep or _age(name) > PENDING_SECONDS:
            default_storage.delete(name)


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
    """All or nothing: every row is validated before anything is written.

    ``save(instances, acting_user)`` writes the validated rows; a declaration whose model
    needs its service (derived scores...) gives its own. The number of queries does not
    grow with the rows: related objects come from one query per column, and unique and
    check constraints are left to the database at the insert; only when it refuses are the
    rows checked one by one, to say which ones.
    """
    probe = form_class(user=user)
    defaults = _defaults_of_unmapped(probe, set(mapping.values()))
    resolvers = {name: ChoiceResolver(probe.fields[name]) for name in set(mapping.values()) | set(defaults) if name}
    date_fields = {n for n, f in probe.fields.items() if isinstance(f, forms.DateField)}
    row_form_class = type(f"Import{form_class.__name__}", (_RowChecks, form_class), {})
    result, instances, rows = ImportResult(), [], []
    for index, row in enumerate(frame.to_dict("records"), start=2):
        data = dict(defaults)
        for column, name in mapping.items():
            if name:
                text = str(row.get(column, "")).strip()
                data[name] = _date_text(text) if name in date_fields else resolvers[name](text)
        form = row_form_class(data, user=user)
        for name, resolver in resolvers.items():
            resolver.preload(form.fields[name])
        if form.is_valid():
            form.instance.organization = current_organization()
            form.instance.created_by = acting_user
            instances.append(form.instance)
            rows.append(index)
            continue
        result.errors.extend(_row_errors(index, form.errors, probe))
    result.errors.extend(_duplicates(instances, rows, probe))
    if result.errors:
        return result
    try:
        with recorded(acting_user, reason=_("Spreadsheet import")):
            save(instances, acting_user)
    except IntegrityError as exc:
        result.errors = _integrity_report(instances, rows, probe) or [
            RowError(0, "", _("Rows conflict with each other: {error}").format(error=exc))
        ]
        return result
    except ValidationError as exc:  # a service's own guard (its form checks the same rules)
        result.errors = [RowError(0, "", message) for message in exc.messages]
        return result
    result.created = len(instances)
    return result


class _RowChecks:
    """A row form without Django's per-row queries: its related objects already come from
    the scoped choices (the existence check again is one query per row and per column),
    and its constraints are checked by the database at the insert."""

    def _post_clean(self):
        related = {name for name, field in self.fields.items() if isinstance(field, forms.ModelChoiceField)}
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as error:
            self._update_errors(error)
        try:
            self.instance.full_clean(
                exclude=self._get_validation_exclusions() | related, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self._update_errors(error)


def _row_errors(index: int, errors: dict, probe) -> list[RowError]:
    found = []
    for field_name, messages in errors.items():
        label = str(probe.fields[field_name].label) if field_name in probe.fields else ""
        found.extend(RowError(index, label, str(m)) for m in messages)
    return found


def _unique_field_sets(model) -> list[tuple[str, ...]]:
    """Unconditional unique constraints and unique fields, as attribute names."""
    sets = [(field.attname,) for field in model._meta.concrete_fields if field.unique and not field.primary_key]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is None:
            sets.append(tuple(model._meta.get_field(name).attname for name in constraint.fields))
    return sets


def _duplicates(instances: list, rows: list[int], probe) -> list[RowError]:
    """Rows that repeat another row's unique values (a reference twice in the file)."""
    if not instances:
        return []
    model, errors = type(instances[0]), []
    for names in _unique_field_sets(model):
        seen: dict[tuple, int] = {}
        for instance, row in zip(instances, rows, strict=True):
            key = tuple(getattr(instance, name) for name in names)
            if any(value in (None, "") for value in key):
                continue
            if key in seen:
                label = ", ".join(
                    str(probe.fields[n].label) for n in names if n in probe.fields
                ) or ", ".join(names)
                message = _("Same {fields} as row {row}.").format(fields=label, row=seen[key])
                errors.append(RowError(row, label, message))
            else:
                seen[key] = row
    return errors


def _integrity_report(instances: list, rows: list[int], probe) -> list[RowError]:
    """After the database refused the insert: which rows break a unique or check constraint."""
    errors = []
    for instance, row in zip(instances, rows, strict=True):
        try:
            _validate_integrity(instance)
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            errors.extend(_row_errors(row, messages, probe))
    return errors


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
