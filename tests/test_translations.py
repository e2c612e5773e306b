"""The French catalog is complete, clean and up to date with the code.

French is the application's first language (LANGUAGE_CODE = "fr"): every string marked
for translation in the code and the templates must have a reviewed French translation.
These tests need no database: they read ``locale/fr/LC_MESSAGES/django.po`` and, for the
up-to-date check, run ``makemessages`` in a temporary copy of the project (so the real
catalog is never touched), then compare.

When a test fails: run
    .venv/bin/python manage.py makemessages -l fr -l en --ignore=.venv --ignore=var \
        --ignore=tests --ignore=node_modules --no-obsolete
translate the new entries in locale/fr/LC_MESSAGES/django.po (no ``fuzzy`` flag left),
then ``.venv/bin/python manage.py compilemessages --ignore=.venv``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRENCH_CATALOG = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"

# The same exclusions as the documented makemessages command.
IGNORED = (".venv", "var", "tests", "node_modules")
# Not copied into the temporary project: environments, data, VCS, caches, the catalogs.
NOT_COPIED_AT_ROOT = {".venv", "var", ".git", "node_modules", "locale", "media", "staticfiles", "tests"}
NOT_COPIED_ANYWHERE = {"__pycache__", ".pytest_cache", ".ruff_cache"}

# No test here uses the database: none has the django_db mark or a db fixture, so
# pytest-django neither creates the test database for them nor lets them connect.


# --- A small PO reader (no dependency) ---------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a PO string: {text!r}")
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def is_fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def untranslated(self) -> bool:
        if self.msgid_plural is not None:
            return not self.msgstr or any(not s for s in self.msgstr.values())
        return not self.msgstr.get(0)

    def __str__(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"line {self.line}: {self.msgid!r}{context}"


def read_po(path: Path) -> list[Entry]:
    """Entries of a PO file; obsolete (``#~``) entries are left out."""
    entries: list[Entry] = []
    entry, target = None, None

    def finish():
        if entry is not None and (entry.msgid or entry.msgstr or entry.msgctxt is not None):
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            entry, target = None, None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is not None and entry.line and entry.msgstr:
                finish()  # comments start the next entry even without a blank line
                entry, target = None, None
            entry = entry or Entry()
            if line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword in ("msgctxt", "msgid") and entry is not None and entry.msgstr:
                finish()
                entry = None
            entry = entry or Entry()
            if not entry.line:
                entry.line = number
            if keyword == "msgctxt":
                entry.msgctxt, target = value, ("msgctxt", None)
            elif keyword == "msgid":
                entry.msgid, target = value, ("msgid", None)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = value, ("msgid_plural", None)
            else:
                slot = int(index) if index is not None else 0
                entry.msgstr[slot], target = value, ("msgstr", slot)
            continue
        if line.startswith('"') and entry is not None and target is not None:
            name, slot = target
            if name == "msgstr":
                entry.msgstr[slot] += _unquote(line)
            else:
                setattr(entry, name, getattr(entry, name) + _unquote(line))
            continue
        raise ValueError(f"{path}:{number}: unexpected line {raw!r}")
    finish()
    return entries


# --- Helpers --------------------------------------------------------------------------------

_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]")
_BRACE = re.compile(r"\{[^{}]*\}")


def _placeholders(text: str, flags: set[str]) -> list[str]:
    found = []
    if "python-format" in flags:
        found += _PERCENT.findall(text)
    if "python-brace-format" in flags:
        found += _BRACE.findall(text.replace("{{", "").replace("}}", ""))
    return sorted(found)


def _french_entries() -> list[Entry]:
    assert FRENCH_CATALOG.is_file(), f"{FRENCH_CATALOG} is missing: run makemessages -l fr"
    return read_po(FRENCH_CATALOG)


def _listing(entries) -> str:
    return "\n  ".join(str(e) for e in entries)


def _copy_project(destination: Path) -> Path:
    def ignore(directory, names):
        skipped = {n for n in names if n in NOT_COPIED_ANYWHERE or n.endswith((".pyc", ".mo"))}
        if Path(directory).resolve() == ROOT:
            skipped |= {n for n in names if n in NOT_COPIED_AT_ROOT}
        return skipped

    project = destination / "project"
    shutil.copytree(ROOT, project, ignore=ignore)
    (project / "locale").mkdir()
    return project


