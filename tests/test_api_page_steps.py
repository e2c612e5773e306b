"""The API operations of the pages' steps (one per page write that is not plain CRUD), each
through the page's service: per role with hand-written expectations, and another
organization's record is a 404."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from context.factories import PolicyStatementFactory
from context.models import PolicyStatement
from improvement.models import Action
from nonconformities.choices import EventStatus, EventType
from nonconformities.factories import EventFactory
from qse.models import Attachment, Notification
from qse.roles import Role
from risks.factories import RiskFactory, RiskMatrixFactory

R = Role
ACTION_ADDERS = {R.ADMIN, R.COORDINATOR, R.MANAGEMENT, R.PROCESS_OWNER, R.AUDITOR}  # contributors do not add
SYSTEM_MANAGERS = {R.ADMIN, R.COORDINATOR}


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def _per_role(client, world, url, body, allowed, ok=200):
    got = {}
    for role, user in world.a.users.items():
        client.force_login(user)
        got[role] = _post(client, url, body).status_code
    assert got == {role: ok if role in allowed else 403 for role in world.a.users}
    client.force_login(world.a.users[R.ADMIN])  # for what the test asks next


def _event(side, **extra):
    return EventFactory(organization=side.organization, site=side.site, process=side.process,
                        owner=side.users[R.COORDINATOR], **extra)


# --- improvement -------------------------------------------------------------------------------


def test_progress_on_an_action_is_reported_by_its_owner_or_the_coordinators(client, world):
    action = world.a.actions[0]  # owned by the process owner, on their process
    url = f"/api/v1/improvement/actions/{action.pk}/progress/"
    _per_role(client, world, url, {"progress": 40}, {R.ADMIN, R.COORDINATOR, R.PROCESS_OWNER})
    action.refresh_from_db()
    assert action.progress == 40
    assert _post(client, f"/api/v1/improvement/actions/{world.b.actions[0].pk}/progress/", {"progress": 1}).status_code == 404


def test_moving_a_card_is_a_transition_and_a_wrong_move_is_a_400(client, world):
    action = world.a.actions[0]
    client.force_login(world.user())
    assert _post(client, f"/api/v1/improvement/actions/{action.pk}/move/", {"stage": "do"}).status_code == 200
    assert _post(client, f"/api/v1/improvement/actions/{action.pk}/move/", {"stage": "act"}).status_code == 400
    assert _post(client, f"/api/v1/improvement/actions/{world.b.actions[0].pk}/move/", {"stage": "do"}).status_code == 404


# --- context -----------------------------------------------------------------------------------


def test_a_statements_next_version_is_published_by_coordinators_and_admins(client, world):
    previous = PolicyStatementFactory(organization=world.a.organization, version_number=1)
    body = {"text": "Nouvelle politique", "approved_on": "2026-11-01", "approved_by": world.user().pk}
    _per_role(client, world, f"/api/v1/context/statements/{previous.pk}/new-version/", body, SYSTEM_MANAGERS, ok=201)
    versions = PolicyStatement.objects.filter(organization=world.a.organization, kind=previous.kind)
    assert sorted(versions.values_list("version_number", flat=True)) == [1, 2, 3]
    theirs = PolicyStatementFactory(organization=world.b.organization)
    client.force_login(world.a.users[R.ADMIN])
    assert _post(client, f"/api/v1/context/statements/{theirs.pk}/new-version/", body).status_code == 404


# --- events ------------------------------------------------------------------------------------


def test_a_reported_event_is_accepted_by_the_triagers_only(client, world):
    url = "/api/v1/nonconformities/events/{}/accept/"
    for role, user in world.a.users.items():
        event = _event(world.a, status=EventStatus.REPORTED)
        client.force_login(user)
        response = _post(client, url.format(event.pk), {"owner": world.a.users[R.PROCESS_OWNER].pk})
        assert response.status_code == (200 if role in SYSTEM_MANAGERS else 403), role
        event.refresh_from_db()
        assert event.status == (EventStatus.OPEN if role in SYSTEM_MANAGERS else EventStatus.REPORTED)
    theirs = _event(world.b, status=EventStatus.REPORTED)
    assert _post(client, url.format(theirs.pk)).status_code == 404


def test_the_declaration_date_is_recorded_by_whoever_may_change_the_accident(client, world):
    accident = _event(world.a, event_type=EventType.WORK_ACCIDENT)
    body = {"declared_on": timezone.localdate().isoformat()}  # the accident occurred 3 days ago
    # The event's process is the process owner's; management, auditors, contributors own nothing here.
    _per_role(client, world, f"/api/v1/nonconformities/events/{accident.pk}/declare/", body,
              {R.ADMIN, R.COORDINATOR, R.PROCESS_OWNER})
    accident.refresh_from_db()
    assert accident.declared_on == timezone.localdate()
    theirs = _event(world.b, event_type=EventType.WORK_ACCIDENT)
    assert _post(client, f"/api/v1/nonconformities/events/{theirs.pk}/declare/", body).status_code == 404


def test_an_action_is_created_from_an_event_by_those_who_add_actions(client, world):
    event = _event(world.a)
    body = {"title": "Reprendre la gamme", "owner": world.a.users[R.PROCESS_OWNER].pk, "due_on": "2026-12-31"}
    _per_role(client, world, f"/api/v1/nonconformities/events/{event.pk}/actions/", body, ACTION_ADDERS, ok=201)
    assert Action.objects.filter(title="Reprendre la gamme", organization=world.a.organization).count() == len(ACTION_ADDERS)
    theirs = _event(world.b)
    assert _post(client, f"/api/v1/nonconformities/events/{theirs.pk}/actions/", body).status_code == 404


def test_a_reporting_point_gets_a_new_code_from_coordinators_and_admins(client, world):
    from nonconformities.factories import ReportingPointFactory

    point = ReportingPointFactory(site=world.a.site)
    old_token = point.token
    _per_role(client, world, f"/api/v1/nonconformities/reporting-points/{point.pk}/regenerate/", {}, SYSTEM_MANAGERS)
    point.refresh_from_db()
    assert point.token != old_token
    theirs = ReportingPointFactory(site=world.b.site)
    assert _post(client, f"/api/v1/nonconformities/reporting-points/{theirs.pk}/regenerate/").status_code == 404


# --- risks -------------------------------------------------------------------------------------


def test_an_action_is_created_from_a_risk_with_the_risks_owner_process_and_site(client, world):
    matrix = RiskMatrixFactory(organization=world.a.organization)
    risk = RiskFactory(organization=world.a.organization, matrix=matrix, owner=world.a.users[R.PROCESS_OWNER],
                       process=world.a.process, site=world.a.site)
    body = {"title": "Capoter la presse", "due_on": "2026-12-31"}
    _per_role(client, world, f"/api/v1/risks/risks/{risk.pk}/actions/", body, ACTION_ADDERS, ok=201)
    created = Action.objects.filter(title="Capoter la presse")
    assert {(a.owner_id, a.process_id, a.site_id) for a in created} == {
        (world.a.users[R.PROCESS_OWNER].pk, world.a.process.pk, world.a.site.pk)}
    theirs = RiskFactory(organization=world.b.organization, matrix=RiskMatrixFactory(organization=world.b.organization))
    assert _post(client, f"/api/v1/risks/risks/{theirs.pk}/actions/", body).status_code == 404


# --- attachments, notifications ----------------------------------------------------------------


def _upload(client, record):
    content_type = ContentType.objects.get_for_model(record)
    data = {"content_type": content_type.pk, "object_id": record.pk,
            "file": SimpleUploadedFile("note.txt", b"Mesures du 20/11", content_type="text/plain")}
    return client.post("/api/v1/attachments/", data)


def test_a_file_is_attached_to_a_visible_record_and_archived_through_the_api(client, world):
    client.force_login(world.user())

    created = _upload(client, world.a.actions[0])
    assert created.status_code == 201, created.content
    attachment = Attachment.objects.get(pk=created.json()["id"])
    assert attachment.object_id == world.a.actions[0].pk

    assert _post(client, f"/api/v1/attachments/{attachment.pk}/archive/").status_code == 204
    attachment.refresh_from_db()
    assert attachment.archived_at is not None


def test_attaching_to_another_organizations_record_is_404(client, world):
    client.force_login(world.a.users[R.ADMIN])
    assert _upload(client, world.b.actions[0]).status_code == 404
    assert not Attachment.objects.exists()


def test_marking_notifications_read_reads_only_mine(client, world):
    me, other = world.a.users[R.CONTRIBUTOR], world.a.users[R.AUDITOR]
    for user in (me, me, other):
        Notification.objects.create(organization=world.a.organization, recipient=user, title="Rappel")
    client.force_login(me)

    response = _post(client, "/api/v1/notifications/read/")

    assert response.status_code == 200 and response.json() == {"marked": 2}
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1
