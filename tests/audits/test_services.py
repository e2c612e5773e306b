"""The audit's services through their page and API: independence, workflow, findings and
their events, follow-up audit, plan invitation, signatures."""

from __future__ import annotations

import base64
import datetime
import html
import io

import pytest
from django.core import mail
from django.urls import reverse
from PIL import Image

from audits.choices import AuditStatus
from audits.factories import (
    AuditAnswerFactory,
    AuditeeFactory,
    AuditFactory,
    AuditQuestionFactory,
    ScheduleItemFactory,
)
from audits.models import Audit, Finding
from audits.services_findings import collect_findings
from nonconformities.models import Event
from qse.roles import Role


def _audit(world, **extra):
    values = {"organization": world.a.organization, "process": world.a.process, "site": world.a.site,
              "lead_auditor": world.a.users[Role.AUDITOR], "reference": "AUD-2026-07",
              "title": "Audit achats", "planned_start": datetime.date(2026, 11, 2)}
    return AuditFactory(**{**values, **extra})


def _answered(audit, result, clause="8.4", standard="iso9001:2015", text=None, **extra):
    question = AuditQuestionFactory(audit=audit, clause=clause, standard=standard,
                                    text=text or f"Question {clause} {result}")
    return AuditAnswerFactory(question=question, result=result, **extra)


def _api(audit, suffix=""):
    return f"/api/v1/audits/audits/{audit.pk}/{suffix}"


# --- independence ---------------------------------------------------------------------------

def test_an_auditor_who_owns_the_audited_process_is_refused_on_the_page_and_the_api(client, world):
    owner = world.a.process.owner
    client.force_login(world.user())
    data = {"title": "Audit production", "kind": "process", "category": "internal", "process": world.a.process.pk,
            "planned_start": "2026-12-01", "lead_auditor": owner.pk, "auditors": []}
    page = client.post(reverse("audits:audit_add"), data)
    assert page.status_code == 400
    assert "ne peut pas auditer son propre processus" in page.content.decode()
    api = client.post("/api/v1/audits/audits/", data, content_type="application/json")
    assert api.status_code == 400
    assert "ne peut pas auditer son propre processus" in api.json()["lead_auditor"][0]
    assert not Audit.objects.filter(title="Audit production").exists()


def test_a_team_member_cannot_be_an_auditee_of_their_own_audit(client, world):
    audit = _audit(world)
    member = world.a.users[Role.CONTRIBUTOR]
    audit.auditors.add(member)
    client.force_login(world.user())
    response = client.post(f"/api/v1/audits/audits/{audit.pk}/auditees/", {"person": member.pk, "reason": "competence"},
                           content_type="application/json")
    assert response.status_code == 400
    assert "ne peut pas auditer son propre travail" in response.json()["person"][0]
    # ... and the other way round: an auditee put on the team.
    auditee = world.a.users[Role.MANAGEMENT]
    AuditeeFactory(audit=audit, person=auditee)
    response = client.patch(_api(audit), {"auditors": [member.pk, auditee.pk], "version": audit.version},
                            content_type="application/json")
    assert response.status_code == 400
    assert "ne peut pas auditer son propre travail" in response.json()["auditors"][0]


def test_a_team_member_keeps_the_audit_and_sees_it_once(client, world):
    audit = _audit(world, lead_auditor=world.a.users[Role.COORDINATOR])
    auditor = world.a.users[Role.AUDITOR]
    client.force_login(auditor)
    refused = client.patch(_api(audit), {"scope": "Achats", "version": audit.version}, content_type="application/json")
    assert refused.status_code == 403
    audit.auditors.add(auditor, world.a.users[Role.CONTRIBUTOR])
    assert client.patch(_api(audit), {"scope": "Achats", "version": audit.version},
                        content_type="application/json").status_code == 200
    listed = client.get("/api/v1/audits/audits/").json()["results"]
    assert [row["id"] for row in listed].count(audit.pk) == 1


# --- workflow and findings ------------------------------------------------------------------

