"""The claims a directory sends: e-mail (verified), names and the person's groups."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class DirectoryValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scopes (as Entra ID's "groups")

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }
