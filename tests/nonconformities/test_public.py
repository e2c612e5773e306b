"""Reporting from a QR code without an account: the whole flow, spam defences, tenancy,
and the coordinator's reporting-point pages (QR code, poster, regenerate)."""

from __future__ import annotations

import datetime
import io
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from nonconformities.choices import EventStatus, EventType, ReportChannel
from nonconformities.factories import ReportingPointFactory
from nonconformities.forms_public import form_stamp
from nonconformities.models import Event, ReportingPoint
from nonconformities.views_public import ReportingPointViews
from qse.models import Attachment, Notification
from qse.roles import Role
from qse.testing import ObjectViewsTestCase, count_queries


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def anonymous():
    """A client from its own address: the rate limit's counters (Redis) are per address."""
    return Client(REMOTE_ADDR=f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}")


def _point(side, **extra) -> ReportingPoint:
    return ReportingPointFactory(site=side.site, organization=side.organization, label="Atelier presses", **extra)


def _form(point, **overrides) -> dict:
    data = {
        "event_type": EventType.NEAR_MISS,
        "place": point.label,
        "occurred_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "description": "Flaque d'huile sous la presse 3, un collègue a failli glisser.",
        "name": "Karim B.",
        "contact": "06 12 34 56 78",
        "website": "",
        "stamp": form_stamp(point, issued_at=time.time() - 20),
    }
    data.update(overrides)
    return data


def _jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


# --- the whole flow ---------------------------------------------------------------------------

