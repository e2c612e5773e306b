"""Polling the watch sources against served feed files and a fake of the PISTE API on
loopback: every failure kind is recorded on its source, never blocks the others, and an item
seen twice is stored once."""

from __future__ import annotations

import datetime

import httpx
import pytest
from django.utils import translation

from compliance import polling, services_watch
from compliance.factories import SourceFactory
from compliance.models import PollRun, Source, WatchItem
from tests.compliance.fake_sources import CLIENT_ID, CLIENT_SECRET, ETAG, LAST_MODIFIED, FakeSources

NOW = datetime.datetime(2026, 11, 23, 6, 0, tzinfo=datetime.UTC)



@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (the French ones are the catalogue's business)."""
    with translation.override("en"):
        yield

@pytest.fixture
def fake():
    server = FakeSources().start()
    yield server
    server.stop()


@pytest.fixture
def client():
    with polling.make_client(httpx.Timeout(1.0, connect=1.0)) as http:
        yield http


def _feed(world, fake, path, **extra):
    return SourceFactory(organization=world.a.organization, address=fake.url(path), **extra)


def _poll(world, source, client, now=NOW):
    return services_watch.source_poll(organization=world.a.organization, source_id=source.pk, now=now, client=client)


def test_a_valid_rss_feed_brings_its_items_once_with_their_identifiers(world, fake, client):
    source = _feed(world, fake, "/inrs.xml", interval_minutes=360)
    run = _poll(world, source, client)
    assert (run.http_status, run.items_found, run.items_new, run.error) == (200, 4, 3, "")
    items = {item.title: item for item in WatchItem.objects.filter(source=source)}
    assert len(items) == 3
    heat = items["Décret n° 2026-101 relatif à la prévention des risques liés à la chaleur"]
    assert heat.identifiers == {"nor": "TSST2612345D"}
    assert heat.summary.startswith("Le décret (NOR : TSST2612345D) impose d'intégrer le risque chaleur")
    assert heat.published_at == datetime.datetime(2026, 11, 16, 7, 0, tzinfo=datetime.UTC)
    source.refresh_from_db()
    assert (source.etag, source.last_modified, source.last_status, source.last_items) == (ETAG, LAST_MODIFIED, 200, 4)
    assert source.next_poll_at == NOW + datetime.timedelta(minutes=360)


def test_the_second_poll_sends_the_validators_and_a_304_costs_nothing(world, fake, client):
    source = _feed(world, fake, "/inrs.xml")
    _poll(world, source, client)
    run = _poll(world, source, client, now=NOW + datetime.timedelta(hours=2))
    assert (run.http_status, run.items_found, run.items_new, run.error) == (304, 0, 0, "")
    second = fake.hits("/inrs.xml")[1]
    assert second["If-None-Match"] == ETAG and second["If-Modified-Since"] == LAST_MODIFIED
    assert WatchItem.objects.filter(source=source).count() == 3


def test_a_server_without_validators_repeats_its_items_and_they_are_stored_once(world, fake, client):
    source = _feed(world, fake, "/inrs-no-validators.xml")
    _poll(world, source, client)
    again = _poll(world, source, client, now=NOW + datetime.timedelta(hours=6))
    assert (again.items_found, again.items_new) == (4, 0)
    assert WatchItem.objects.filter(source=source).count() == 3


def test_an_atom_feed_gives_its_celex_and_eli(world, fake, client):
    source = _feed(world, fake, "/eurlex.atom")
    assert _poll(world, source, client).items_new == 2
    reach = WatchItem.objects.get(source=source, guid="http://data.europa.eu/eli/reg/2026/1234/oj")
    assert reach.identifiers["celex"] == "32026R1234"
    assert reach.link == "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32026R1234"


def test_an_empty_feed_is_a_success_with_no_item(world, fake, client):
    source = _feed(world, fake, "/empty.xml")
    run = _poll(world, source, client)
    assert (run.http_status, run.items_found, run.error) == (200, 0, "")
    source.refresh_from_db()
    assert source.error_count == 0


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/malformed", 200, "Not a valid RSS or Atom feed"),
    ("/500", 500, "The server answered HTTP 500."),
    ("/huge.xml", 200, "The answer is too large"),
    ("/slow.xml", None, "No answer within 1 seconds."),
    ("/nowhere", 404, "The server answered HTTP 404."),
])
def test_each_failure_is_recorded_on_the_source_with_a_backoff(world, fake, client, monkeypatch, path, status, message):
    monkeypatch.setattr(polling, "MAX_BYTES", 64 * 1024)
    source = _feed(world, fake, path, interval_minutes=360)
    run = _poll(world, source, client)
    assert run.http_status == status and run.error.startswith(message) and run.items_new == 0
    source.refresh_from_db()
    assert (source.error_count, source.last_status) == (1, status)
    assert source.last_error.startswith(message)
    assert source.next_poll_at == NOW + datetime.timedelta(minutes=5)  # backoff, not the 6-hour interval
    _poll(world, source, client, now=NOW + datetime.timedelta(minutes=5))
    source.refresh_from_db()
    assert source.error_count == 2
    assert source.next_poll_at == NOW + datetime.timedelta(minutes=15)
    assert WatchItem.objects.filter(source=source).count() == 0


