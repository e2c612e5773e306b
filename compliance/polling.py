"""Fetching a watch source: an RSS/Atom feed (httpx to fetch, feedparser to parse) or the
Légifrance PISTE API (OAuth2 client credentials). No database here: the caller gives the
source's state and records the outcome, so no transaction is held open during the network
call, and one slow source costs at most its timeout.

Conditional requests: the ETag and Last-Modified the server sent are sent back
(If-None-Match / If-Modified-Since); a 304 costs no parsing. A body larger than ``MAX_BYTES``
is refused while it streams in, never loaded whole.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
from dataclasses import dataclass, field

import feedparser
import httpx
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
USER_AGENT = "PiloteQSE-veille/1.0 (+https://github.com/pilote-qse)"
PISTE_PAGE_SIZE = 50
TOKEN_MARGIN = datetime.timedelta(seconds=60)


@dataclass
class FetchedItem:
    guid: str
    title: str
    link: str = ""
    summary: str = ""
    published_at: datetime.datetime | None = None
    identifiers: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        """What makes the item the same item the next time it is seen."""
        return item_key(self.guid or self.link or self.title)


def item_key(identity: str) -> str:
    return hashlib.sha256(identity.strip().encode("utf-8")).hexdigest()


@dataclass
class Outcome:
    http_status: int | None = None
    items: list[FetchedItem] = field(default_factory=list)
    etag: str = ""
    last_modified: str = ""
    error: str = ""
    not_modified: bool = False
    access_token: str = ""
    token_expires_at: datetime.datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class SourceState:
    """What a fetch needs of a source (read from its row, outside any transaction)."""

    kind: str
    address: str
    etag: str = ""
    last_modified: str = ""
    query: str = ""
    client_id: str = ""
    client_secret: str = ""
    token_url: str = ""
    access_token: str = ""
    token_expires_at: datetime.datetime | None = None
    since: datetime.date | None = None


class SourceError(Exception):
    def __init__(self, message: str, http_status: int | None = None):
        super().__init__(message)
        self.http_status = http_status


def make_client(timeout: httpx.Timeout = TIMEOUT) -> httpx.Client:
    # Connection failures are retried twice at once by the transport; anything else waits for
    # the source's next poll, pushed back by the caller's backoff.
    return httpx.Client(timeout=timeout, transport=httpx.HTTPTransport(retries=2), follow_redirects=True,
                        headers={"User-Agent": USER_AGENT})


def fetch(state: SourceState, *, client: httpx.Client, now: datetime.datetime) -> Outcome:
    """Fetch one source; every failure comes back as an ``Outcome`` with its error."""
    try:
        if state.kind == "piste":
            return fetch_piste(state, client=client, now=now)
        return fetch_feed(state, client=client)
    except SourceError as error:
        return Outcome(http_status=error.http_status, error=str(error))
    except httpx.TimeoutException:
        return Outcome(error=_("No answer within {seconds} seconds.").format(seconds=int(client.timeout.read or 0)))
    except httpx.HTTPError as error:
        return Outcome(error=_("Connection failed: {error}").format(error=error.__class__.__name__))


def _read_limited(response: httpx.Response) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise SourceError(_("The answer is too large ({size} bytes).").format(size=declared), response.status_code)
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise SourceError(_("The answer is too large (over {size} bytes).").format(size=MAX_BYTES),
                              response.status_code)
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_feed(state: SourceState, *, client: httpx.Client) -> Outcome:
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    with client.stream("GET", state.address, headers=headers) as response:
        if response.status_code == 304:
            return Outcome(http_status=304, etag=state.etag, last_modified=state.last_modified, not_modified=True)
        if response.status_code >= 400:
            raise SourceError(_("The server answered HTTP {status}.").format(status=response.status_code),
                              response.status_code)
        body = _read_limited(response)
        outcome = Outcome(http_status=response.status_code, etag=response.headers.get("etag", ""),
                          last_modified=response.headers.get("last-modified", ""))
    outcome.items = parse_feed(body)
    return outcome


def parse_feed(body: bytes) -> list[FetchedItem]:
    """The entries of an RSS or Atom document; a document that is not a feed is an error
    (an empty feed is not: it has no entries)."""
    parsed = feedparser.parse(body)
    is_feed = bool(parsed.get("version")) or bool(parsed.entries)
    if parsed.bozo and not is_feed:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "")() or str(parsed.get("bozo_exception"))
        raise SourceError(_("Not a valid RSS or Atom feed: {reason}").format(reason=reason[:200]), 200)
    return [_feed_item(entry) for entry in parsed.entries if entry.get("title") or entry.get("link")]


def _feed_item(entry) -> FetchedItem:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    # feedparser gives the date in UTC as a struct_time: timegm, not mktime (local time).
    published = datetime.datetime.fromtimestamp(calendar.timegm(stamp), tz=datetime.UTC) if stamp else None
    return FetchedItem(
        guid=(entry.get("id") or entry.get("link") or "")[:500], title=(entry.get("title") or entry.get("link"))[:500],
        link=(entry.get("link") or "")[:1000], summary=_plain(entry.get("summary") or ""), published_at=published,
        identifiers=identifiers_in(" ".join([entry.get("title", ""), entry.get("link", ""), entry.get("summary", "")])),
    )


def _plain(html: str) -> str:
    from django.utils.html import strip_tags

    return strip_tags(html).strip()[:5000]


def identifiers_in(text: str) -> dict:
    """NOR, CELEX and ELI found in an item's text (what links it to a text of the referential)."""
    import re

    found = {}
    if match := re.search(r"\b([A-Z]{4}\d{7}[A-Z])\b", text):
        found["nor"] = match.group(1)
    if match := re.search(r"CELEX[:%3A]*([0-9]{5}[A-Z]{1,2}[0-9]{4})", text):
        found["celex"] = match.group(1)
    if match := re.search(r"(https?://[^\s\"'<>]*/eli/[^\s\"'<>]+)", text):
        found["eli"] = match.group(1)
    return found


