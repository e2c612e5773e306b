"""Uploaded evidence: checked by content, size-limited, stripped of EXIF, stored outside the
code tree under a random name, and served only to users of its organization."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qse.models import Attachment
from qse.roles import Role

GPS_IFD = 0x8825
GPS = {1: "N", 2: (45.0, 46.0, 12.5), 3: "E", 4: (4.0, 50.0, 7.25)}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload_url(target) -> str:
    content_type = ContentType.objects.get_for_model(target)
    return f"/org/attachments/{content_type.pk}/{target.pk}/"


def upload(client, target, name: str, content: bytes, caption: str = "Preuve"):
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    client.cookies.pop("messages", None)  # only this upload's message is read back
    return client.post(upload_url(target), {"file": file, "caption": caption})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def served_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = GPS
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_bytes(size=(32, 32), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def office_bytes(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return buffer.getvalue()


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def attachment_of_b(world) -> Attachment:
    target = world.b.actions[0]
    attachment = Attachment(
        organization=world.b.organization,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        original_name="secret.pdf",
        mime_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    attachment.file.save("secret.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return attachment


def assert_refused(client, world, media_root, name: str, content: bytes, expected: str = "") -> str:
    """Upload as the coordinator of A; nothing is stored and the message says why."""
    before = Attachment.objects.count()
    response = upload(client, world.a.actions[0], name, content)
    assert response.status_code == 302
    assert Attachment.objects.count() == before
    assert stored_files(media_root) == []
    (message,) = messages_of(response)
    assert expected in message
    return message


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.a.users[Role.COORDINATOR])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_photo_is_stored_and_served_without_gps_or_exif(coordinator, world):
    content = jpeg_with_gps()
    with Image.open(io.BytesIO(content)) as original:
        assert original.getexif().get_ifd(GPS_IFD)[2] == (45.0, 46.0, 12.5)

    response = upload(coordinator, world.a.actions[0], "IMG_0001.jpg", content)

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.mime_type == "image/jpeg" and attachment.caption == "Preuve"
    download = coordinator.get(f"/org/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    assert download["X-Content-Type-Options"] == "nosniff"
    served = served_bytes(download)
    assert b"Exif" not in served
    with Image.open(io.BytesIO(served)) as image:
        assert image.size == (64, 48)
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(GPS_IFD) == {}


def test_png_pdf_docx_and_xlsx_files_are_accepted(coordinator, world):
    files = {
        "schema.png": png_bytes(),
        "rapport.pdf": b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n",
        "compte-rendu.docx": office_bytes("word/document.xml"),
        "tableau.xlsx": office_bytes("xl/workbook.xml"),
    }
    for name, content in files.items():
        assert messages_of(upload(coordinator, world.a.actions[0], name, content)) == ["File attached."], name
    assert sorted(Attachment.objects.values_list("mime_type", flat=True)) == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/png",
    ]


def test_an_accented_text_file_longer_than_the_sniffed_prefix_is_accepted(coordinator, world):
    # The 64 KiB cut falls inside a two-byte "é".
    content = ("a" + "é" * 40_000).encode("utf-8")
    response = upload(coordinator, world.a.actions[0], "notes.txt", content)
    assert messages_of(response) == ["File attached."]
    assert Attachment.objects.get().mime_type == "text/plain"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"<html><body><script>alert(1)</script></body></html>"),
        ("rapport.pdf", b"<!DOCTYPE html><html><body>phishing</body></html>"),
        ("rapport.pdf", random.Random(7).randbytes(4096)),
        ("photo.JPG", random.Random(7).randbytes(4096)),
        ("photo.jpeg", png_bytes()),
        ("tableau.xlsx", b"PK\x03\x04" + random.Random(8).randbytes(2048)),
        ("compte-rendu.docx", b"<html>not a document</html>"),
        ("compte-rendu.docx", office_bytes("xl/workbook.xml")),
    ],
    ids=["html-as-jpg", "html-as-pdf", "random-as-pdf", "random-as-JPG", "png-as-jpeg", "broken-zip-as-xlsx",
         "html-as-docx", "xlsx-as-docx"],
)
def test_a_file_whose_content_is_not_what_its_extension_says_is_refused(coordinator, world, media_root, name, content):
    message = assert_refused(coordinator, world, media_root, name, content)
    assert f".{name.rsplit('.', 1)[1].lower()}" in message, message


def test_an_image_bomb_is_refused(coordinator, world, media_root):
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG", optimize=True)
    assert len(buffer.getvalue()) < 100_000  # tiny on disk, 144 megapixels once decoded

    assert_refused(coordinator, world, media_root, "plan.png", buffer.getvalue(), "12000×12000")


def test_a_file_over_the_size_limit_is_refused(coordinator, world, media_root, settings):
    settings.QSE_UPLOAD_MAX_BYTES = 2_000_000
    content = b"%PDF-1.4\n" + b"0" * 2_000_000

    assert_refused(coordinator, world, media_root, "gros.pdf", content, "too large")


def test_a_damaged_jpeg_is_refused(coordinator, world, media_root):
    content = jpeg_with_gps()
    assert_refused(coordinator, world, media_root, "photo.jpg", content[: len(content) // 2], "damaged")


def test_an_attachment_of_another_organization_answers_404(coordinator, world):
    theirs = attachment_of_b(world)

    assert coordinator.get(f"/org/attachments/{theirs.pk}/").status_code == 404
    assert coordinator.post(f"/org/attachments/{theirs.pk}/archive/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.archived_at is None


def test_uploading_onto_a_record_of_another_organization_answers_404(coordinator, world, media_root):
    response = upload(coordinator, world.b.actions[0], "photo.png", png_bytes())

    assert response.status_code == 404
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_user_of_the_same_organization_may_download_and_the_coordinator_may_archive(coordinator, client, world):
    upload(coordinator, world.a.actions[0], "photo.png", png_bytes())
    attachment = Attachment.objects.get()

    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.get(f"/org/attachments/{attachment.pk}/").status_code == 200
    assert client.post(f"/org/attachments/{attachment.pk}/archive/").status_code == 403
    client.force_login(world.a.users[Role.COORDINATOR])
    assert client.post(f"/org/attachments/{attachment.pk}/archive/").status_code == 302
    attachment.refresh_from_db()
    assert attachment.archived_at is not None


def test_files_are_stored_under_media_root_with_a_random_name(coordinator, world, media_root):
    upload(coordinator, world.a.actions[0], "rapport-audit-secret.pdf", b"%PDF-1.4\n%%EOF\n")
    upload(coordinator, world.a.actions[1], "rapport-audit-secret.pdf", b"%PDF-1.4\n%%EOF\n")

    first, second = Attachment.objects.order_by("pk")
    files = stored_files(media_root)
    assert sorted(files) == sorted([Path(first.file.path), Path(second.file.path)])
    code_tree = Path(django_settings.BASE_DIR)
    for attachment in (first, second):
        path = Path(attachment.file.path)
        assert path.is_relative_to(media_root) and not path.is_relative_to(code_tree / "qse")
        assert "rapport" not in attachment.file.name and "secret" not in attachment.file.name
        assert attachment.original_name == "rapport-audit-secret.pdf"
    assert first.file.name != second.file.name
