"""The offline checklist's server side, through its API: changes applied once whatever the
replays, conflicts kept and resolved, photos stored once, bad photos refused, the lease, and
another organization's audit answering 404."""

from __future__ import annotations

import io
import uuid

import pytest
from django.utils import timezone
from PIL import Image

from audits.factories import (
    AuditAnswerFactory,
    AuditFactory,
    AuditPhotoFactory,
    AuditQuestionFactory,
)
from audits.models import AnswerOp, AuditAnswer, AuditLease, AuditPhoto, Finding
from audits.reports import audit_report_context
from audits.services_offline import photo_remove
from nonconformities.factories import EventFactory
from qse.models import Membership
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import count_queries


def _jpeg(width=64, height=48, color=(200, 30, 30)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), color).save(output, format="JPEG", quality=80)
    return output.getvalue()


@pytest.fixture
def audit(world):
    """An audit of organization A led by its auditor, with three questions."""
    audit = AuditFactory(organization=world.a.organization, lead_auditor=world.a.users[Role.AUDITOR])
    for position in range(3):
        AuditQuestionFactory(audit=audit, position=position)
    return audit


def _questions(audit):
    return list(audit.questions.order_by("position"))


def _op(question, base_version=0, **values):
    return {"op_id": str(uuid.uuid4()), "question": question.pk, "base_version": base_version,
            "values": values or {"result": "conforming"}, "made_at": "2026-11-30T09:00:00Z"}


def _sync(client, audit, ops, device="tablette-A"):
    return client.post(f"/api/v1/audits/{audit.pk}/sync/", {"device": device, "ops": ops}, content_type="application/json")


def test_a_change_is_applied_once_and_a_replayed_sync_changes_nothing(client, world, audit):
    client.force_login(world.a.users[Role.AUDITOR])
    first, second = _questions(audit)[:2]
    ops = [_op(first, result="minor_nc", comment="Fiche de poste absente"), _op(second, result="conforming", score=80)]

    answer = _sync(client, audit, ops)
    replay = _sync(client, audit, ops)

    assert answer.status_code == 200
    assert [r["status"] for r in answer.json()["results"]] == ["applied", "applied"]
    assert [r["status"] for r in replay.json()["results"]] == ["applied", "applied"]
    assert AnswerOp.objects.filter(audit=audit).count() == 2
    saved = AuditAnswer.objects.get(question=first)
    assert (saved.result, saved.comment, saved.version) == ("minor_nc", "Fiche de poste absente", 1)
    assert saved.answered_by == world.a.users[Role.AUDITOR]
    assert AuditAnswer.objects.get(question=second).score == 80


def test_two_changes_of_the_same_question_made_offline_on_one_device_follow_each_other(client, world, audit):
    client.force_login(world.a.users[Role.AUDITOR])
    question = _questions(audit)[0]
    # Both made offline from the version the device downloaded (none yet: 0).
    answer = _sync(client, audit, [_op(question, 0, result="observation"), _op(question, 0, result="major_nc")])

    assert [r["status"] for r in answer.json()["results"]] == ["applied", "applied"]
    assert AuditAnswer.objects.get(question=question).result == "major_nc"


def test_a_change_made_against_an_older_answer_is_kept_as_a_conflict_not_applied(client, world, audit):
    question = _questions(audit)[0]
    AuditAnswerFactory(question=question, result="conforming", comment="Vu en ligne", version=3)
    client.force_login(world.a.users[Role.AUDITOR])

    answer = _sync(client, audit, [_op(question, 2, result="major_nc", comment="Vu sur la tablette")])

    assert answer.json()["results"][0]["status"] == "conflict"
    kept = AuditAnswer.objects.get(question=question)
    assert (kept.result, kept.comment, kept.version) == ("conforming", "Vu en ligne", 3)
    bundle = client.get(f"/api/v1/audits/{audit.pk}/checklist/").json()
    shown = next(q for q in bundle["questions"] if q["id"] == question.pk)
    assert shown["answer"]["result"] == "conforming"
    assert shown["conflicts"][0]["values"] == {"result": "major_nc", "comment": "Vu sur la tablette"}


def test_a_stale_change_with_the_server_s_values_is_a_duplicate(client, world, audit):
    question = _questions(audit)[0]
    AuditAnswerFactory(question=question, result="conforming", version=2)
    client.force_login(world.a.users[Role.AUDITOR])

    answer = _sync(client, audit, [_op(question, 1, result="conforming")])

    assert answer.json()["results"][0]["status"] == "duplicate"
    assert AuditAnswer.objects.get(question=question).version == 2


