"""The Content-Security-Policy: on every page, strict for scripts, kept off the sandboxed
attachments; no template carries an inline script, handler or ``javascript:`` link."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qse.charts import figure_html
from qse.models import Attachment


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_carry_a_policy_that_allows_only_our_own_scripts(client, world):
    client.force_login(world.user())
    for url in ("/", reverse("improvement:dashboard"), reverse("nonconformities:dashboard"), "/accounts/login/",
                reverse("api-docs"), world.a.actions[0].get_absolute_url()):
        response = client.get(url, follow=True)
        policy = _directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"], url
        # The offline pages to come: a service worker and a manifest from our own origin.
        assert policy["worker-src"] == ["'self'"] and policy["manifest-src"] == ["'self'"], url


def test_the_public_form_and_the_api_are_covered_too(client, world):
    assert "script-src 'self'" in client.get("/accounts/login/")["Content-Security-Policy"]
    client.force_login(world.user())
    assert "script-src 'self'" in client.get("/api/v1/improvement/actions/")["Content-Security-Policy"]


def test_swagger_ui_gets_its_settings_from_a_script_file(client, world):
    client.force_login(world.user())
    html = client.get(reverse("api-docs")).content.decode()
    assert re.search(r'<script src="[^"]*\?script', html)
    assert not re.search(r"<script>\s*\S", html)


def test_an_attachment_keeps_its_own_sandbox_policy(client, world):
    client.force_login(world.user())
    action = world.a.actions[0]
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(action)
    file = SimpleUploadedFile("note.txt", "Relevé de la vanne".encode(), content_type="text/plain")
    client.post(f"/org/attachments/{content_type.pk}/{action.pk}/", {"file": file, "caption": "Preuve"})
    attachment = Attachment.objects.get()
    response = client.get(f"/org/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def _templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return [p for p in [*base.glob("templates/**/*.html"), *base.glob("*/templates/**/*.html")] if ".venv" not in p.parts]


def test_no_template_has_an_inline_script_handler_or_javascript_link():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    offenders = []
    for path in _templates():
        text = path.read_text()
        if inline_script.search(text) or handler.search(text) or "javascript:" in text.lower():
            offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert len(_templates()) > 50
    assert offenders == []


def test_a_figure_is_data_that_user_text_cannot_break_out_of():
    figure = go.Figure(go.Bar(x=["</script><script>alert(1)</script>"], y=[1]))
    html = figure_html(figure)
    assert "<script>alert" not in html and "</script><script>" not in html
    assert html.count("</script>") == 1
    assert 'type="application/json"' in html and 'class="plotly-graph-div"' in html
    assert "Plotly.newPlot" not in html
