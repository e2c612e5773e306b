"""Set the provider's state from JSON on stdin: the client application and the people.

    {"client_id": ..., "client_secret": ..., "redirect_uris": [...],
     "users": {"alice": {"email": ..., "password": ..., "groups": [...], "first_name": ...}}}
"""

import json
import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402


def main(spec: dict) -> None:
    if not spec.get("users"):  # the first call, at start; people are rewritten many times
        call_command("migrate", verbosity=0)
    if "client_id" in spec:
        app, _ = Application.objects.get_or_create(client_id=spec["client_id"], defaults={"name": "Pilote QSE"})
        app.client_secret = spec["client_secret"]  # hashed on save
        app.client_type = Application.CLIENT_CONFIDENTIAL
        app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        app.algorithm = Application.RS256_ALGORITHM
        app.skip_authorization = True
        app.redirect_uris = " ".join(spec["redirect_uris"])
        app.save()
    for username, person in spec.get("users", {}).items():
        user, _ = User.objects.get_or_create(username=username)
        user.email = person["email"]
        user.first_name, user.last_name = person.get("first_name", ""), person.get("last_name", "")
        user.set_password(person["password"])
        user.save()
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in person.get("groups", [])])


if __name__ == "__main__":
    main(json.load(sys.stdin))
