"""The first day of a new organization: setup on an empty installation, the command, the
staff area, self-service sign-up. Expected values written by hand."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from qse.models import Membership, Organization, Site
from qse.roles import Role
from qse.validators import siret_ok

SETUP = {
    "name": "Biscuiterie de l'Ouest", "siret": "732 829 320 00074", "sector": "agrifood", "headcount": "85",
    "default_language": "fr", "first_name": "Anne", "last_name": "Le Goff", "email": "anne@biscuiterie.example",
    "password1": "Galettes-2027!", "password2": "Galettes-2027!",
}


@pytest.mark.parametrize(("value", "valid"), [
    ("73282932000074", True),   # a real SIRET (Luhn sum 40)
    ("73282932000075", False),  # one digit off
    ("7328293200007", False),   # 13 digits
    ("7328293200007A", False),
])
def test_a_siret_has_fourteen_digits_and_a_valid_check_digit(value, valid):
    assert siret_ok(value) is valid


def test_a_fresh_installation_sends_its_first_visitor_to_the_setup_page(client, db):
    assert client.get("/").url == "/setup/"


def test_setup_creates_the_organization_and_its_admin_signs_them_in_then_answers_404(client, db):
    response = client.post("/setup/", SETUP)

    assert response.status_code == 302 and response.url == "/"
    organization = Organization.objects.get()
    assert (organization.name, organization.siret, organization.sector, organization.headcount) == (
        "Biscuiterie de l'Ouest", "73282932000074", "agrifood", 85)
    admin = get_user_model().objects.get(email="anne@biscuiterie.example")
    assert admin.username == "anne@biscuiterie.example" and admin.check_password("Galettes-2027!")
    assert Membership.objects.get(user=admin).role == Role.ADMIN
    assert client.get("/").status_code == 302  # signed in: sent to their home, not to the login page
    assert client.get("/org/todo/").status_code == 200
    assert client.get("/setup/").status_code == 404
    assert client.post("/setup/", {**SETUP, "name": "Second"}).status_code == 404
    assert Organization.objects.count() == 1


def test_setup_refuses_a_wrong_siret_with_a_translated_message_and_creates_nothing(client, db):
    response = client.post("/setup/", {**SETUP, "siret": "73282932000075"}, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert "14 chiffres" in response.content.decode()
    assert not Organization.objects.exists() and not get_user_model().objects.exists()


def test_setup_refuses_different_passwords(client, db):
    response = client.post("/setup/", {**SETUP, "password2": "other-password-9"})
    assert response.status_code == 200 and not Organization.objects.exists()


def test_setup_answers_404_once_an_organization_exists(client, world):
    assert client.get("/setup/").status_code == 404


def test_the_command_creates_an_organization_with_an_admin_whose_password_comes_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "Plateau-repas-77")
    call_command("create_organization", "--name", "Conserverie du Port", "--sector", "agrifood", "--headcount", "12",
                 "--admin-email", "chef@conserverie.example", "--admin-password-env", "FIRST_ADMIN_PASSWORD")

    organization = Organization.objects.get(name="Conserverie du Port")
    membership = Membership.objects.get(organization=organization)
    assert membership.role == Role.ADMIN and membership.user.check_password("Plateau-repas-77")
    assert organization.slug == "conserverie-du-port"


def test_the_command_without_a_password_invites_the_admin_by_email(db, sent):
    sent(lambda: call_command("create_organization", "--name", "Laiterie", "--admin-email", "dir@laiterie.example"))

    organization = Organization.objects.get(name="Laiterie")
    assert not Membership.objects.filter(organization=organization).exists()
    assert [m.to for m in mail.outbox] == [["dir@laiterie.example"]]
    assert f"/invitations/{organization.pk}-" in mail.outbox[0].body


def test_the_command_refuses_a_wrong_siret(db):
    with pytest.raises(CommandError):
        call_command("create_organization", "--name", "X", "--siret", "12345678901234", "--admin-email", "x@x.example")
    assert not Organization.objects.filter(name="X").exists()


# --- staff -------------------------------------------------------------------------------------


def _staff(world):
    user = world.a.users[Role.CONTRIBUTOR]
    user.is_staff = True
    user.save()
    return user


def test_only_staff_open_the_platform_area(client, world):
    client.force_login(world.a.users[Role.ADMIN])
    assert client.get("/staff/").status_code == 404
    client.force_login(_staff(world))
    assert client.get("/staff/").status_code == 200


def test_the_staff_area_shows_every_organization_with_its_usage(client, world):
    client.force_login(_staff(world))
    page = client.get("/staff/").content.decode()

    assert "Alpha Usinage" in page and "Beta Chimie" in page
    rows = {u.organization.name: u for u in client.get("/staff/").context["usage"]}
    assert rows["Beta Chimie"].members == 2  # a coordinator and a process owner
    assert rows["Alpha Usinage"].members == 6
    # Beta: one site, one process, one plan, three actions.
    assert rows["Beta Chimie"].records == 6


def test_a_staff_users_ordinary_pages_stay_scoped_to_their_own_organization(client, world, settings):
    """Staff rights open the platform area only: with the application's scoping switched off,
    row-level security alone still hides organization B's actions from a staff member of A."""
    settings.QSE_APP_SCOPING = False
    client.force_login(_staff(world))
    listing = client.get("/improvement/actions/").content.decode()

    assert "Alpha Usinage action 0" in listing and "Beta Chimie action 0" not in listing
    assert client.get(world.b.actions[0].get_absolute_url()).status_code == 404
    assert client.get(f"/org/sites/{world.b.site.pk}/").status_code == 404


