"""Checks on uploaded evidence: by content (not by name), size, image bombs; EXIF removed."""

from __future__ import annotations

import codecs
import hashlib
import io
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALLOWED_TYPES = {
    "image/jpeg", "image/png", "image/webp", "application/pdf", DOCX, XLSX,
    "application/zip", "text/plain", "text/csv",
}
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# What these extensions promise, the content must be: otherwise an HTML page named
# "photo.jpg" passes as plain text and reaches colleagues under an image's name.
EXTENSION_TYPES = {
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
    "pdf": "application/pdf", "docx": DOCX, "xlsx": XLSX,
}


@dataclass
class CheckedFile:
    content: bytes
    mime_type: str
    sha256: str


def check_upload(content: bytes, name: str) -> CheckedFile:
    if len(content) > settings.QSE_UPLOAD_MAX_BYTES:
        limit = filesizeformat(settings.QSE_UPLOAD_MAX_BYTES)
        raise ValidationError(_("The file is too large (at most {size}).").format(size=limit))
    if not content:
        raise ValidationError(_("The file is empty."))
    mime_type = _sniff(content, name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in EXTENSION_TYPES and EXTENSION_TYPES[extension] != mime_type:
        raise ValidationError(
            _("The content of this file does not match its extension (.{extension}).").format(extension=extension)
        )
    if mime_type not in ALLOWED_TYPES:
        raise ValidationError(_("This type of file is not accepted ({type}).").format(type=mime_type))
    if mime_type in IMAGE_FORMATS:
        content = clean_image(content, IMAGE_FORMATS[mime_type])
    return CheckedFile(content, mime_type, hashlib.sha256(content).hexdigest())


def _sniff(content: bytes, name: str) -> str:
    kind = filetype.guess(content)
    if kind is not None:
        if kind.mime == "application/zip" and name.lower().endswith((".docx", ".xlsx")):
            return _office_type(content)
        return kind.mime
    try:
        # Incremental: the 64 KiB cut may fall inside an accented character.
        codecs.getincrementaldecoder("utf-8")().decode(content[:65536], final=False)
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/csv" if name.lower().endswith(".csv") else "text/plain"


def _office_type(content: bytes) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        # A damaged archive is a refusal for the caller, not a server error.
        return "application/octet-stream"
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return "application/zip"


def clean_image(content: bytes, image_format: str) -> bytes:
    """Refuse decompression bombs; re-encode without metadata (EXIF GPS included)."""
    try:
        with warnings.catch_warnings():
            # PIL warns past its own pixel limit as soon as it reads the size; ours decides below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(content))
        with probe:
            width, height = probe.size
            if width * height > settings.QSE_IMAGE_MAX_PIXELS:
                raise ValidationError(_("The image is too large ({w}×{h} pixels).").format(w=width, h=height))
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image = ImageOps.exif_transpose(image)
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            output = io.BytesIO()
            image.save(output, format=image_format, quality=88)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("This image is damaged or unreadable.")) from exc
    return output.getvalue()
