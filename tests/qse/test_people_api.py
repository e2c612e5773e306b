"""The people and profile API: the pages' services, the role table's rights, scoped rows."""

from __future__ import annotations

import pytest
from django.core import mail

from improvement.choices import ReminderKind
from qse.models import Invitation, Membership, UserProfile
from qse.roles import Role


def test_me_profile_reads_and_changes_name_language_and_reminder_preferences(client, world):
    user = world.a.users[Role.CONTRIBUTOR]
    client.force_login(user)
    before = client.get("/api/v1/me/profile/").json()
    assert before["language"] == "" and before["digest_weekday"] == 0
    assert ReminderKind.OVERDUE in before["email_kinds"]

    kept = [k for k in before["email_kinds"] if k != ReminderKind.OVERDUE]
    response = client.patch("/api/v1/me/profile/", {"first_name": "Jeanne", "language": "en", "digest_weekday": 3,
                                                    "email_kinds": kept}, content_type="application/json")

    assert response.status_code == 200, response.content
    profile = UserProfile.objects.get(user=user)
    assert (profile.language, profile.digest_weekday, profile.muted_email_kinds) == ("en", 3, [ReminderKind.OVERDUE])
    assert response.json()["first_name"] == "Jeanne"
    refused = client.patch("/api/v1/me/profile/", {"email_kinds": ["nonsense"]}, content_type="application/json")
    assert refused.status_code == 400


@pytest.mark.parametrize(("role", "status"), [
    (Role.ADMIN, 200), (Role.COORDINATOR, 200), (Role.MANAGEMENT, 403), (Role.PROCESS_OWNER, 403),
    (Role.AUDITOR, 403), (Role.CONTRIBUTOR, 403),
])
def test_memberships_are_read_by_admins_and_coordinators_only(client, world, role, status):
    client.force_login(world.a.users[role])
    response = client.get("/api/v1/memberships/")
    assert response.status_code == status
    if status == 200:
        emails = {row["email"] for row in response.json()["results"]}
        assert "alpha-admin@demo.pilote-qse.local" in emails and not any("beta" in e for e in emails)


def test_every_member_lists_the_people_to_name_an_owner(client, world):
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    names = {row["id"] for row in client.get("/api/v1/people/").json()["results"]}
    assert names == {user.pk for user in world.a.users.values()}


def test_an_admin_invites_through_the_api_and_a_coordinator_may_not(client, world, sent):
    client.force_login(world.a.users[Role.COORDINATOR])
    refused = client.post("/api/v1/invitations/", {"email": "new@alpha.example", "role": "auditor"},
                          content_type="application/json")
    assert refused.status_code == 403

    client.force_login(world.a.users[Role.ADMIN])
    response = sent(lambda: client.post("/api/v1/invitations/", {
        "email": "new@alpha.example", "role": "auditor", "sites": [world.a.site.pk]}, content_type="application/json"))
    assert response.status_code == 201, response.content
    assert mail.outbox[-1].to == ["new@alpha.example"]
    invitation = Invitation.objects.get(email="new@alpha.example")
    assert list(invitation.sites.values_list("pk", flat=True)) == [world.a.site.pk]
    theirs = client.post("/api/v1/invitations/", {"email": "x@alpha.example", "role": "auditor",
                                                  "sites": [world.b.site.pk]}, content_type="application/json")
    assert theirs.status_code == 400  # another organization's site is not a choice
    assert client.post(f"/api/v1/invitations/{invitation.pk}/resend/").status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).send_count == 2


def test_an_admin_changes_a_role_and_deactivates_through_the_api(client, world):
    membership = Membership.objects.get(user=world.a.users[Role.AUDITOR])
    client.force_login(world.a.users[Role.ADMIN])
    response = client.patch(f"/api/v1/memberships/{membership.pk}/", {"role": "management", "processes": [world.a.process.pk]},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["role"] == "management" and response.json()["processes"] == [world.a.process.pk]
    assert client.post(f"/api/v1/memberships/{membership.pk}/deactivate/").json()["is_active"] is False
    theirs = Membership.objects.get(user=world.b.users[Role.PROCESS_OWNER])
    assert client.post(f"/api/v1/memberships/{theirs.pk}/deactivate/").status_code == 404


def test_the_organization_profile_is_read_by_members_and_changed_by_its_admins(client, world):
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.get("/api/v1/organization/").json()["name"] == "Alpha Usinage"
    assert client.patch("/api/v1/organization/", {"headcount": 120}, content_type="application/json").status_code == 403
    client.force_login(world.a.users[Role.ADMIN])
    response = client.patch("/api/v1/organization/", {"headcount": 120, "siret": "73282932000074"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["headcount"] == 120
    wrong = client.patch("/api/v1/organization/", {"siret": "73282932000075"}, content_type="application/json")
    assert wrong.status_code == 400


def test_a_coordinator_may_neither_add_nor_import_people_through_the_api(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.a.users[Role.COORDINATOR])
    assert client.post("/api/v1/memberships/", {"last_name": "X"}, content_type="application/json").status_code == 403
    upload = SimpleUploadedFile("equipe.csv", b"Nom\nX\n", content_type="text/csv")
    assert client.post("/api/v1/memberships/import/", {"file": upload}).status_code == 403
    membership = Membership.objects.get(user=world.a.users[Role.AUDITOR])
    assert client.post(f"/api/v1/memberships/{membership.pk}/deactivate/").status_code == 403
    assert Membership.objects.get(pk=membership.pk).is_active