@pytest.mark.parametrize(("choice", "result", "comment"), [
    ("tablet", "major_nc", "Vu sur la tablette"),
    ("server", "conforming", "Vu en ligne"),
    ("both", "conforming", "Vu en ligne\n---\nVu sur la tablette"),
])
def test_a_conflict_is_resolved_by_the_chosen_version_and_the_choice_is_recorded(client, world, audit, choice, result, comment):
    question = _questions(audit)[0]
    AuditAnswerFactory(question=question, result="conforming", comment="Vu en ligne", version=3)
    client.force_login(world.a.users[Role.AUDITOR])
    op = _op(question, 2, result="major_nc", comment="Vu sur la tablette")
    _sync(client, audit, [op])

    response = client.post(f"/api/v1/audits/{audit.pk}/conflicts/{op['op_id']}/resolve/", {"choice": choice},
                           content_type="application/json")
    again = client.post(f"/api/v1/audits/{audit.pk}/conflicts/{op['op_id']}/resolve/", {"choice": choice},
                        content_type="application/json")

    assert response.status_code == 200
    kept = AuditAnswer.objects.get(question=question)
    assert (kept.result, kept.comment) == (result, comment)
    stored = AnswerOp.objects.get(op_id=op["op_id"])
    assert (stored.resolution, stored.resolved_by) == (choice, world.a.users[Role.AUDITOR])
    assert again.status_code == 400 and "déjà résolu" in again.json()["error"]
    assert client.get(f"/api/v1/audits/{audit.pk}/checklist/").json()["questions"][0]["conflicts"] == []


def test_a_bad_change_is_rejected_with_its_reason_and_the_others_of_the_batch_are_applied(client, world, audit):
    client.force_login(world.a.users[Role.AUDITOR])
    first, second = _questions(audit)[:2]
    other_audit_question = AuditQuestionFactory(audit=AuditFactory(organization=world.a.organization))

    results = _sync(client, audit, [
        _op(first, result="not-a-result"), {"op_id": "x", "question": first.pk, "values": {}},
        _op(other_audit_question), _op(second, score=250), _op(second, result="improvement"),
    ]).json()["results"]

    assert [r["status"] for r in results] == ["rejected", "rejected", "rejected", "rejected", "applied"]
    assert results[0]["error"] == "Résultat inconnu : not-a-result."
    assert AnswerOp.objects.filter(audit=audit).count() == 1


def test_only_the_audit_team_and_coordinators_sync_a_checklist(client, world, audit):
    question = _questions(audit)[0]
    contributor = world.a.users[Role.CONTRIBUTOR]
    client.force_login(contributor)
    refused = _sync(client, audit, [_op(question)])
    audit.auditors.add(contributor)
    accepted = _sync(client, audit, [_op(question)])
    client.force_login(world.a.users[Role.COORDINATOR])
    coordinator = _sync(client, audit, [_op(question, 1, result="observation")])

    assert refused.status_code == 403
    assert accepted.json()["results"][0]["status"] == "applied"
    assert coordinator.json()["results"][0]["status"] == "applied"


