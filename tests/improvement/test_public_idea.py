"""An improvement idea sent from a reporting point's QR code form becomes a suggestion (not an
event), behind the same defences as a report: honeypot, single-use stamp, rate limits."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from improvement.models import Suggestion
from nonconformities.forms_public import form_stamp
from nonconformities.models import Event
from qse.models import Attachment, Notification
from qse.roles import Role
from tests.nonconformities.test_public import _form, _point, anonymous, media_root  # noqa: F401  (fixtures)


def _idea(point, **overrides):
    data = _form(point, event_type="idea", occurred_at="",
                 description="Mettre un support pour les soufflettes à côté de chaque presse.")
    data.update(overrides)
    return data


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_idea_from_the_qr_code_becomes_a_suggestion_of_the_point_site(anonymous, world):  # noqa: F811
    point = _point(world.a)
    page = anonymous.get(point.public_path()).content.decode()
    assert "Idée d&#x27;amélioration" in page
    photo = SimpleUploadedFile("idee.png", _png(), content_type="image/png")
    response = anonymous.post(point.public_path(), {**_idea(point), "photo": photo})
    assert response.status_code == 302, response.content.decode()[:1500]
    assert not Event.objects.exists()
    idea = Suggestion.objects.get()
    assert (idea.organization, idea.site, idea.channel, idea.status) == (
        world.a.organization, world.a.site, "public_form", "submitted")
    assert idea.author is None and idea.author_name == "Karim B." and idea.author_contact == "06 12 34 56 78"
    assert idea.title.startswith("Mettre un support pour les soufflettes")
    assert Attachment.objects.get(object_id=idea.pk).organization == world.a.organization
    assert {n.recipient for n in Notification.objects.filter(url=idea.get_absolute_url())} == {
        world.a.users[Role.COORDINATOR]}
    thanks = anonymous.get(response["Location"]).content.decode()
    assert f"Idée n° {idea.pk}" in thanks


def test_an_event_still_needs_its_date_but_an_idea_does_not(anonymous, world):  # noqa: F811
    point = _point(world.a)
    refused = anonymous.post(point.public_path(), _form(point, occurred_at=""))
    assert refused.status_code == 400 and "occurred_at" in refused.context["form"].errors
    assert anonymous.post(point.public_path(), _idea(point)).status_code == 302


@pytest.mark.parametrize("trap", ["honeypot", "too_fast", "replayed"])
def test_the_public_form_defences_keep_robots_ideas_out(anonymous, world, trap):  # noqa: F811
    point = _point(world.a)
    data = _idea(point)
    if trap == "honeypot":
        data["website"] = "https://spam.example"
    elif trap == "too_fast":
        data["stamp"] = form_stamp(point, issued_at=time.time())
    else:
        assert anonymous.post(point.public_path(), data).status_code == 302
    assert anonymous.post(point.public_path(), data).status_code == 400
    assert Suggestion.objects.count() == (1 if trap == "replayed" else 0)