def test_the_workflow_refuses_each_step_with_its_reason(client, world):
    audit = _audit(world)
    client.force_login(world.a.users[Role.AUDITOR])
    refused = client.post(_api(audit, "transition/"), {"status": "prepared"}, content_type="application/json")
    assert refused.status_code == 400
    assert "La liste de contrôle n'a encore aucune question." in refused.json()[0]
    skipped = client.post(_api(audit, "transition/"), {"status": "reported"}, content_type="application/json")
    assert skipped.status_code == 400 and "Un audit ne peut pas passer" in skipped.json()[0]
    page = client.post(reverse("audits:audit_transition", args=[audit.pk]), {"status": "prepared"}, follow=True)
    assert "La liste de contrôle n'a encore aucune question." in html.unescape(page.content.decode())
    audit.refresh_from_db()
    assert audit.status == AuditStatus.PLANNED


def test_reporting_an_audit_turns_each_nonconforming_answer_into_one_event(client, world):
    audit = _audit(world)
    major = _answered(audit, "major_nc", clause="8.4", text="Les fournisseurs critiques sont-ils évalués ?",
                      comment="Aucune évaluation en 2026", evidence="Liste des fournisseurs v3")
    _answered(audit, "minor_nc", clause="7.5", standard="iso9001:2015")
    _answered(audit, "conforming", clause="8.5")
    _answered(audit, "improvement", clause="9.1")
    client.force_login(world.a.users[Role.AUDITOR])
    for status, changes in (("prepared", {}), ("in_progress", {"opening_held_at": "2026-11-02T08:30:00+01:00"}),
                            ("reported", {"closing_held_at": "2026-11-02T17:00:00+01:00",
                                          "conclusion": "Système efficace, deux écarts."})):
        audit.refresh_from_db()
        if changes:
            assert client.patch(_api(audit), {**changes, "version": audit.version},
                                content_type="application/json").status_code == 200
        response = client.post(_api(audit, "transition/"), {"status": status}, content_type="application/json")
        assert response.status_code == 200, (status, response.content)
    audit.refresh_from_db()
    assert audit.status == "reported" and audit.reported_on is not None
    findings = Finding.objects.filter(audit=audit).select_related("event").order_by("clause")
    assert [(f.clause, f.result) for f in findings] == [("7.5", "minor_nc"), ("8.4", "major_nc")]
    event = findings[1].event
    assert event.event_type == "audit_finding" and event.severity == 3
    assert event.site_id == world.a.site.pk and event.process_id == world.a.process.pk
    assert "8.4" in event.requirement and "Liste des fournisseurs v3" in event.description
    assert findings[0].event.severity == 1
    # Collecting again (the button, the API) changes nothing.
    again = client.post(_api(audit, "collect-findings/"))
    assert again.status_code == 200 and again.json() == []
    assert Event.objects.filter(audit_findings__audit=audit).count() == 2
    assert major.finding.event_id == event.pk


def test_collecting_twice_from_the_service_is_idempotent(world, as_member):
    audit = _audit(world)
    _answered(audit, "minor_nc")
    user = as_member(Role.COORDINATOR)
    assert len(collect_findings(audit=audit, acting_user=user)) == 1
    assert collect_findings(audit=audit, acting_user=user) == []
    assert Event.objects.filter(event_type="audit_finding").count() == 1


def test_the_audit_page_shows_the_findings_with_the_status_of_their_actions(client, world, as_member):
    from improvement.factories import ActionFactory
    from improvement.origins import origin_fields

    audit = _audit(world)
    _answered(audit, "major_nc")
    finding = collect_findings(audit=audit, acting_user=as_member(Role.COORDINATOR))[0]
    ActionFactory(organization=world.a.organization, title="Évaluer les fournisseurs critiques", status="in_progress",
                  **origin_fields(finding.event))
    client.force_login(world.a.users[Role.MANAGEMENT])
    html = client.get(audit.get_absolute_url()).content.decode()
    assert finding.event.reference in html and "1 En cours" in html