# --- Légifrance through PISTE -------------------------------------------------------------


def fetch_piste(state: SourceState, *, client: httpx.Client, now: datetime.datetime) -> Outcome:
    """Texts of the Journal officiel matching the source's words, published since the last
    poll. The token is reused until it expires; a 401 (revoked or expired early) gets one
    fresh token and one retry."""
    token, expires = state.access_token, state.token_expires_at
    if not token or expires is None or expires - TOKEN_MARGIN <= now:
        token, expires = piste_token(state, client=client, now=now)
    response = _piste_search(state, client=client, token=token, now=now)
    if response.status_code == 401:
        token, expires = piste_token(state, client=client, now=now)
        response = _piste_search(state, client=client, token=token, now=now)
    if response.status_code >= 400:
        raise SourceError(_("Légifrance answered HTTP {status}.").format(status=response.status_code),
                          response.status_code)
    try:
        payload = response.json()
    except ValueError as error:
        raise SourceError(_("Légifrance's answer is not JSON."), response.status_code) from error
    return Outcome(http_status=response.status_code, items=parse_piste(payload), access_token=token,
                   token_expires_at=expires)


def piste_token(state: SourceState, *, client: httpx.Client, now: datetime.datetime) -> tuple[str, datetime.datetime]:
    if not (state.client_id and state.client_secret):
        raise SourceError(_("The PISTE client id and secret are not set for this source."))
    response = client.post(state.token_url, data={
        "grant_type": "client_credentials", "client_id": state.client_id, "client_secret": state.client_secret,
        "scope": "openid",
    })
    if response.status_code >= 400:
        raise SourceError(_("PISTE refused the credentials (HTTP {status}).").format(status=response.status_code),
                          response.status_code)
    try:
        data = response.json()
        return data["access_token"], now + datetime.timedelta(seconds=int(data.get("expires_in", 3600)))
    except (ValueError, KeyError, TypeError) as error:
        raise SourceError(_("PISTE's token answer is not understood."), response.status_code) from error


def _piste_search(state: SourceState, *, client: httpx.Client, token: str, now: datetime.datetime) -> httpx.Response:
    since = state.since or (now.date() - datetime.timedelta(days=30))
    body = {
        "fond": "JORF",
        "recherche": {
            "champs": [{"typeChamp": "ALL", "operateur": "ET", "criteres": [
                {"typeRecherche": "UN_DES_MOTS", "valeur": state.query or "environnement", "operateur": "ET"}]}],
            "filtres": [{"facette": "DATE_PUBLICATION", "dates": {"start": since.isoformat(), "end": now.date().isoformat()}}],
            "pageNumber": 1, "pageSize": PISTE_PAGE_SIZE, "operateur": "ET", "sort": "PUBLICATION_DATE_DESC",
            "typePagination": "DEFAUT",
        },
    }
    return client.post(f"{state.address.rstrip('/')}/search", json=body, headers={"Authorization": f"Bearer {token}"})


def parse_piste(payload) -> list[FetchedItem]:
    """The texts of a PISTE search answer (``results[].titles[]``, ``nor``, ``datePublication``)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("results", []), list):
        raise SourceError(_("Légifrance's answer is not understood."), 200)
    items = []
    for result in payload.get("results") or []:
        titles = result.get("titles") or [{}]
        first = titles[0] if isinstance(titles[0], dict) else {}
        identifier = first.get("cid") or first.get("id") or ""
        title = first.get("title") or result.get("title") or ""
        if not (identifier or title):
            continue
        link = f"https://www.legifrance.gouv.fr/jorf/id/{identifier}" if identifier else ""
        ids = {"nor": result["nor"]} if result.get("nor") else {}
        items.append(FetchedItem(guid=identifier or title, title=title[:500], link=link,
                                 summary=_plain(result.get("text") or result.get("resume") or ""),
                                 published_at=_piste_date(result.get("datePublication")), identifiers=ids))
    return items


def _piste_date(value) -> datetime.datetime | None:
    if isinstance(value, int | float):  # milliseconds since the epoch
        return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)
    return None