def test_backoff_doubles_and_never_exceeds_the_interval():
    assert [services_watch.backoff(interval_minutes=60, error_count=n).seconds // 60 for n in range(6)] == [60, 5, 10, 20, 40, 60]


def test_a_success_after_failures_resets_the_count(world, fake, client):
    source = _feed(world, fake, "/inrs.xml")
    Source.objects.filter(pk=source.pk).update(error_count=3, last_error="old")
    _poll(world, source, client)
    source.refresh_from_db()
    assert (source.error_count, source.last_error) == (0, "")


def test_one_slow_and_two_failing_sources_do_not_keep_the_good_ones_from_their_items(world, fake, client):
    sources = [_feed(world, fake, path) for path in ("/slow.xml", "/500", "/inrs.xml", "/malformed", "/eurlex.atom")]
    SourceFactory(organization=world.b.organization, address=fake.url("/inrs.xml"))  # another tenant's: not polled
    SourceFactory(organization=world.a.organization, kind="manual", address="")  # manual: never polled
    SourceFactory(organization=world.a.organization, address=fake.url("/inrs.xml"),
                  next_poll_at=NOW + datetime.timedelta(hours=1))  # not due yet
    runs = services_watch.poll_due(organization=world.a.organization, now=NOW, client=client)
    assert sorted(run.source_id for run in runs) == sorted(s.pk for s in sources)
    by_source = {run.source_id: run for run in runs}
    assert [by_source[s.pk].items_new for s in sources] == [0, 0, 3, 0, 2]
    assert [bool(by_source[s.pk].error) for s in sources] == [True, True, False, True, False]
    assert len(fake.hits("/inrs.xml")) == 1


def test_every_poll_is_kept_in_the_source_history(world, fake, client):
    source = _feed(world, fake, "/inrs.xml")
    for hour in range(3):
        _poll(world, source, client, now=NOW + datetime.timedelta(hours=hour))
    assert list(PollRun.objects.filter(source=source).values_list("http_status", flat=True)) == [304, 304, 200]


# --- Légifrance through PISTE -------------------------------------------------------------------


def _piste(world, fake, **extra):
    data = {"kind": "piste", "address": fake.url("/piste"), "token_url": fake.url("/oauth/token"),
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "query": "installations classées", **extra}
    return SourceFactory(organization=world.a.organization, **data)


def test_piste_gets_a_token_then_the_journal_officiel_texts(world, fake, client):
    source = _piste(world, fake)
    run = _poll(world, source, client)
    assert (run.http_status, run.items_new, run.error) == (200, 2, "")
    order = WatchItem.objects.get(source=source, guid="JORFTEXT000052000001")
    assert order.identifiers == {"nor": "TREP2630001A"}
    assert order.link == "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000052000001"
    assert order.published_at == datetime.datetime(2025, 11, 17, tzinfo=datetime.UTC)
    assert order.summary == "Les valeurs limites de rejet en DCO sont abaissées."
    source.refresh_from_db()
    assert source.access_token == "token-1" and source.token_expires_at == NOW + datetime.timedelta(hours=1)
    assert fake.hits("/piste/search")[0]["Authorization"] == "Bearer token-1"


def test_piste_reuses_a_valid_token(world, fake, client):
    source = _piste(world, fake)
    _poll(world, source, client)
    _poll(world, source, client, now=NOW + datetime.timedelta(minutes=30))
    assert fake.tokens_issued == 1 and len(fake.hits("/piste/search")) == 2


def test_piste_asks_a_new_token_once_the_old_one_expired(world, fake, client):
    source = _piste(world, fake, access_token="token-0", token_expires_at=NOW - datetime.timedelta(minutes=1))
    assert _poll(world, source, client).error == ""
    assert fake.tokens_issued == 1
    assert fake.hits("/piste/search")[0]["Authorization"] == "Bearer token-1"


def test_piste_retries_once_with_a_new_token_when_the_api_says_it_expired_early(world, fake, client):
    fake.revoked.add("token-7")
    source = _piste(world, fake, access_token="token-7", token_expires_at=NOW + datetime.timedelta(minutes=50))
    run = _poll(world, source, client)
    assert (run.http_status, run.items_new, run.error) == (200, 2, "")
    assert [h["Authorization"] for h in fake.hits("/piste/search")] == ["Bearer token-7", "Bearer token-1"]
    source.refresh_from_db()
    assert source.access_token == "token-1"


def test_piste_refused_credentials_are_said_plainly(world, fake, client):
    source = _piste(world, fake, client_secret="wrong")
    run = _poll(world, source, client)
    assert (run.http_status, run.items_new) == (401, 0)
    assert run.error == "PISTE refused the credentials (HTTP 401)."
    assert fake.hits("/piste/search") == []


def test_piste_without_credentials_is_not_called(world, fake, client):
    source = _piste(world, fake, client_id="", client_secret="")
    assert _poll(world, source, client).error == "The PISTE client id and secret are not set for this source."
    assert fake.requests == []


def test_a_piste_answer_that_is_not_json_is_an_error():
    with pytest.raises(polling.SourceError):
        polling.parse_piste(["not", "a", "search", "answer"])