def test_staff_create_an_organization_and_its_first_admin_is_invited(client, world, sent):
    client.force_login(_staff(world))
    response = sent(lambda: client.post("/staff/", {
        "name": "Fromagerie Alpine", "siret": "", "sector": "agrifood", "headcount": "40", "default_language": "fr",
        "admin_email": "dg@fromagerie.example"}))

    organization = Organization.objects.get(name="Fromagerie Alpine")
    assert response.url == f"/staff/{organization.pk}/"
    assert mail.outbox[-1].to == ["dg@fromagerie.example"]
    assert "dg@fromagerie.example" in client.get(response.url).content.decode()


# --- self-service sign-up -------------------------------------------------------------------------


def test_sign_up_does_not_exist_unless_the_deployment_enables_it(client, db):
    assert client.get("/signup/").status_code == 404


def test_sign_up_creates_the_organization_only_once_the_address_is_confirmed(client, db, settings):
    settings.QSE_SIGNUP_ENABLED = True
    response = client.post("/signup/", SETUP)

    assert response.status_code == 200 and not Organization.objects.exists()
    link = re.search(r"/signup/[^/\s]+/", mail.outbox[0].body).group(0)
    assert client.get(link).status_code == 302
    membership = Membership.objects.get(user__email="anne@biscuiterie.example")
    assert membership.role == Role.ADMIN and membership.organization.name == "Biscuiterie de l'Ouest"
    assert client.get(link).status_code == 400  # used once
    assert client.get(link[:-5] + "xxxx/").status_code == 400  # forged


def test_a_sign_up_link_expires(client, db, settings):
    from qse import onboarding

    settings.QSE_SIGNUP_ENABLED = True
    client.post("/signup/", SETUP)
    link = re.search(r"/signup/[^/\s]+/", mail.outbox[0].body).group(0)
    settings.QSE_SIGNUP_ENABLED = True
    original = onboarding.SIGNUP_MAX_AGE
    onboarding.SIGNUP_MAX_AGE = -1
    try:
        response = client.get(link)
    finally:
        onboarding.SIGNUP_MAX_AGE = original
    assert response.status_code == 400 and not Organization.objects.exists()


def test_a_site_headcount_shows_the_french_thresholds_on_the_organization_profile(client, world):
    Site.objects.filter(pk=world.a.site.pk).update(headcount=60)
    client.force_login(world.a.users[Role.ADMIN])
    page = client.get("/org/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "11 employees or more" in page and "50 employees or more" in page
