"""The OpenID Connect protocol with the organization's provider, through Authlib.

Authorization Code flow with PKCE (S256), ``state`` and ``nonce`` kept in the session by
Authlib; the ID token's signature is checked against the keys of the provider's JWKS (found
in its discovery document), then its issuer, audience, expiry and nonce.
"""

from __future__ import annotations

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.utils.translation import gettext as _
from joserfc.errors import JoseError
from requests import RequestException

from qse.models import DirectorySignIn
from qse.oidc import protocol_settings

SCOPES = "openid email profile"
SESSION_PENDING = "qse_directory_pending"  # state -> [organization id, next page], until the callback


class DirectoryError(Exception):
    """The provider's answer could not be trusted or understood: the sign-in is refused."""


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def directory_app(directory: DirectorySignIn) -> DjangoOAuth2App:
    """An Authlib client for one organization's provider (one per sign-in: providers rotate keys)."""
    protocol = protocol_settings(directory)
    return DjangoOAuth2App(
        DjangoIntegration(f"qse-directory-{directory.organization_id}"),
        name=f"qse-directory-{directory.organization_id}",
        client_id=protocol.client_id,
        client_secret=protocol.client_secret,
        server_metadata_url=discovery_url(protocol.issuer),
        client_kwargs={
            "scope": SCOPES, "code_challenge_method": "S256",
            "default_timeout": settings.QSE_OIDC_TIMEOUT_SECONDS,
        },
    )


def _checked_metadata(app: DjangoOAuth2App, issuer: str) -> dict:
    """The discovery document, refused unless it names the configured issuer (OIDC Discovery 4.3)."""
    try:
        metadata = app.load_server_metadata()
    except (RequestException, ValueError) as error:
        raise DirectoryError(_("The directory could not be reached ({error}).").format(error=type(error).__name__)) from error
    if metadata.get("issuer") != issuer:
        raise DirectoryError(_("The directory's discovery document names another issuer."))
    return metadata


def authorization_redirect(request, directory: DirectorySignIn, *, redirect_uri: str, login_hint: str = "", next_url: str = ""):
    """The redirect to the provider's sign-in page; remembers which organization asked, and
    the page to show after (already checked to be ours)."""
    app = directory_app(directory)
    _checked_metadata(app, protocol_settings(directory).issuer)
    extra = {"login_hint": login_hint} if login_hint else {}
    response = app.authorize_redirect(request, redirect_uri, **extra)
    state = _state_of(response["Location"])
    pending = request.session.get(SESSION_PENDING, {})
    pending[state] = [directory.organization_id, next_url]
    request.session[SESSION_PENDING] = dict(list(pending.items())[-5:])  # a few tabs at most
    return response


def _state_of(url: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(url).query)["state"][0]


def pending_sign_in(request) -> tuple[int | None, str]:
    """(organization, next page) of the sign-in this callback's ``state`` belongs to
    (None: a state this session never started)."""
    found = request.session.get(SESSION_PENDING, {}).get(request.GET.get("state", ""))
    return (found[0], found[1]) if found else (None, "")


def verified_claims(request, directory: DirectorySignIn) -> dict:
    """Exchange the code (with the PKCE verifier) and return the ID token's verified claims.
    Raises DirectoryError for an error from the provider, a bad signature, another issuer,
    another audience, an expired token or a nonce that is not this session's."""
    issuer = protocol_settings(directory).issuer
    app = directory_app(directory)
    _checked_metadata(app, issuer)
    request.session.get(SESSION_PENDING, {}).pop(request.GET.get("state", ""), None)
    request.session.modified = True
    try:
        token = app.authorize_access_token(request, claims_options={"iss": {"essential": True, "value": issuer}})
    except OAuthError as error:
        raise DirectoryError(_("The directory refused the sign-in ({error}).").format(error=error.error)) from error
    except (JoseError, AuthlibBaseError) as error:  # joserfc's signature checks, Authlib's claims
        detail = getattr(error, "description", None) or getattr(error, "error", None) or type(error).__name__
        raise DirectoryError(_("The directory's identity token was refused ({error}).").format(error=detail)) from error
    except (RequestException, ValueError, KeyError) as error:
        raise DirectoryError(_("The directory could not be reached ({error}).").format(error=type(error).__name__)) from error
    if not token.get("userinfo"):
        raise DirectoryError(_("The directory sent no identity token."))
    return dict(token["userinfo"])