# --- Tests ----------------------------------------------------------------------------------


def test_the_po_reader_understands_plurals_contexts_flags_and_continuation_lines(tmp_path):
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "Hello %(name)s"\nmsgstr "Bonjour %(name)s"\n\n'
        'msgctxt "board"\nmsgid ""\n"Long "\n"text"\nmsgstr[0] ""\n\n'
        'msgid "%(n)s row"\nmsgid_plural "%(n)s rows"\nmsgstr[0] "%(n)s ligne"\nmsgstr[1] ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Parti"\n',
        encoding="utf-8",
    )
    header, hello, long_text, rows = read_po(sample)
    assert header.is_header and header.msgstr[0] == "Language: fr\n"
    assert hello.is_fuzzy and "python-format" in hello.flags and not hello.untranslated
    assert long_text.key == ("board", "Long text") and long_text.untranslated
    assert rows.msgid_plural == "%(n)s rows" and rows.untranslated


def test_every_french_entry_is_translated_and_not_fuzzy():
    entries = _french_entries()
    header = [e for e in entries if e.is_header]
    assert header and not header[0].is_fuzzy, "the catalog header is marked fuzzy"
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header[0].msgstr.get(0, "")
    messages = [e for e in entries if not e.is_header]
    assert messages, "the French catalog has no entry"
    untranslated = [e for e in messages if e.untranslated]
    fuzzy = [e for e in messages if e.is_fuzzy]
    problems = []
    if untranslated:
        problems.append(f"{len(untranslated)} untranslated entries:\n  {_listing(untranslated)}")
    if fuzzy:
        problems.append(f"{len(fuzzy)} fuzzy entries (check them, then remove the flag):\n  {_listing(fuzzy)}")
    assert not problems, f"{FRENCH_CATALOG.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_french_translations_keep_every_placeholder():
    wrong = []
    for entry in _french_entries():
        if entry.is_header or entry.untranslated:
            continue
        if entry.msgid_plural is None:
            expected = {0: _placeholders(entry.msgid, entry.flags)}
        else:
            plural = _placeholders(entry.msgid_plural, entry.flags)
            expected = {n: plural for n in entry.msgstr}
        for slot, translation in entry.msgstr.items():
            if _placeholders(translation, entry.flags) != expected[slot]:
                wrong.append(f"{entry} -> msgstr[{slot}] {translation!r}")
    assert not wrong, "placeholders differ between source and translation:\n  " + "\n  ".join(wrong)


def test_french_catalog_covers_every_string_in_the_code(tmp_path):
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        pytest.fail("GNU gettext (xgettext, msgmerge) is required: apt-get install gettext")
    project = _copy_project(tmp_path)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qse.settings", "PYTHONDONTWRITEBYTECODE": "1"}
    command = [
        sys.executable, "manage.py", "makemessages", "-l", "fr",
        *(f"--ignore={name}" for name in IGNORED), "--no-obsolete", "--no-location",
    ]
    run = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"makemessages failed:\n{run.stdout}\n{run.stderr}"
    extracted = [e for e in read_po(project / "locale" / "fr" / "LC_MESSAGES" / "django.po") if not e.is_header]
    assert extracted, "makemessages found no string to translate: is the extraction broken?"

    catalog = {e.key: e for e in _french_entries() if not e.is_header}
    missing = [e for e in extracted if e.key not in catalog]
    plural_changed = [
        e for e in extracted if e.key in catalog and catalog[e.key].msgid_plural != e.msgid_plural
    ]
    not_ready = [
        catalog[e.key] for e in extracted
        if e.key in catalog and (catalog[e.key].untranslated or catalog[e.key].is_fuzzy)
    ]
    problems = []
    if missing:
        problems.append(f"{len(missing)} strings of the code are not in the catalog:\n  "
                        + "\n  ".join(repr(e.msgid) for e in missing))
    if plural_changed:
        problems.append("plural form changed in the code:\n  " + "\n  ".join(repr(e.msgid) for e in plural_changed))
    if not_ready:
        problems.append(f"{len(not_ready)} strings are untranslated or fuzzy:\n  {_listing(not_ready)}")
    assert not problems, (
        "The French catalog is out of date with the code; run makemessages and translate "
        "(see this module's docstring).\n" + "\n".join(problems)
    )
