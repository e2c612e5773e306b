"""Starts the test directory (a real OpenID Connect provider) on loopback, behind a reverse
proxy of our own that the tests may turn hostile.

The provider is django-oauth-toolkit in its own process (tests/oidc_provider/settings.py).
Everything reaches it through the proxy, which is its public address (its issuer): in normal
use the proxy only forwards. A test that wants to prove a check sets ``tamper`` to alter the
ID token of the token endpoint's next answers, as an attacker in the middle would: signed with
another key (same key id), another issuer or another nonce, the last two signed with the
provider's real key so that only the claim is wrong.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt
from joserfc.jwk import RSAKey

ROOT = Path(__file__).resolve().parents[2]
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _new_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _claims_of(id_token: str) -> tuple[dict, dict]:
    header, payload, _signature = id_token.split(".")
    pad = lambda part: part + "=" * (-len(part) % 4)  # noqa: E731
    return json.loads(base64.urlsafe_b64decode(pad(header))), json.loads(base64.urlsafe_b64decode(pad(payload)))


class LoopbackDirectory:
    """The provider process and its proxy; ``stop()`` ends both."""

    def __init__(self):
        self.key_pem = _new_key_pem()
        self.attacker_pem = _new_key_pem()
        self.tamper: str | None = None  # "signature", "issuer", "nonce"
        self.port, self.proxy_port = _free_port(), _free_port()
        self.base_url = f"http://127.0.0.1:{self.proxy_port}"
        self.issuer = f"{self.base_url}/o"
        self._dir = tempfile.TemporaryDirectory(prefix="qse-oidc-provider-")
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
            "OIDC_PROVIDER_DB": str(Path(self._dir.name) / "provider.sqlite3"),
            "OIDC_PROVIDER_KEY": self.key_pem,
            "OIDC_PROVIDER_ISSUER": self.issuer,
            "PYTHONPATH": str(ROOT),
        }
        self.setup({})  # migrate
        self._process = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._proxy = ThreadingHTTPServer(("127.0.0.1", self.proxy_port), self._handler())
        threading.Thread(target=self._proxy.serve_forever, daemon=True).start()
        self._wait_ready()

    # --- state of the directory ------------------------------------------------------------

    def setup(self, spec: dict) -> None:
        """Register the client and (re)write people and their groups, in the provider's database."""
        subprocess.run(
            [sys.executable, "-m", "tests.oidc_provider.setup"], input=json.dumps(spec), text=True,
            cwd=ROOT, env=self.env, check=True, timeout=120,
        )

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            if self._process.poll() is not None:
                raise RuntimeError("the test OpenID Connect provider did not start")
            time.sleep(0.2)
        raise RuntimeError("the test OpenID Connect provider did not answer in 60 s")

    def stop(self) -> None:
        self._proxy.shutdown()
        self._process.terminate()
        self._process.wait(timeout=10)
        self._dir.cleanup()

    # --- a person at the provider ----------------------------------------------------------

    def sign_in(self, authorize_url: str, username: str, password: str) -> str:
        """What the person's browser does at the directory: sign in, then follow the
        authorization request; returns the URL the directory sends them back to (the app's
        callback with ``code`` and ``state``)."""
        session = requests.Session()
        login_url = f"{self.base_url}/accounts/login/"
        session.get(login_url, timeout=10)
        answer = session.post(login_url, timeout=10, allow_redirects=False, data={
            "username": username, "password": password, "next": "/",
            "csrfmiddlewaretoken": session.cookies["provider_csrftoken"],
        }, headers={"Referer": login_url})
        assert answer.status_code == 302, "the test directory refused the person's password"
        answer = session.get(authorize_url, timeout=10, allow_redirects=False)
        assert answer.status_code == 302, answer.text[:500]
        return urljoin(authorize_url, answer.headers["Location"])

    # --- the proxy -------------------------------------------------------------------------

    def _tampered(self, body: bytes) -> bytes:
        answer = json.loads(body)
        header, claims = _claims_of(answer["id_token"])
        key = RSAKey.import_key(self.key_pem)
        if self.tamper == "signature":
            key = RSAKey.import_key(self.attacker_pem)
        elif self.tamper == "issuer":
            claims["iss"] = "http://127.0.0.1:9/o"
        elif self.tamper == "nonce":
            claims["nonce"] = "a-nonce-from-another-sign-in"
        answer["id_token"] = jwt.encode({"alg": header["alg"], "kid": header.get("kid"), "typ": "JWT"}, claims, key)
        return json.dumps(answer).encode()

    def _handler(self):
        directory = self

        class Forward(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                upstream = http.client.HTTPConnection("127.0.0.1", directory.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    reply = upstream.getresponse()
                except OSError:  # the provider is still starting
                    self.send_error(502)
                    return
                content = reply.read()
                if directory.tamper and self.path.startswith("/o/token/") and reply.status == 200:
                    content = directory._tampered(content)
                self.send_response(reply.status)
                for name, value in reply.getheaders():
                    if name.lower() not in HOP_HEADERS:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(content)
                upstream.close()

            do_GET = do_POST = _forward

        return Forward
