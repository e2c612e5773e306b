"""Hostile spreadsheets are refused before they are parsed: too many bytes, a zip bomb, too
many rows or columns; the pending upload is kept in bounded private storage (not in the
broker's Redis), and no page echoes a whole cell."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.cache import cache

from qse.models import Site
from qse.roles import Role

URL = "/org/sites/import/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.a.users[Role.COORDINATOR])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def named(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def csv_rows(count: int, cell: str = "Lyon") -> bytes:
    lines = ["name;code;city"] + [f"Site {i};S{i};{cell}" for i in range(count)]
    return "\n".join(lines).encode()


def zip_bomb_xlsx(megabytes: int = 30) -> bytes:
    """A workbook of about 35 KB whose sheet inflates to 30 MB (blank space compresses 1000:1)."""
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["name", "code"])
    workbook.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<sheetData>", b"<sheetData>" + b" " * (megabytes * 1024 * 1024), 1)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return bomb.getvalue()


def refusal(response) -> str:
    assert response.status_code == 400
    return " ".join(response.context["upload_form"].errors["file"])


def test_a_6_mb_csv_is_refused_before_it_is_read(coordinator, monkeypatch):
    import qse.imports

    monkeypatch.setattr(qse.imports, "_read_csv", lambda *a: pytest.fail("the file was parsed"))
    content = csv_rows(10) + b"\n" + b"#" * (6 * 1024 * 1024)
    assert len(content) > 6 * 1024 * 1024
    message = refusal(coordinator.post(URL, {"file": named(content, "sites.csv")}))
    assert "too large" in message and "5.0\xa0MB" in message


def test_a_zip_bomb_workbook_is_refused_by_its_inflated_size(coordinator, monkeypatch):
    import pandas

    monkeypatch.setattr(pandas, "read_excel", lambda *a, **k: pytest.fail("the workbook was parsed"))
    content = zip_bomb_xlsx()
    assert len(content) < 60 * 1024
    message = refusal(coordinator.post(URL, {"file": named(content, "sites.xlsx")}))
    assert "uncompressed" in message and "50.0\xa0MB" in message


def test_a_workbook_inflating_past_the_limit_is_refused_whatever_its_ratio(coordinator, settings):
    settings.QSE_IMPORT_MAX_INFLATED_BYTES = 100_000
    workbook = openpyxl.Workbook()
    for i in range(3000):
        workbook.active.append([f"Site {i}", f"S{i}", f"Ville numéro {i * 7919 % 10007}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    message = refusal(coordinator.post(URL, {"file": named(buffer.getvalue(), "sites.xlsx")}))
    assert "uncompressed" in message


def test_a_30000_row_csv_is_refused_before_it_becomes_a_table(coordinator, monkeypatch):
    import pandas

    monkeypatch.setattr(pandas, "read_csv", lambda *a, **k: pytest.fail("the rows were parsed"))
    message = refusal(coordinator.post(URL, {"file": named(csv_rows(30_000), "sites.csv")}))
    assert "Too many rows" in message and "20000" in message.replace(",", "").replace("\xa0", "").replace(" ", "")


def test_a_30000_row_workbook_is_refused_too(coordinator, settings):
    settings.QSE_IMPORT_MAX_ROWS = 100
    workbook = openpyxl.Workbook()
    for i in range(150):
        workbook.active.append([f"Site {i}", f"S{i}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "Too many rows" in refusal(coordinator.post(URL, {"file": named(buffer.getvalue(), "sites.xlsx")}))


def test_the_limits_are_settings(coordinator, settings):
    settings.QSE_IMPORT_MAX_BYTES = 1000
    message = refusal(coordinator.post(URL, {"file": named(csv_rows(100), "sites.csv")}))
    assert "too large" in message


def test_the_pending_upload_is_a_private_file_not_a_redis_key(coordinator, media_root, world):
    cache.clear()
    page = coordinator.post(URL, {"file": named(csv_rows(3), "sites.csv")})
    assert page.status_code == 200
    token = page.context["token"]
    assert cache._cache.get_client(None).keys("*import*") == []
    pending = [p for p in media_root.rglob("*") if p.is_file()]
    assert len(pending) == 1 and token in pending[0].name
    mapping = {"map_name": "name", "map_code": "code", "map_city": "city"}
    assert coordinator.post(URL, {"token": token, **mapping}).status_code == 302
    assert Site.objects.filter(organization=world.a.organization, code__in=["S0", "S1", "S2"]).count() == 3
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


def test_someone_elses_pending_upload_cannot_be_imported(coordinator, client, world):
    page = coordinator.post(URL, {"file": named(csv_rows(3), "sites.csv")})
    token = page.context["token"]
    client.force_login(world.a.users[Role.ADMIN])
    response = client.post(URL, {"token": token, "map_name": "name", "map_code": "code"}, follow=True)
    assert "expired" in response.content.decode()
    assert not Site.objects.filter(code="S0").exists()
    bogus = client.post(URL, {"token": "../../etc/passwd", "map_name": "name"}, follow=True)
    assert "expired" in bogus.content.decode()


def test_the_mapping_page_and_the_errors_never_echo_a_whole_cell(coordinator):
    long_cell = "A" * 5000
    page = coordinator.post(URL, {"file": named(csv_rows(2, cell=long_cell), "sites.csv")})
    assert page.status_code == 200
    html = page.content.decode()
    assert long_cell not in html and "A" * 200 not in html
    response = coordinator.post(URL, {"token": page.context["token"], "map_name": "name", "map_code": "code",
                                      "map_city": "city"})
    assert response.status_code == 400  # a 5,000-character city is too long
    html = response.content.decode()
    assert "A" * 200 not in html


def test_a_header_of_thousands_of_columns_is_refused(coordinator):
    header = ";".join(f"c{i}" for i in range(1000))
    content = f"{header}\n{';'.join('x' for _ in range(1000))}".encode()
    assert "Too many columns" in refusal(coordinator.post(URL, {"file": named(content, "sites.csv")}))


def test_redis_is_capped_and_never_evicts_broker_keys_in_run_mode_and_in_compose():
    root = Path(__file__).resolve().parents[2]
    script = (root / "scripts" / "services.sh").read_text()
    compose = (root / "docker-compose.yml").read_text()
    assert "--maxmemory " in script and "--maxmemory-policy noeviction" in script
    assert '"--maxmemory",' in compose and '"--maxmemory-policy", "noeviction"' in compose
