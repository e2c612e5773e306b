"""The directory sign-in settings: the admin's page and the API, one service behind both;
the client secret stored encrypted and never shown back; other roles and organizations kept out."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from qse.factories import MembershipFactory
from qse.models import DirectorySignIn
from qse.oidc import decrypt_secret, role_for_groups
from qse.roles import Role

PAGE = "/org/directory/"
API = "/api/v1/organization/directory/"
SECRET = "tr3s-secret-value"
FORM = {
    "is_enabled": "on", "display_name": "Microsoft Entra ID",
    "issuer": "https://login.microsoftonline.com/0000-tenant/v2.0", "client_id": "app-123",
    "client_secret": SECRET, "allowed_domains": "Biscuiterie.test, @usine-biscuiterie.test",
    "group_roles": "QSE-Admins = admin\nQSE-Team = QSE coordinator\n\nOpérateurs = contributor",
    "default_role": "",
}


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def admin(world):
    return client_of(world.a.users[Role.ADMIN])


def test_the_admin_sets_the_directory_on_a_page_and_the_secret_is_never_shown_back(admin, world):
    page = admin.get(PAGE)
    assert page.status_code == 200
    assert 'data-testid="redirect-uri">http://testserver/accounts/directory/callback/<' in page.content.decode()

    saved = admin.post(PAGE, FORM, follow=True)
    assert saved.redirect_chain == [(PAGE, 302)]
    directory = DirectorySignIn.objects.get(organization=world.a.organization)
    assert directory.allowed_domains == ["biscuiterie.test", "usine-biscuiterie.test"]
    assert directory.group_roles == {"QSE-Admins": "admin", "QSE-Team": "coordinator", "Opérateurs": "contributor"}
    assert SECRET not in directory.client_secret_encrypted and decrypt_secret(directory.client_secret_encrypted) == SECRET
    html = saved.content.decode()
    assert SECRET not in html and "A client secret is stored." in html
    # History keeps who changed what, never the secret (encrypted or not).
    event = directory.events.get()
    assert not hasattr(event, "client_secret_encrypted") and event.client_id == "app-123"

    # Saving again without a secret keeps the stored one.
    again = admin.post(PAGE, {**FORM, "client_secret": "", "display_name": "Entra", "version": 1})
    assert again.status_code == 302
    directory.refresh_from_db()
    assert (directory.display_name, directory.version) == ("Entra", 2)
    assert decrypt_secret(directory.client_secret_encrypted) == SECRET


def test_a_wrong_group_line_or_domain_is_a_clear_error_and_nothing_is_saved(admin, world):
    answer = admin.post(PAGE, {**FORM, "group_roles": "QSE-Admins = admin\nQSE-Team => boss", "allowed_domains": "not a domain"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Line 2: write “group = role” with a role of the list." in html
    assert "Not an e-mail domain: not, a, domain" in html
    assert not DirectorySignIn.objects.filter(organization=world.a.organization).exists()


def test_a_stale_page_is_a_conflict_not_an_overwrite(admin, world):
    admin.post(PAGE, FORM)
    admin.post(PAGE, {**FORM, "display_name": "First", "version": 1})
    stale = admin.post(PAGE, {**FORM, "display_name": "Second", "version": 1})
    assert "Someone else changed these settings in the meantime" in stale.content.decode()
    assert DirectorySignIn.objects.get(organization=world.a.organization).display_name == "First"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MANAGEMENT, Role.CONTRIBUTOR])
def test_only_admins_set_the_directory_since_it_grants_memberships(world, role):
    client = client_of(world.a.users[role])
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, FORM).status_code == 403
    assert client.get(API).status_code == 403
    assert client.put(API, {}, content_type="application/json").status_code == 403
    assert not DirectorySignIn.objects.exists()
    assert "/org/directory/" not in client.get("/org/todo/").content.decode()


def test_the_api_writes_through_the_same_service_with_the_secret_write_only(admin, world):
    body = {
        "display_name": "Keycloak", "issuer": "https://sso.biscuiterie.test/realms/usine", "client_id": "pilote",
        "client_secret": SECRET, "allowed_domains": ["biscuiterie.test"],
        "group_roles": {"/qse/admins": "admin"}, "default_role": "contributor",
    }
    assert admin.get(API).status_code == 404
    created = admin.put(API, body, content_type="application/json")
    assert created.status_code == 200, created.content
    data = created.json()
    assert "client_secret" not in data and data["has_client_secret"] is True and SECRET not in created.content.decode()
    assert data["redirect_uri"] == "http://testserver/accounts/directory/callback/" and data["version"] == 1

    without_version = admin.put(API, {**body, "client_secret": ""}, content_type="application/json")
    assert without_version.status_code == 428
    stale = admin.put(API, {**body, "display_name": "KC", "version": 7}, content_type="application/json")
    assert stale.status_code == 409
    updated = admin.put(API, {**body, "client_secret": "", "display_name": "KC", "version": 1}, content_type="application/json")
    assert updated.status_code == 200 and updated.json()["version"] == 2
    directory = DirectorySignIn.objects.get(organization=world.a.organization)
    assert decrypt_secret(directory.client_secret_encrypted) == SECRET and directory.default_role == "contributor"

    bad = admin.put(API, {**body, "group_roles": {"x": "boss"}, "version": 2}, content_type="application/json")
    assert bad.status_code == 400 and "group_roles" in bad.json()


def test_another_organizations_directory_is_invisible(world):
    beta_admin = MembershipFactory(organization=world.b.organization, role=Role.ADMIN).user
    client_of(beta_admin).post(PAGE, FORM)
    assert DirectorySignIn.objects.filter(organization=world.b.organization).count() == 1
    admin = client_of(world.a.users[Role.ADMIN])
    assert admin.get(API).status_code == 404
    assert "app-123" not in admin.get(PAGE).content.decode()  # beta's client id


def test_the_deployment_settings_may_give_the_protocol_fields_instead_of_the_page(admin, world, settings):
    settings.QSE_OIDC_DIRECTORIES = {world.a.organization.slug: {"issuer": "https://idp.example.test", "client_secret": "from-env"}}
    admin.post(PAGE, {**FORM, "issuer": "https://ignored.test", "client_secret": ""})
    directory = DirectorySignIn.objects.get(organization=world.a.organization)
    assert directory.issuer == "" and directory.client_secret_encrypted == ""
    page = admin.get(PAGE).content.decode()
    assert page.count("Set in the server&#x27;s settings.") == 2 and "from-env" not in page
    assert json.loads(json.dumps(admin.get(API).json()))["issuer"] == "https://idp.example.test"


@pytest.mark.parametrize("groups, default, expected", [
    (["Workshop", "QSE-Admins"], "", "admin"),          # the highest mapped role wins
    (["Workshop"], "", "contributor"),
    (["unknown"], "auditor", "auditor"),                # nothing maps: the default role
    (["unknown"], "", None),                            # ... or no access
    ("QSE-Team", "", "coordinator"),                    # a directory sending one group as a string
    ([], "", None),
])
def test_role_for_groups(groups, default, expected):
    mapping = {"QSE-Admins": "admin", "QSE-Team": "coordinator", "Workshop": "contributor"}
    assert role_for_groups(groups, mapping, default) == expected
