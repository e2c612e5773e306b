"""Token authentication for integrations and sensors: ``Authorization: Token <key>``.

A token belongs to a user *and* an organization; the API activates that organization.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from qse.models import ApiToken
from qse.models.tokens import token_digest

# "Last used" is shown to the minute: a gateway posting every second writes it once a minute,
# not once a request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user", "organization")
            .filter(digest=token_digest(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token


def activate_token_organization(request) -> None:
    """A token names its organization: make it current before permissions are checked (a
    session request had it set by the middleware). Refused when the token's user has left it."""
    from qse.middleware import activate_user

    if isinstance(request.auth, ApiToken):
        membership = activate_user(request._request, request.user, request.auth.organization_id)
        if membership is None or membership.organization_id != request.auth.organization_id:
            raise exceptions.NotAuthenticated(_("This token's organization is no longer yours."))