def test_anyone_reports_from_the_qr_code_and_the_event_awaits_triage(anonymous, world):
    point = _point(world.a)
    page = anonymous.get(point.public_path())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="website"' in html and 'name="stamp"' in html
    assert f'value="{point.label}"' in html and world.a.site.name in html
    assert 'type="datetime-local"' in html and 'capture="environment"' in html

    photo = SimpleUploadedFile("IMG_0042.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    response = anonymous.post(point.public_path(), {**_form(point), "photo": photo})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(organization=world.a.organization, channel=ReportChannel.PUBLIC_FORM)
    assert event.status == EventStatus.REPORTED
    assert event.site == world.a.site and event.event_type == EventType.NEAR_MISS
    assert event.detected_by is None and event.detected_by_name == "Karim B."
    assert event.reporter_contact == "06 12 34 56 78"
    assert event.title.startswith("Flaque d'huile sous la presse 3")

    thanks = anonymous.get(response["Location"])
    assert thanks.status_code == 200
    assert event.reference in thanks.content.decode()

    attachment = Attachment.objects.get(object_id=event.pk)
    assert attachment.organization == world.a.organization and attachment.uploaded_by is None
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()

    notified = Notification.objects.filter(url=event.get_absolute_url())
    assert {n.recipient for n in notified} == {world.a.users[Role.COORDINATOR]}
    assert all(n.organization == world.a.organization for n in notified)
    assert event.reference in notified.first().title


def test_a_changed_place_is_kept_in_the_description(anonymous, world):
    point = _point(world.a)
    response = anonymous.post(point.public_path(), _form(point, place="Quai de chargement n°2"))
    assert response.status_code == 302
    assert "Quai de chargement n°2" in Event.objects.get(channel=ReportChannel.PUBLIC_FORM).description


def test_the_form_is_in_french_by_default_with_an_english_switch(anonymous, world):
    point = _point(world.a)
    html = anonymous.get(point.public_path()).content.decode()
    assert '<html lang="fr">' in html
    assert 'name="language" value="en"' in html
    english = anonymous.get(point.public_path(), headers={"cookie": "django_language=en"})
    assert '<html lang="en">' in english.content.decode()


def test_each_token_writes_into_its_own_organization_only(anonymous, world):
    theirs = _point(world.b)
    mine = _point(world.a)
    assert anonymous.post(theirs.public_path(), _form(theirs)).status_code == 302
    event = Event.objects.get(channel=ReportChannel.PUBLIC_FORM)
    assert event.organization == world.b.organization and event.site == world.b.site
    assert not Notification.objects.filter(organization=world.a.organization).exists()
    # A stamp of organization B's point does not open organization A's.
    response = anonymous.post(mine.public_path(), _form(mine, stamp=form_stamp(theirs, issued_at=time.time() - 20)))
    assert response.status_code == 400
    assert not Event.objects.filter(organization=world.a.organization, channel=ReportChannel.PUBLIC_FORM).exists()


# --- refusals ---------------------------------------------------------------------------------

def _no_public_event():
    return not Event.objects.filter(channel=ReportChannel.PUBLIC_FORM).exists()


def test_unknown_inactive_or_archived_tokens_answer_404(anonymous, world):
    inactive = _point(world.a, is_active=False)
    archived = _point(world.a, archived_at=timezone.now())
    for path in ("/report/nope/", inactive.public_path(), archived.public_path(), "/report/" + "x" * 80 + "/"):
        assert anonymous.get(path).status_code == 404, path
    assert anonymous.post(inactive.public_path(), _form(inactive)).status_code == 404
    assert _no_public_event()


def test_the_honeypot_keeps_robots_out(anonymous, world):
    point = _point(world.a)
    response = anonymous.post(point.public_path(), _form(point, website="https://spam.example"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert 'value="https://spam.example"' not in response.content.decode()
    assert _no_public_event()


def test_a_form_sent_within_three_seconds_or_after_hours_is_refused(anonymous, world):
    point = _point(world.a)
    too_fast = anonymous.post(point.public_path(), _form(point, stamp=form_stamp(point, issued_at=time.time())))
    assert too_fast.status_code == 400
    assert too_fast.context["form"].non_field_errors()
    stale = anonymous.post(point.public_path(), _form(point, stamp=form_stamp(point, issued_at=time.time() - 5 * 3600)))
    assert stale.status_code == 400
    forged = anonymous.post(point.public_path(), _form(point, stamp="eyJ0IjoxfQ:forged"))
    assert forged.status_code == 400
    assert _no_public_event()
    # The refused form carries a fresh stamp, so the person can send again.
    assert 'name="stamp"' in stale.content.decode()


def test_a_photo_with_a_fake_extension_is_refused(anonymous, world):
    point = _point(world.a)
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = anonymous.post(point.public_path(), {**_form(point), "photo": fake})
    assert response.status_code == 400
    assert ".jpg" in response.content.decode()
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf")
    assert anonymous.post(point.public_path(), {**_form(point), "photo": pdf}).status_code == 400
    assert _no_public_event() and not Attachment.objects.exists()


def test_a_date_in_the_future_is_refused(anonymous, world):
    point = _point(world.a)
    tomorrow = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = anonymous.post(point.public_path(), _form(point, occurred_at=tomorrow))
    assert response.status_code == 400 and "occurred_at" in response.context["form"].errors


def test_past_the_rate_limit_per_address_the_answer_is_429(anonymous, world, settings):
    settings.QSE_PUBLIC_REPORT_LIMITS = {"per_address": 2, "per_point": 100, "window_seconds": 60}
    point = _point(world.a)
    for _ in range(2):
        assert anonymous.post(point.public_path(), _form(point)).status_code == 302
    response = anonymous.post(point.public_path(), _form(point))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert 'data-testid="public-report-limited"' in response.content.decode()
    assert Event.objects.filter(channel=ReportChannel.PUBLIC_FORM).count() == 2


def test_past_the_rate_limit_per_point_the_answer_is_429_from_any_address(world, settings):
    settings.QSE_PUBLIC_REPORT_LIMITS = {"per_address": 100, "per_point": 2, "window_seconds": 60}
    point = _point(world.a)
    statuses = [
        Client(REMOTE_ADDR=f"192.0.2.{uuid.uuid4().int % 250}").post(point.public_path(), _form(point)).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    other = _point(world.a)
    assert Client(REMOTE_ADDR="198.51.100.7").post(other.public_path(), _form(other)).status_code == 302


def test_invalid_posts_from_one_client_do_not_block_the_point_for_everyone(world, settings):
    settings.QSE_PUBLIC_REPORT_LIMITS = {"per_address": 100, "per_point": 2, "window_seconds": 60}
    point = _point(world.a)
    pest = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(10):  # honeypot filled, forged stamp: all refused, none counted for the point
        assert pest.post(point.public_path(), _form(point, website="x")).status_code == 400
        assert pest.post(point.public_path(), _form(point, stamp="forged")).status_code == 400
    statuses = [
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(point.public_path(), _form(point)).status_code for n in (1, 2, 3)
    ]
    assert statuses == [302, 302, 429]
    assert Event.objects.filter(channel=ReportChannel.PUBLIC_FORM).count() == 2


def test_the_limit_per_address_counts_every_attempt_valid_or_not(anonymous, world, settings):
    settings.QSE_PUBLIC_REPORT_LIMITS = {"per_address": 2, "per_point": 100, "window_seconds": 60}
    point = _point(world.a)
    assert anonymous.post(point.public_path(), _form(point, website="x")).status_code == 400
    assert anonymous.post(point.public_path(), _form(point, stamp="forged")).status_code == 400
    assert anonymous.post(point.public_path(), _form(point)).status_code == 429
    assert _no_public_event()


def test_a_stamp_sends_one_report_only_whatever_the_address(world):
    point = _point(world.a)
    form = _form(point)
    assert Client(REMOTE_ADDR="192.0.2.10").post(point.public_path(), form).status_code == 302
    replayed = Client(REMOTE_ADDR="192.0.2.11").post(point.public_path(), form)
    assert replayed.status_code == 400
    assert replayed.context["form"].non_field_errors()
    # The refusal carries a fresh stamp: a person who really meant to send again can.
    fresh = replayed.context["form"].data["stamp"]
    assert fresh != form["stamp"]
    assert Event.objects.filter(channel=ReportChannel.PUBLIC_FORM).count() == 1


def test_a_form_refused_for_a_wrong_field_can_be_corrected_and_sent_with_its_stamp(anonymous, world):
    point = _point(world.a)
    tomorrow = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    form = _form(point, occurred_at=tomorrow)
    assert anonymous.post(point.public_path(), form).status_code == 400
    corrected = {**form, "occurred_at": _form(point)["occurred_at"]}
    assert anonymous.post(point.public_path(), corrected).status_code == 302


def test_a_stamp_without_a_single_use_nonce_is_refused(anonymous, world):
    from django.core import signing

    from nonconformities.forms_public import STAMP_SALT

    point = _point(world.a)
    old_style = signing.dumps({"p": point.pk, "t": round(time.time() - 20, 3)}, salt=STAMP_SALT)
    assert anonymous.post(point.public_path(), _form(point, stamp=old_style)).status_code == 400
    assert _no_public_event()


def test_the_client_address_comes_from_the_trusted_proxy_only(world, settings):
    from django.test import RequestFactory

    from nonconformities.views_public import client_address

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_address(request) == "10.0.0.1"
    settings.QSE_TRUSTED_PROXIES = 1
    assert client_address(request) == "203.0.113.9"


def test_the_public_form_query_count_is_bounded(anonymous, world):
    point = _point(world.a)
    anonymous.get(point.public_path())
    # one query of its own (the point); the rest is the request transaction and the tenant settings
    assert count_queries(lambda: anonymous.get(point.public_path())) <= 10
    sent = count_queries(lambda: anonymous.post(point.public_path(), _form(point)))
    for role in (Role.ADMIN, Role.MANAGEMENT):
        world.a.users[role].memberships.update(role=Role.COORDINATOR)
    sent_to_more = count_queries(lambda: anonymous.post(point.public_path(), _form(point)))
    # 29 measured: about half are the history context pghistory sets before each write
    assert sent == sent_to_more <= 35, (sent, sent_to_more)


# --- the coordinator's pages --------------------------------------------------------------------

class TestReportingPointViews(ObjectViewsTestCase):
    declaration = ReportingPointViews
    edit = ("label", "Entrée du magasin")

    def make(self, world, side):
        return _point(side)

    def form_data(self, world):
        return {"site": world.a.site.pk, "label": "Quai de chargement", "is_active": True}


def test_detail_shows_the_qr_code_of_the_absolute_public_url(client, world):
    point = _point(world.a)
    client.force_login(world.user())
    response = client.get(point.get_absolute_url())
    html = response.content.decode()
    assert f"http://testserver{point.public_path()}" in html
    assert "<svg" in html and 'data-testid="qr"' in html
    assert point.token not in html.replace(point.public_path(), "")


def test_the_poster_is_an_a4_page_with_the_site_label_and_qr_code(client, world):
    point = _point(world.a)
    client.force_login(world.user())
    response = client.get(reverse("nonconformities:reportingpoint_poster", args=[point.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "size: A4" in html and "<svg" in html
    assert world.a.site.name in html and point.label in html
    theirs = _point(world.b)
    assert client.get(reverse("nonconformities:reportingpoint_poster", args=[theirs.pk])).status_code == 404


def test_regenerating_the_code_retires_the_printed_one(anonymous, client, world):
    point = _point(world.a)
    old_path = point.public_path()
    client.force_login(world.user())
    response = client.post(reverse("nonconformities:reportingpoint_regenerate", args=[point.pk]), {"version": point.version})
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.public_path() != old_path
    assert anonymous.get(old_path).status_code == 404
    assert anonymous.get(point.public_path()).status_code == 200
    history = client.get(point.get_absolute_url()).content.decode()
    assert 'id="history"' in history


def test_only_who_may_change_the_point_regenerates_it_and_never_across_organizations(client, world):
    point, theirs = _point(world.a), _point(world.b)
    url = reverse("nonconformities:reportingpoint_regenerate", args=[point.pk])
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.post(url).status_code == 403
    client.force_login(world.user())
    assert client.post(reverse("nonconformities:reportingpoint_regenerate", args=[theirs.pk])).status_code == 404
    stale = client.post(url, {"version": point.version + 5})
    assert stale.status_code == 302
    token = point.token
    point.refresh_from_db()
    assert point.token == token
    theirs_token = theirs.token
    theirs.refresh_from_db()
    assert theirs.token == theirs_token


# --- the triage queue at a large organization's scale (issue 15) -------------------------------

def _reported(side, count: int) -> list[Event]:
    from nonconformities.factories import EventFactory

    return [EventFactory(organization=side.organization, site=side.site, status=EventStatus.REPORTED,
                         channel=ReportChannel.PUBLIC_FORM, title=f"Signalement {n:03d}") for n in range(count)]


def test_the_triage_queue_is_paged_and_its_queries_do_not_grow_with_the_queue(client, world, settings):
    """At 20,000 reported events the queue drew every one of them, each with a select of every
    member and process: the page took minutes. It shows a page of the oldest, with the total."""
    from qse.factories import UserFactory
    from qse.models import Membership

    settings.QSE_CHOICES_INLINE = 3
    for n in range(5):  # more members than listed inline: the person in charge is searched
        Membership.objects.create(user=UserFactory(username=f"triage-member-{n}"),
                                  organization=world.a.organization, role=Role.CONTRIBUTOR)
    _reported(world.a, 30)
    client.force_login(world.a.users[Role.COORDINATOR])
    url = reverse("nonconformities:event_triage")

    first = client.get(url)
    html = first.content.decode()
    assert first.status_code == 200
    assert html.count('class="card triage"') == 25
    assert "Signalement 000" in html and "Signalement 024" in html and "Signalement 025" not in html
    assert 'data-testid="triage-count">30<' in html
    assert "triage-member-4" not in html  # no option per member: a search box instead
    assert html.count('class="search-select-input"') == 25

    second = client.get(url, {"page": 2})
    assert second.content.decode().count('class="card triage"') == 5

    few = count_queries(lambda: client.get(url))
    _reported(world.a, 40)
    assert count_queries(lambda: client.get(url)) == few


def test_the_triage_page_joins_only_what_its_cards_show_and_has_the_index_its_order_needs(client, world):
    """At 5,000 reported events the page sorted every one of them joined to seven relations
    (the recurrence's event among them) to show 25: it now reads them in the index's order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _reported(world.a, 3)
    client.force_login(world.a.users[Role.COORDINATOR])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("nonconformities:event_triage")).status_code == 200
    page = [q["sql"] for q in queries.captured_queries
            if q["sql"].startswith('SELECT "nonconformities_event"."id"') and "LIMIT" in q["sql"]]
    assert len(page) == 1, page
    assert 'ORDER BY "nonconformities_event"."created_at" ASC, "nonconformities_event"."id" ASC' in page[0]
    assert '"audits_supplier"' not in page[0] and '"nonconformities_person"' not in page[0]
    assert page[0].count('"nonconformities_event"') == page[0].count('"nonconformities_event".') + 1  # no self-join
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'event_org_status_created_idx'")
        (definition,) = cursor.fetchone()
    assert "(organization_id, status, created_at, id) WHERE (archived_at IS NULL)" in definition
