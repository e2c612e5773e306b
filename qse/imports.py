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
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.forms.models import construct_instance
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from qse import import_sheets
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
    row: int  # as the user sees it in the file (0: the whole file)
    field: str
    message: str
    column: str = ""  # the file's header, as written there


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    references: int = 0  # records the value step asked to create


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
        grid = _read_xlsx(content)
    else:
        grid = _read_csv(content)
    # Title rows above the header and merged cells are normal in a company's file; every
    # row keeps the number the user sees in Excel (the frame's index).
    frame = import_sheets.grid_frame(grid, COLUMN_NAME_CHARACTERS)
    _check_shape(len(frame), len(frame.columns))
    return frame


def _check_shape(rows: int, columns: int) -> None:
    if rows > settings.QSE_IMPORT_MAX_ROWS:
        raise ImportFileError(_("Too many rows (at most {max}).").format(max=settings.QSE_IMPORT_MAX_ROWS))
    if columns > MAX_COLUMNS:
        raise ImportFileError(_("Too many columns (at most {max}).").format(max=MAX_COLUMNS))


def _read_xlsx(content: bytes) -> import_sheets.Grid:
    _check_inflated_size(content)
    try:
        _check_xlsx_shape(content)
        return import_sheets.xlsx_grid(content)
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


def _read_csv(content: bytes) -> import_sheets.Grid:
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
        return import_sheets.csv_grid(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
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
    """Guess column -> field from headers as companies write them (``qse.import_columns``)."""
    from qse.import_columns import propose_columns

    return propose_columns(columns, form_class, field_names)


class ChoiceResolver:
    """Turns the text of a cell into a form value: a related object by its name, code,
    username or e-mail, a choice by its label in any language of the UI. Built once per
    field: no query per row (``preload`` gives the row forms the objects loaded here)."""

    def __init__(self, form_field):
        self.lookup: dict[str, object] = {}
        self.objects: dict[str, object] = {}
        self.decided: dict[str, str] = {}  # the value step's answers (``answered``)
        self.remembered: dict[str, str] = {}
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
        if text == "":
            return text
        key = normalize(text)
        if key in self.decided:
            return self.decided[key]
        if key in self.lookup:
            return self.lookup[key]
        return self.remembered.get(key, text)

    def accepts(self, value: str) -> bool:
        """A value of this field's choices (a scoped record's id, a choice's value)."""
        return value in self.objects if self.objects else value in {str(v) for v in self.lookup.values()}

    def answered(self, *, decided: dict, remembered: dict) -> ChoiceResolver:
        """Take the user's decisions first, then exact matches, then remembered answers."""
        self.decided = {key: value for key, value in decided.items() if value}
        self.remembered = remembered
        return self

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


def _cell_value(text: str, form_field):
    """A cell as its form field reads it: strict dates, French numbers ("1 234,5")."""
    if isinstance(form_field, forms.DateField) and not isinstance(form_field, forms.DateTimeField):
        return import_sheets.date_text(text)
    if isinstance(form_field, forms.BooleanField):
        return _boolean_text(text)
    if isinstance(form_field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        text = re.sub(r"[\s\u00a0\u202f]", "", text)
        return text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    return text


# A yes/no cell as companies write it; anything else is refused (a checkbox field would
# otherwise read "Non" as checked).
YES = {"oui", "o", "yes", "y", "x", "1", "vrai", "true"}
NO = {"non", "n", "no", "0", "faux", "false", ""}


def _boolean_text(text: str) -> str:
    key = normalize(text)
    if key in YES:
        return "true"
    if key in NO:
        return "false"
    raise import_sheets.CellTextError(_("“{value}” is not yes or no.").format(value=text))


def bulk_save(instances: list, acting_user) -> None:
    """Default writer: one INSERT per 1,000 rows (history triggers still fire per row)."""
    if instances:
        type(instances[0]).objects.bulk_create(instances, batch_size=1000)


def validate_and_import(
    *, frame, mapping, form_class, user, acting_user, save=bulk_save, decisions=None, site=None
) -> ImportResult:
    """All or nothing: every row is validated before anything is written.

    ``decisions`` are the value step's answers (``qse.import_values``): the records it asks
    to create are created first, in the same transaction, so a refused row leaves none of
    them. ``save(instances, acting_user)`` writes the validated rows; a declaration whose
    model needs its service (derived scores...) gives its own. The number of queries does
    not grow with the rows: related objects come from one query per column, and unique and
    check constraints are left to the database at the insert; only when it refuses are the
    rows checked one by one, to say which ones. Rows are numbered as in the file (the
    frame's index) and errors name the file's column.
    """
    from qse import import_values

    decisions = {name: dict(chosen) for name, chosen in (decisions or {}).items()}
    # The user's answers (not the records to create), remembered even when rows are refused:
    # once the file is corrected, the next upload proposes them.
    answers = [(name, key, value) for name, chosen in decisions.items() for key, value in chosen.items()
               if value and value != import_values.CREATE]
    probe = form_class(user=user)
    checked = _Checked()
    result = ImportResult()
    try:
        with recorded(acting_user, reason=_("Spreadsheet import")):
            result.references = import_values.create_missing(
                frame=frame, mapping=mapping, decisions=decisions, probe=probe, acting_user=acting_user, site=site,
            )
            resolvers = _check_rows(checked, result, frame=frame, mapping=mapping, form_class=form_class,
                                    probe=probe, user=user, acting_user=acting_user, decisions=decisions)
            if result.errors:
                transaction.set_rollback(True)
            else:
                save(checked.instances, acting_user)
        import_values.remember(target=form_class._meta.model._meta.label_lower, answers=[
            (name, key, value) for name, key, value in answers
            if name in resolvers and resolvers[name].accepts(value)
            and str(resolvers[name].lookup.get(key)) != value  # an exact match needs no memory
        ])
    except IntegrityError as exc:
        result.errors = _integrity_report(checked.instances, checked.rows, probe) or [
            RowError(0, "", _("Rows conflict with each other: {error}").format(error=exc))
        ]
    except ValidationError as exc:  # a service's own guard (its form checks the same rules)
        result.errors = [RowError(0, "", message) for message in exc.messages]
    except PermissionDenied as exc:
        result.errors = [RowError(0, "", str(exc))]
    if result.errors:
        result.references = 0
        return result
    result.created = len(checked.instances)
    return result


@dataclass
class _Checked:
    instances: list = field(default_factory=list)
    rows: list = field(default_factory=list)


def _check_rows(checked, result, *, frame, mapping, form_class, probe, user, acting_user, decisions) -> dict:
    """Validate every row with the form; the valid ones go to ``checked``, the others'
    errors to ``result``. Returns the resolvers (what an exact match would have given)."""
    from qse import import_values

    defaults = _defaults_of_unmapped(probe, set(mapping.values()))
    names = set(mapping.values()) | set(defaults)
    remembered = import_values.remembered_values(target=form_class._meta.model._meta.label_lower, fields=names)
    resolvers = {
        name: ChoiceResolver(probe.fields[name]).answered(decided=decisions.get(name, {}),
                                                          remembered=remembered.get(name, {}))
        for name in names if name
    }
    columns = {name: column for column, name in mapping.items() if name}
    row_form_class = type(f"Import{form_class.__name__}", (_RowChecks, form_class), {})
    for index, row in zip(frame.index, frame.to_dict("records"), strict=True):
        data, cell_errors = dict(defaults), []
        for column, name in mapping.items():
            if name:
                data[name], error = _read_cell(str(row.get(column, "")).strip(), probe.fields[name], resolvers[name])
                if error:
                    cell_errors.append(RowError(index, str(probe.fields[name].label or name), error, column))
        form = row_form_class(data, user=user)
        for name, resolver in resolvers.items():
            resolver.preload(form.fields[name])
        if form.is_valid() and not cell_errors:
            form.instance.organization = current_organization()
            form.instance.created_by = acting_user
            checked.instances.append(form.instance)
            checked.rows.append(index)
            continue
        result.errors.extend(cell_errors)
        wrong = {error.field for error in cell_errors}
        result.errors.extend(e for e in _row_errors(index, form.errors, probe, columns) if e.field not in wrong)
    result.errors.extend(_duplicates(checked.instances, checked.rows, probe))
    return resolvers


def _read_cell(text: str, form_field, resolver) -> tuple[object, str]:
    """(value for the form, error of the cell or "")."""
    try:
        return resolver(_cell_value(text, form_field)), ""
    except import_sheets.CellTextError as error:
        return "", str(error)


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


def _row_errors(index: int, errors: dict, probe, columns: dict | None = None) -> list[RowError]:
    found = []
    for field_name, messages in errors.items():
        label = str(probe.fields[field_name].label) if field_name in probe.fields else ""
        column = (columns or {}).get(field_name, "")
        found.extend(RowError(index, label, str(m), column) for m in messages)
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
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a column of the import form only (the DUERP's planned action)
            continue
        initial = form_field.initial() if callable(form_field.initial) else form_field.initial
        if field.has_default():
            defaults[name] = field.get_default()
        elif initial is not None:
            defaults[name] = initial
    return defaults
