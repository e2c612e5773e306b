"""API token services."""

from django.http import Http404
from django.utils import timezone

from qse.models import ApiToken
from qse.models.tokens import token_digest


def token_create(*, user, organization, name: str) -> str:
    """Create a token and return its key, shown once; only the digest is kept."""
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, organization=organization, name=name[:100], prefix=key[:8], digest=token_digest(key))
    return key


def token_revoke(*, user, token_id: int) -> None:
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if not updated:
        raise Http404
