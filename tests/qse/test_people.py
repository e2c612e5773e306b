"""The People page and its services: invitations, acceptance, role and limits, deactivation,
reassignment, password-reset links, people without an account."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from improvement.models import Action
from qse.models import Invitation, Membership
from qse.roles import Role


def _link(message) -> str:
    return re.search(r"/invitations/[^/\s]+/", message.body).group(0)


def _invite(client, world, sent, email="marie@alpha.example", role=Role.PROCESS_OWNER, **extra):
    client.force_login(world.a.users[Role.ADMIN])
    return sent(lambda: client.post("/org/people/", {"invite-email": email, "invite-first_name": "Marie", "invite-last_name": "Curie",
                                        "invite-role": role, **extra}))


def test_an_admin_invites_someone_who_accepts_chooses_a_password_and_gets_the_role_and_site_limit(client, world, sent):
    response = _invite(client, world, sent, **{"invite-sites": [world.a.site.pk]})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["marie@alpha.example"]
    link = _link(mail.outbox[-1])
    client.logout()

    page = client.get(link)
    assert page.status_code == 200 and "Alpha Usinage" in page.content.decode()
    response = client.post(link, {"first_name": "Marie", "last_name": "Curie",
                                  "password1": "Radium-1898!", "password2": "Radium-1898!"})

    assert response.status_code == 302
    membership = Membership.objects.get(user__email="marie@alpha.example")
    assert membership.role == Role.PROCESS_OWNER and membership.site_ids == [world.a.site.pk]
    assert membership.user.check_password("Radium-1898!")
    assert client.get(link).status_code == 404  # single use


def test_an_invitation_link_expires(client, world, sent):
    _invite(client, world, sent)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.logout()
    assert client.get(_link(mail.outbox[-1])).status_code == 404


def test_sending_again_replaces_the_link(client, world, sent):
    _invite(client, world, sent)
    first = _link(mail.outbox[-1])
    invitation = Invitation.objects.get()
    assert sent(lambda: client.post(f"/org/invitations/{invitation.pk}/resend/")).status_code == 302
    second = _link(mail.outbox[-1])
    client.logout()

    assert first != second
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    assert Invitation.objects.get().send_count == 2


def test_an_invitation_of_another_organization_is_a_404_for_resend(client, world):
    from qse.models.people import invitation_digest

    theirs = Invitation.objects.create(
        organization=world.b.organization, email="x@beta.example", role=Role.CONTRIBUTOR, digest=invitation_digest("s"),
        sent_at=timezone.now(), expires_at=timezone.now() + datetime.timedelta(days=7))
    client.force_login(world.a.users[Role.ADMIN])
    assert client.post(f"/org/invitations/{theirs.pk}/resend/").status_code == 404


def test_a_link_naming_another_organization_finds_nothing(client, world, sent):
    _invite(client, world, sent)
    link = _link(mail.outbox[-1])
    forged = re.sub(r"/invitations/\d+-", f"/invitations/{world.b.organization.pk}-", link)
    client.logout()
    assert client.get(forged).status_code == 404


def test_a_coordinator_reads_the_people_but_cannot_invite(client, world, sent):
    client.force_login(world.a.users[Role.COORDINATOR])
    page = client.get("/org/people/")
    assert page.status_code == 200 and "alpha-admin" in page.content.decode()
    assert client.post("/org/people/", {"invite-email": "z@z.example", "invite-role": "admin"}).status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.PROCESS_OWNER, Role.AUDITOR, Role.CONTRIBUTOR])
def test_other_roles_do_not_see_the_people_page(client, world, role):
    client.force_login(world.a.users[role])
    assert client.get("/org/people/").status_code == 403


def test_a_member_cannot_be_invited_twice(client, world, sent):
    response = _invite(client, world, sent, email="alpha-coordinator@demo.pilote-qse.local")
    assert response.status_code == 200
    assert "déjà membre" in response.content.decode() or "already a member" in response.content.decode()


def test_changing_role_and_limits_applies_to_what_the_member_sees(client, world):
    owner = world.a.users[Role.PROCESS_OWNER]
    membership = Membership.objects.get(user=owner)
    client.force_login(world.a.users[Role.ADMIN])
    other = Action.objects.create(organization=world.a.organization, plan=world.a.plan, title="Ailleurs",
                                  owner=owner, due_on=datetime.date(2027, 1, 1), process=None,
                                  site=__import__("qse.factories", fromlist=["SiteFactory"]).SiteFactory(
                                      organization=world.a.organization, code="ZZ"))
    response = client.post(f"/org/people/{membership.pk}/", {"role": Role.CONTRIBUTOR, "sites": [world.a.site.pk]})
    assert response.status_code == 302
    client.force_login(owner)
    listing = client.get("/improvement/actions/").content.decode()
    assert "Alpha Usinage action 0" in listing and "Ailleurs" not in listing
    assert client.get(other.get_absolute_url()).status_code == 404


def test_a_member_limited_to_a_process_sees_its_records_and_those_of_no_process(client, world, as_member):
    from improvement.factories import ActionFactory
    from qse.factories import ProcessFactory

    other_process = ProcessFactory(organization=world.a.organization, code="S9")
    elsewhere = ActionFactory(organization=world.a.organization, plan=world.a.plan, process=other_process, title="Autre processus")
    nowhere = ActionFactory(organization=world.a.organization, plan=world.a.plan, process=None, title="Sans processus")
    membership = Membership.objects.get(user=world.a.users[Role.AUDITOR])
    membership.processes.set([world.a.process])

    user = as_member(Role.AUDITOR)
    seen = set(Action.objects.restrict(user, "view").values_list("title", flat=True))
    assert "Alpha Usinage action 0" in seen and "Sans processus" in seen and "Autre processus" not in seen
    from qse.permissions import can
    assert not can(user, "view", elsewhere) and can(user, "view", nowhere)


def test_the_last_admin_cannot_be_deactivated_nor_demoted(client, world):
    admin = world.a.users[Role.ADMIN]
    membership = Membership.objects.get(user=admin)
    client.force_login(admin)
    client.post(f"/org/people/{membership.pk}/deactivate/")
    assert Membership.objects.get(pk=membership.pk).is_active
    response = client.post(f"/org/people/{membership.pk}/", {"role": Role.CONTRIBUTOR})
    assert response.status_code == 200 and Membership.objects.get(pk=membership.pk).role == Role.ADMIN


def test_a_deactivated_member_keeps_their_records_their_open_actions_are_listed_and_reassigned(client, world):
    owner = world.a.users[Role.PROCESS_OWNER]
    membership = Membership.objects.get(user=owner)
    client.force_login(world.a.users[Role.ADMIN])
    client.post(f"/org/people/{membership.pk}/deactivate/")

    assert not Membership.objects.get(pk=membership.pk).is_active
    page = client.get(f"/org/people/{membership.pk}/")
    assert list(page.context["actions"].values_list("title", flat=True)) == ["Alpha Usinage action 0", "Alpha Usinage action 1"]
    coordinator = world.a.users[Role.COORDINATOR]
    ids = [a.pk for a in world.a.actions[:2]]
    client.post(f"/org/people/{membership.pk}/reassign/", {"owner": coordinator.pk, "actions": ids})
    assert set(Action.objects.filter(pk__in=ids).values_list("owner", flat=True)) == {coordinator.pk}
    assert Action.objects.get(pk=world.a.actions[2].pk).owner == owner  # done: stays theirs

    client.force_login(owner)
    assert client.get("/improvement/actions/").status_code == 403  # no active membership any more
    client.force_login(world.a.users[Role.ADMIN])
    client.post(f"/org/people/{membership.pk}/reactivate/")
    assert Membership.objects.get(pk=membership.pk).is_active


def test_an_admin_sends_a_password_reset_link(client, world, sent):
    membership = Membership.objects.get(user=world.a.users[Role.AUDITOR])
    client.force_login(world.a.users[Role.ADMIN])
    sent(lambda: client.post(f"/org/people/{membership.pk}/password-reset/"))

    assert mail.outbox[-1].to == [world.a.users[Role.AUDITOR].email]
    link = re.search(r"/accounts/reset/[^\s]+", mail.outbox[-1].body).group(0)
    client.logout()
    assert client.get(link).status_code == 302  # Django's reset page takes the token from the link


def test_a_person_without_an_account_can_own_actions_and_be_invited_later(client, world, sent):
    client.force_login(world.a.users[Role.ADMIN])
    response = client.post("/org/people/add/", {"person-first_name": "Paul", "person-last_name": "Opérateur",
                                                "person-email": ""})
    membership = Membership.objects.get(user__last_name="Opérateur")
    assert response.url == f"/org/people/{membership.pk}/"
    assert not membership.user.has_usable_password()
    refused = client.post("/accounts/login/", {"username": membership.user.username, "password": ""})
    assert refused.status_code == 200  # no password to sign in with: the form again

    form = client.get("/improvement/actions/add/").context["form"]
    assert membership.user in form.fields["owner"].queryset

    sent(lambda: client.post(f"/org/people/{membership.pk}/invite/", {"email": "paul@alpha.example"}))
    link = _link(mail.outbox[-1])
    client.logout()
    client.post(link, {"first_name": "Paul", "last_name": "Opérateur", "password1": "Tournevis-42!", "password2": "Tournevis-42!"})
    user = get_user_model().objects.get(pk=membership.user.pk)
    assert user.email == "paul@alpha.example" and user.check_password("Tournevis-42!")
    assert Membership.objects.filter(user=user).count() == 1


def test_someone_with_an_account_accepts_signed_in_and_joins_a_second_organization(client, world, sent):
    beta = world.b.users[Role.COORDINATOR]
    _invite(client, world, sent, email=beta.email, role=Role.AUDITOR)
    link = _link(mail.outbox[-1])
    client.logout()
    response = client.get(link)
    assert "sign in" in response.content.decode().lower() or "connect" in response.content.decode().lower()
    client.force_login(beta)
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=beta, organization=world.a.organization).role == Role.AUDITOR


def test_the_people_page_reads_a_fixed_number_of_queries_whatever_the_number_of_people(client, world):
    from qse.factories import MembershipFactory, UserFactory
    from qse.testing import count_queries

    client.force_login(world.a.users[Role.ADMIN])
    few = count_queries(lambda: client.get("/org/people/"))
    for i in range(15):
        membership = MembershipFactory(user=UserFactory(username=f"extra{i}"), organization=world.a.organization, role="contributor")
        membership.sites.set([world.a.site])
    assert count_queries(lambda: client.get("/org/people/")) == few


def _upload(client, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/org/people/import/", {"file": SimpleUploadedFile("equipe.csv", content, content_type="text/csv")})


def test_people_come_in_from_a_spreadsheet_all_or_nothing_with_their_site_and_process(client, world):
    client.force_login(world.a.users[Role.ADMIN])
    good = ("Nom;Prénom;E-mail;Rôle;Site;Processus\n"
            "Le Bihan;Loïc;loic@alpha.example;Contributeur;Site Alpha Usinage;R1\n"
            "Morvan;Gwen;;Auditeur;;\n").encode()
    bad = good + b"Tanguy;Erwan;erwan@alpha.example;Chef;;\n"

    page = _upload(client, bad)
    mapping = {f"map_{column}": field for column, field in page.context["columns"]}
    assert set(mapping.values()) == {"last_name", "first_name", "email", "role", "sites", "processes"}
    refused = client.post("/org/people/import/", {"token": page.context["token"], **mapping})
    assert refused.status_code == 400
    assert [(e.row, e.field) for e in refused.context["errors"]] == [(4, "Rôle")]
    assert not Membership.objects.filter(user__last_name__in=["Le Bihan", "Morvan"]).exists()

    page = _upload(client, good)
    assert client.post("/org/people/import/", {"token": page.context["token"], **mapping}).status_code == 302
    loic = Membership.objects.get(user__last_name="Le Bihan")
    assert (loic.role, loic.site_ids, loic.process_ids) == (Role.CONTRIBUTOR, [world.a.site.pk], [world.a.process.pk])
    assert loic.user.email == "loic@alpha.example" and not loic.user.has_usable_password()
    assert Membership.objects.get(user__last_name="Morvan").role == Role.AUDITOR


def test_a_coordinator_cannot_import_people(client, world):
    client.force_login(world.a.users[Role.COORDINATOR])
    assert client.get("/org/people/import/").status_code == 403
