"""A fake of the watched servers on loopback: stored feed files, and the shape of the PISTE
OAuth2 token endpoint and Légifrance search. Every failure kind a real source shows is a route:
malformed, empty, huge, slow, 304 on a matching validator, 500, an expired token."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

FEEDS = Path(__file__).parent / "feeds"
ETAG = '"inrs-v1"'
LAST_MODIFIED = "Mon, 16 Nov 2026 07:00:00 GMT"
CLIENT_ID, CLIENT_SECRET = "client-alpha", "secret-alpha"


class FakeSources:
    def __init__(self):
        self.requests: list[tuple[str, str, dict]] = []
        self.tokens_issued = 0
        self.revoked: set[str] = set()
        self.slow_seconds = 3.0
        self.huge_bytes = 200_000
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def hits(self, path: str) -> list[dict]:
        return [headers for method, seen, headers in self.requests if seen == path]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet tests
                pass

            def _send(self, status: int, body: bytes = b"", content_type="application/xml", headers=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def do_GET(self):
                fake.requests.append(("GET", self.path, dict(self.headers)))
                if self.path == "/inrs.xml":
                    if self.headers.get("If-None-Match") == ETAG:
                        return self._send(304)
                    return self._send(200, (FEEDS / "inrs.xml").read_bytes(),
                                      headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED})
                if self.path == "/inrs-no-validators.xml":
                    return self._send(200, (FEEDS / "inrs.xml").read_bytes())
                if self.path == "/eurlex.atom":
                    return self._send(200, (FEEDS / "eurlex.atom").read_bytes(), "application/atom+xml")
                if self.path == "/empty.xml":
                    return self._send(200, (FEEDS / "empty.xml").read_bytes())
                if self.path == "/malformed":
                    return self._send(200, (FEEDS / "malformed.json").read_bytes(), "application/json")
                if self.path == "/huge.xml":
                    return self._huge()
                if self.path == "/slow.xml":
                    time.sleep(fake.slow_seconds)
                    return self._send(200, (FEEDS / "empty.xml").read_bytes())
                if self.path == "/500":
                    return self._send(500, b"Internal Server Error", "text/plain")
                return self._send(404, b"", "text/plain")

            def _huge(self):
                # Streamed without a length, as a misbehaving server does: refused as it comes.
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                item = b"<item><title>x</title><link>https://example.test/x</link></item>" * 100
                self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>big</title>')
                sent = 0
                try:
                    while sent < fake.huge_bytes:
                        self.wfile.write(item)
                        sent += len(item)
                    self.wfile.write(b"</channel></rss>")
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                fake.requests.append(("POST", self.path, dict(self.headers)))
                if self.path == "/oauth/token":
                    form = {k: v[0] for k, v in parse_qs(body).items()}
                    if form.get("grant_type") != "client_credentials" or (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
                        return self._send(401, b'{"error": "invalid_client"}', "application/json")
                    fake.tokens_issued += 1
                    token = {"access_token": f"token-{fake.tokens_issued}", "token_type": "Bearer", "expires_in": 3600}
                    return self._send(200, json.dumps(token).encode(), "application/json")
                if self.path == "/piste/search":
                    token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                    if not token.startswith("token-") or token in fake.revoked:
                        return self._send(401, b'{"error": "invalid_token"}', "application/json")
                    query = json.loads(body or "{}")
                    if query.get("fond") != "JORF":
                        return self._send(400, b'{"error": "fond"}', "application/json")
                    return self._send(200, (FEEDS / "piste_search.json").read_bytes(), "application/json")
                return self._send(404, b"", "text/plain")

        return Handler