def test_a_photo_sent_twice_is_stored_once(client, world, audit):
    client.force_login(world.a.users[Role.AUDITOR])
    question = _questions(audit)[0]
    photo_id = uuid.uuid4()
    url = f"/api/v1/audits/{audit.pk}/photos/{photo_id}/?question={question.pk}&taken_at=2026-11-30T09:05:00Z"

    first = client.put(url, _jpeg(), content_type="image/jpeg")
    replay = client.put(url, _jpeg(), content_type="image/jpeg")

    assert (first.status_code, replay.status_code) == (201, 200)
    assert AuditPhoto.objects.filter(question=question).count() == 1
    photo = AuditPhoto.objects.get(uuid=photo_id)
    assert photo.sha256 == first.json()["sha256"] == replay.json()["sha256"]
    assert photo.image.read()[:2] == b"\xff\xd8"
    served = client.get(f"/audits/photos/{photo_id}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_a_file_that_is_not_a_photo_is_refused_with_a_clear_error(client, world, audit):
    client.force_login(world.a.users[Role.AUDITOR])
    question = _questions(audit)[0]
    base = f"/api/v1/audits/{audit.pk}/photos/"

    text = client.put(f"{base}{uuid.uuid4()}/?question={question.pk}", b"<html>not a photo</html>", content_type="image/jpeg")
    broken = client.put(f"{base}{uuid.uuid4()}/?question={question.pk}", b"\xff\xd8\xff\xe0" + b"\x00" * 50,
                        content_type="image/jpeg")
    no_question = client.put(f"{base}{uuid.uuid4()}/", _jpeg(), content_type="image/jpeg")

    assert text.status_code == 400 and text.json()["error"]
    assert broken.status_code == 400 and broken.json()["error"]
    assert no_question.status_code == 400
    assert not AuditPhoto.objects.exists()


def test_a_photo_over_the_size_limit_is_refused_before_it_is_read(client, world, audit, settings):
    settings.QSE_AUDIT_PHOTO_MAX_BYTES = 1024
    client.force_login(world.a.users[Role.AUDITOR])
    question = _questions(audit)[0]

    response = client.put(f"/api/v1/audits/{audit.pk}/photos/{uuid.uuid4()}/?question={question.pk}",
                          _jpeg(800, 600), content_type="image/jpeg")

    assert response.status_code == 413
    assert response.json()["error"] == "La photo est trop lourde (0 Mo au plus)."


def test_preparing_reserves_the_audit_to_the_device_and_a_co_auditor_is_told_who_holds_it(client, world, audit):
    co_auditor = world.a.users[Role.PROCESS_OWNER]
    audit.auditors.add(co_auditor)
    lead = world.a.users[Role.AUDITOR]
    client.force_login(lead)
    bundle = client.post(f"/api/v1/audits/{audit.pk}/offline/", {"device": "tablette-A", "device_label": "iPad"},
                         content_type="application/json")

    client.force_login(co_auditor)
    taken = client.post(f"/api/v1/audits/{audit.pk}/offline/", {"device": "tablette-B"}, content_type="application/json")
    seen = client.get(f"/api/v1/audits/{audit.pk}/checklist/").json()
    not_theirs = client.post(f"/api/v1/audits/{audit.pk}/offline/release/", {"device": "tablette-B"},
                             content_type="application/json")
    client.force_login(lead)
    released = client.post(f"/api/v1/audits/{audit.pk}/offline/release/", {"device": "tablette-A"},
                           content_type="application/json")

    assert bundle.status_code == 200
    assert [q["id"] for q in bundle.json()["questions"]] == [q.pk for q in _questions(audit)]
    assert bundle.json()["lease"]["device"] == "tablette-A"
    assert taken.status_code == 409
    assert lead.get_full_name() in taken.json()["error"] or lead.username in taken.json()["error"]
    assert seen["lease"]["user_name"] in (lead.get_full_name(), lead.username)
    assert not_theirs.status_code == 403
    assert released.json() == {"released": True}
    assert AuditLease.objects.get(audit=audit).released_at is not None


@pytest.mark.parametrize("app_scoping", [True, False], ids=["app-scoping", "rls-only"])
def test_another_organization_s_audit_answers_404_on_every_operation(client, world, settings, app_scoping):
    settings.QSE_APP_SCOPING = app_scoping
    theirs = AuditFactory(organization=world.b.organization, lead_auditor=world.b.users[Role.COORDINATOR])
    question = AuditQuestionFactory(audit=theirs)
    client.force_login(world.a.users[Role.COORDINATOR])
    base = f"/api/v1/audits/{theirs.pk}/"

    answers = [
        client.get(base + "checklist/"),
        client.post(base + "offline/", {"device": "x"}, content_type="application/json"),
        client.post(base + "offline/release/", {"device": "x"}, content_type="application/json"),
        _sync(client, theirs, [_op(question)]),
        client.put(f"{base}photos/{uuid.uuid4()}/?question={question.pk}", _jpeg(), content_type="image/jpeg"),
        client.delete(f"{base}photos/{uuid.uuid4()}/?removal={uuid.uuid4()}"),
        client.post(f"{base}conflicts/{uuid.uuid4()}/resolve/", {"choice": "server"}, content_type="application/json"),
        client.get(f"/audits/{theirs.pk}/checklist/"),
    ]

    assert [a.status_code for a in answers] == [404] * len(answers)
    assert not AnswerOp.objects.exists()


def test_the_bundle_costs_the_same_queries_for_three_questions_or_thirty(client, world, audit):
    client.force_login(world.a.users[Role.AUDITOR])
    url = f"/api/v1/audits/{audit.pk}/checklist/"
    small = count_queries(lambda: client.get(url))
    for position in range(3, 30):
        question = AuditQuestionFactory(audit=audit, position=position)
        AuditAnswerFactory(question=question, result="conforming")
    large = count_queries(lambda: client.get(url))

    assert len(client.get(url).json()["questions"]) == 30
    assert large == small


def test_the_checklist_page_the_service_worker_and_the_manifest_are_served(client, world, audit):
    client.force_login(world.a.users[Role.AUDITOR])

    page = client.get(f"/audits/{audit.pk}/checklist/")
    worker = client.get("/sw.js")
    manifest = client.get("/manifest.webmanifest")

    assert page.status_code == 200
    assert b'id="checklist-config"' in page.content and b"audits/checklist.js" in page.content
    assert worker["Service-Worker-Allowed"] == "/"
    assert worker["Content-Type"].startswith("text/javascript")
    assert b'"/static/audits/checklist.js"' in worker.content and b"/static/vendor/idb/umd.js" in worker.content
    assert manifest.json()["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest.json()["icons"]} == {"192x192", "512x512"}


def _remove(client, audit, photo_id, removal_id):
    return client.delete(f"/api/v1/audits/{audit.pk}/photos/{photo_id}/?removal={removal_id}")


def _put_photo(client, audit, question, photo_id):
    url = f"/api/v1/audits/{audit.pk}/photos/{photo_id}/?question={question.pk}&taken_at=2026-11-30T09:05:00Z"
    return client.put(url, _jpeg(), content_type="image/jpeg")


def test_a_photo_removed_from_its_answer_leaves_the_bundle_once_and_a_replayed_removal_changes_nothing(client, world, audit):
    client.force_login(world.a.users[Role.AUDITOR])
    question = _questions(audit)[0]
    kept_id, removed_id, removal_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    _put_photo(client, audit, question, kept_id)
    _put_photo(client, audit, question, removed_id)

    first = _remove(client, audit, removed_id, removal_id)
    replay = _remove(client, audit, removed_id, removal_id)
    uploaded_again = _put_photo(client, audit, question, removed_id)
    bundle = client.get(f"/api/v1/audits/{audit.pk}/checklist/").json()

    assert (first.status_code, first.json()) == (200, {"status": "removed"})
    assert (replay.status_code, replay.json()) == (200, {"status": "duplicate"})
    # A photo upload replayed after its removal does not bring it back.
    assert uploaded_again.status_code == 200
    assert [p["uuid"] for p in bundle["questions"][0]["photos"]] == [str(kept_id)]
    removed = AuditPhoto.objects.get(uuid=removed_id)
    assert removed.archived_at is not None and removed.removal_id == removal_id
    # Archived, not deleted: the evidence stays in the history.
    assert removed.events.filter(archived_at__isnull=False).count() == 1


def test_a_removal_of_a_photo_the_audit_does_not_have_answers_absent_and_a_reused_removal_id_is_refused(
        client, world, audit):
    client.force_login(world.a.users[Role.AUDITOR])
    question = _questions(audit)[0]
    first_id, second_id, removal_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    _put_photo(client, audit, question, first_id)
    _put_photo(client, audit, question, second_id)
    _remove(client, audit, first_id, removal_id)

    unknown = _remove(client, audit, uuid.uuid4(), uuid.uuid4())
    reused = _remove(client, audit, second_id, removal_id)
    no_id = client.delete(f"/api/v1/audits/{audit.pk}/photos/{second_id}/")

    assert unknown.json() == {"status": "absent"}
    assert reused.status_code == 400 and reused.json() == {"error": "Cet identifiant de retrait est déjà utilisé."}
    assert no_id.status_code == 400 and "identifiant" in no_id.json()["error"]
    assert AuditPhoto.objects.get(uuid=second_id).archived_at is None


def test_only_the_audit_team_removes_a_photo_and_another_organization_s_answers_404(client, world, audit):
    question = _questions(audit)[0]
    photo_id = uuid.uuid4()
    client.force_login(world.a.users[Role.AUDITOR])
    _put_photo(client, audit, question, photo_id)
    theirs = AuditFactory(organization=world.b.organization, lead_auditor=world.b.users[Role.COORDINATOR])

    client.force_login(world.a.users[Role.CONTRIBUTOR])
    refused = _remove(client, audit, photo_id, uuid.uuid4())
    client.force_login(world.a.users[Role.COORDINATOR])
    elsewhere = _remove(client, theirs, photo_id, uuid.uuid4())

    assert refused.status_code == 403
    assert elsewhere.status_code == 404
    assert AuditPhoto.objects.get(uuid=photo_id).archived_at is None


def test_a_removed_photo_is_not_in_the_audit_report(world):
    coordinator = world.a.users[Role.COORDINATOR]
    audit = AuditFactory(organization=world.a.organization, lead_auditor=world.a.users[Role.AUDITOR], status="reported")
    question = AuditQuestionFactory(audit=audit, clause="7.1.5")
    answer = AuditAnswerFactory(question=question, result="major_nc")
    AuditPhotoFactory(question=question)
    removed = AuditPhotoFactory(question=question)
    event = EventFactory(organization=world.a.organization, event_type="audit_finding", created_by=coordinator)
    Finding.objects.create(organization=world.a.organization, audit=audit, answer=answer, event=event, result="major_nc")
    membership = Membership.objects.get(user=coordinator, organization=world.a.organization)

    with organization_context(world.a.organization, membership):
        before = audit_report_context(audit, coordinator, today=timezone.localdate())
        photo_remove(audit=audit, photo_uuid=removed.uuid, removal_id=uuid.uuid4(), acting_user=coordinator,
                     now=timezone.now())
        after = audit_report_context(audit, coordinator, today=timezone.localdate())

    [(_clause, [row_before])] = before["groups"]
    [(_clause, [row_after])] = after["groups"]
    assert (len(row_before["photos"]), len(row_after["photos"])) == (2, 1)