def test_a_follow_up_audit_is_planned_with_the_scope_and_the_findings_clauses(client, world, as_member):
    audit = _audit(world, scope="Achats", criteria="ISO 9001 § 8.4", standards=["iso9001:2015"])
    _answered(audit, "major_nc", clause="8.4.2")
    collect_findings(audit=audit, acting_user=as_member(Role.COORDINATOR))
    client.force_login(world.a.users[Role.AUDITOR])
    response = client.post(_api(audit, "follow-up/"), {"planned_start": "2027-02-01"}, content_type="application/json")
    assert response.status_code == 201
    follow_up = Audit.objects.get(pk=response.json()["id"])
    assert follow_up.follow_up_of_id == audit.pk and follow_up.clauses == ["8.4.2"]
    assert (follow_up.scope, follow_up.process_id, follow_up.lead_auditor_id) == ("Achats", world.a.process.pk,
                                                                                 world.a.users[Role.AUDITOR].pk)
    assert follow_up.status == "planned" and follow_up.planned_start == datetime.date(2027, 2, 1)


# --- plan invitation and signatures ---------------------------------------------------------

def test_the_plan_is_sent_to_the_auditees_as_an_icalendar_invitation(client, world, django_capture_on_commit_callbacks):
    audit = _audit(world)
    auditee = world.a.users[Role.CONTRIBUTOR]
    auditee.email = "magasinier@alpha.example"
    auditee.save()
    AuditeeFactory(audit=audit, person=auditee)
    ScheduleItemFactory(audit=audit, subject="Entretien magasin", location="Magasin central")
    ScheduleItemFactory(audit=audit, subject="Visite quai", activity="visit",
                        starts_at=datetime.datetime(2026, 11, 2, 14, tzinfo=datetime.UTC),
                        ends_at=datetime.datetime(2026, 11, 2, 15, tzinfo=datetime.UTC))
    client.force_login(world.a.users[Role.AUDITOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_api(audit, "send-plan/"))
    assert response.status_code == 200 and response.json() == {"sent_to": 1}
    message = mail.outbox[-1]
    assert message.to == ["magasinier@alpha.example"]
    name, content, mime = message.attachments[0]
    text = content.decode() if isinstance(content, bytes) else content
    assert name == "audit-plan.ics" and mime.startswith("text/calendar")
    assert text.count("BEGIN:VEVENT") == 2 and "METHOD:REQUEST" in text
    assert "Entretien magasin" in text and "mailto:magasinier@alpha.example" in text


def test_sending_a_plan_without_auditees_is_refused_clearly(client, world):
    audit = _audit(world)
    ScheduleItemFactory(audit=audit)
    client.force_login(world.a.users[Role.AUDITOR])
    response = client.post(_api(audit, "send-plan/"))
    assert response.status_code == 400 and "Aucun audité" in response.json()[0]


def _png(width=300, height=100) -> str:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (255, 255, 255, 0)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_signatures_are_stored_only_as_real_small_pngs(client, world):
    audit = _audit(world)
    client.force_login(world.a.users[Role.AUDITOR])
    fake = "data:image/png;base64," + base64.b64encode(b"GIF89a not a png").decode()
    refused = client.post(_api(audit, "sign/"), {"signer": "lead", "image": fake}, content_type="application/json")
    assert refused.status_code == 400 and "PNG" in refused.json()["signature"][0]
    assert client.post(_api(audit, "sign/"), {"signer": "lead", "image": _png()},
                       content_type="application/json").status_code == 200
    nameless = client.post(_api(audit, "sign/"), {"signer": "auditee", "image": _png()}, content_type="application/json")
    assert nameless.status_code == 400
    page = client.post(reverse("audits:audit_sign", args=[audit.pk]),
                       {"signer": "auditee", "name": "M. Durand", "image": _png()})
    assert page.status_code == 302
    audit.refresh_from_db()
    assert audit.lead_signature.name.endswith(".png") and audit.auditee_representative == "M. Durand"
    with audit.auditee_signature.open("rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("signer", ["lead"])
def test_only_the_lead_auditor_signs_as_lead(client, world, signer):
    audit = _audit(world)
    client.force_login(world.user())
    response = client.post(_api(audit, "sign/"), {"signer": signer, "image": _png()}, content_type="application/json")
    assert response.status_code == 400
