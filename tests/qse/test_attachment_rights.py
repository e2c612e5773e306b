"""An attachment follows its record: seen exactly by who may see the record, added and
removed exactly by who may change it, for every parent type, every role and site-limited
members; nothing is added to an archived or closed record unless its workflow still wants
evidence (an action done, awaiting its effectiveness check).

The expectations below are written by hand from the role table's intent, not computed by
``can()``: a parent type's viewers and changers for a record the user neither owns nor was
assigned (the generic test data of each model makes such records, except where noted)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import tests
from qse.models import Attachment, Membership
from qse.roles import Role
from qse.testing import ObjectViewsTestCase, build_world

EVERY_ROLE = set(Role)
ADMINS = {Role.ADMIN, Role.COORDINATOR}

# parent type -> (roles that may view it, roles that may change it). The generic test
# data puts actions, plans, risks and events in the process the process owner owns.
EXPECTED = {
    "qse.Site": (EVERY_ROLE, ADMINS),
    "qse.Process": (EVERY_ROLE, ADMINS),
    "context.PolicyStatement": (EVERY_ROLE, ADMINS),
    "context.ContextIssue": (EVERY_ROLE, ADMINS),
    "context.SwotItem": (EVERY_ROLE, ADMINS),
    "context.InterestedParty": (EVERY_ROLE, ADMINS),
    "context.PartyExpectation": (EVERY_ROLE, ADMINS),
    "context.ClimateDecision": (EVERY_ROLE, ADMINS),
    "improvement.ActionPlan": (EVERY_ROLE, ADMINS | {Role.PROCESS_OWNER}),
    "improvement.Action": (EVERY_ROLE, ADMINS | {Role.PROCESS_OWNER}),
    "risks.RiskMatrix": (EVERY_ROLE, ADMINS),
    "risks.Risk": (EVERY_ROLE, ADMINS | {Role.PROCESS_OWNER}),
    "risks.WorkUnit": (EVERY_ROLE, ADMINS),
    "risks.OccupationalRisk": (EVERY_ROLE, ADMINS),
    "risks.EnvironmentalAspect": (EVERY_ROLE, ADMINS | {Role.PROCESS_OWNER}),
    "nonconformities.ReportingPoint": (EVERY_ROLE, ADMINS),
    "nonconformities.Event": (EVERY_ROLE, ADMINS | {Role.PROCESS_OWNER}),
    # The process owner leads the 8D and owns the A3 of the generic test data.
    "nonconformities.EightD": (EVERY_ROLE, ADMINS | {Role.PROCESS_OWNER}),
    "nonconformities.A3Report": (EVERY_ROLE, ADMINS | {Role.PROCESS_OWNER}),
    # The people accidents happen to: personal data, coordinators only.
    "nonconformities.Person": (ADMINS, ADMINS),
    "nonconformities.HoursWorked": (EVERY_ROLE, ADMINS),
    # The regulatory referential, its evaluations, the periodic checks and the controlled
    # documents are kept by coordinators and read by everyone (issue 10).
    **{label: (EVERY_ROLE, ADMINS) for label in (
        "compliance.Text", "compliance.TextVersion", "compliance.Requirement", "compliance.SiteProfile",
        "compliance.IcpeClassification", "compliance.Applicability", "compliance.Evaluation", "compliance.Interlocutor",
        "compliance.Source", "compliance.WatchItem", "compliance.CheckType", "compliance.PeriodicCheck",
        "compliance.CheckReport", "compliance.CheckObservation", "compliance.ControlledDocument",
        "compliance.DocumentVersion",
    )},
    # Objectives: the coordinator keeps axes, dashboards and sensors; the process owner owns
    # the generic test data's objective, indicator and its measurements, and the dependency
    # between two of their actions (issue 11).
    "objectives.PolicyAxis": (EVERY_ROLE, ADMINS),
    "objectives.Dashboard": (EVERY_ROLE, ADMINS),
    "objectives.Device": (EVERY_ROLE, ADMINS),
    "objectives.Objective": (EVERY_ROLE, ADMINS | {Role.PROCESS_OWNER}),
    "objectives.Indicator": (EVERY_ROLE, ADMINS | {Role.PROCESS_OWNER}),
    "objectives.Measurement": (EVERY_ROLE, ADMINS | {Role.PROCESS_OWNER}),
    "objectives.ActionDependency": (EVERY_ROLE, ADMINS | {Role.PROCESS_OWNER}),
    # The plant's measured environmental figures: coordinators keep them, everyone reads (issue 14).
    **{label: (EVERY_ROLE, ADMINS) for label in (
        "risks.WasteRemoval", "risks.WasteRegisterExtract", "risks.Meter", "risks.MeterReading",
        "risks.ProductionVolume", "risks.EmissionFactor", "risks.GhgInventory", "risks.GhgActivity",
    )},
    # Audits (issue 12): the generic test data's audit is led by the auditor, who keeps it; the
    # programme, competences, banks and the supplier register are the coordinator's.
    "audits.Audit": (EVERY_ROLE, ADMINS | {Role.AUDITOR}),
    **{label: (EVERY_ROLE, ADMINS) for label in (
        "audits.AuditProgramme", "audits.AuditorCompetence", "audits.QuestionBank", "audits.Supplier",
        "audits.SupplierCertification", "audits.SupplierFigure", "audits.SupplierRequirement",
    )},
    # Issue 13: the review and the training records are the coordinator's; a project is kept by
    # its leader (the process owner here), a team by its leader (the contributor) and the owner
    # of its process, a suggestion by its author (the contributor) while it awaits review.
    **{label: (EVERY_ROLE, ADMINS) for label in (
        "improvement.ManagementReview", "improvement.TrainingRecord", "improvement.TrainingTopic",
    )},
    "improvement.ImprovementProject": (EVERY_ROLE, ADMINS | {Role.PROCESS_OWNER}),
    "improvement.ImprovementTeam": (EVERY_ROLE, ADMINS | {Role.CONTRIBUTOR, Role.PROCESS_OWNER}),
    "improvement.Suggestion": (EVERY_ROLE, ADMINS | {Role.CONTRIBUTOR}),
}


def _all_subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _all_subclasses(subclass)


def _cases() -> dict:
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.rsplit(".", 1)[-1].startswith("test_") and "browser" not in module.name:
            importlib.import_module(module.name)
    return {c.declaration.model._meta.label: c for c in _all_subclasses(ObjectViewsTestCase) if c.declaration}


@pytest.fixture
def world(db):
    """The shared world with each module's additions (a default matrix, an event)."""
    from tests.nonconformities.conftest import add_events
    from tests.risks.conftest import add_risks

    world = build_world()
    for side in (world.a, world.b):
        add_risks(side)
        add_events(side)
    return world


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def attach(target, name="certificat.pdf") -> Attachment:
    attachment = Attachment(
        organization_id=target.organization_id, content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk, original_name=name, mime_type="application/pdf", size=9, sha256="0" * 64,
    )
    attachment.file.save(name, ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return attachment


def upload_url(target) -> str:
    return f"/org/attachments/{ContentType.objects.get_for_model(target).pk}/{target.pk}/"


def post_file(client, target):
    file = SimpleUploadedFile("preuve.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    return client.post(upload_url(target), {"file": file, "caption": "Preuve"})


def test_every_parent_type_has_hand_written_expectations():
    assert set(_cases()) == set(EXPECTED)


@pytest.mark.parametrize("label", sorted(EXPECTED))
@pytest.mark.parametrize("role", list(Role))
def test_an_attachment_is_seen_added_and_removed_exactly_as_its_record(client, world, label, role):
    viewers, changers = EXPECTED[label]
    parent = _cases()[label]().make(world, world.a)
    attachment = attach(parent)
    client.force_login(world.a.users[role])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    download = client.get(attachment.get_absolute_url())
    assert download.status_code == (200 if role in viewers else 404)

    if role in viewers:
        page = client.get(parent.get_absolute_url()).content.decode()
        assert attachment.get_absolute_url() in page
        assert (upload_url(parent) in page) is (role in changers)

    before = Attachment.objects.count()
    response = post_file(client, parent)
    assert response.status_code == (302 if role in changers else 403 if role in viewers else 404)
    assert Attachment.objects.count() == before + (1 if role in changers else 0)

    removal = client.post(f"/org/attachments/{attachment.pk}/archive/")
    assert removal.status_code == (302 if role in changers else 403 if role in viewers else 404)
    attachment.refresh_from_db()
    assert (attachment.archived_at is not None) is (role in changers)


def test_the_medical_certificate_of_a_victim_is_not_served_to_a_contributor(client, world):
    from nonconformities.factories import PersonFactory

    victim = PersonFactory(organization=world.a.organization, full_name="Jeanne Victime")
    certificate = attach(victim, "certificat-medical.pdf")
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    assert client.get(victim.get_absolute_url()).status_code == 403
    assert client.get(certificate.get_absolute_url()).status_code == 404
    client.force_login(world.a.users[Role.COORDINATOR])
    assert client.get(certificate.get_absolute_url()).status_code == 200


def test_a_member_limited_to_another_site_sees_no_attachment_of_this_site(client, world):
    from qse.factories import SiteFactory

    other_site = SiteFactory(organization=world.a.organization, code="ALP2", name="Site deux")
    action = world.a.actions[0]  # on world.a.site
    attachment = attach(action)
    contributor = world.a.users[Role.CONTRIBUTOR]
    Membership.objects.get(user=contributor, organization=world.a.organization).sites.add(other_site)
    client.force_login(contributor)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert post_file(client, action).status_code == 404


def test_the_reporter_of_an_event_adds_evidence_to_it_but_not_to_someone_elses(client, world):
    from nonconformities.factories import EventFactory

    contributor = world.a.users[Role.CONTRIBUTOR]
    mine = EventFactory(organization=world.a.organization, detected_by=contributor)
    theirs = EventFactory(organization=world.a.organization)
    client.force_login(contributor)
    assert post_file(client, mine).status_code == 302
    assert post_file(client, theirs).status_code == 403
    assert Attachment.objects.filter(object_id=mine.pk).count() == 1


def test_no_file_is_added_to_an_archived_or_closed_record(client, world):
    from nonconformities.choices import EventStatus
    from nonconformities.factories import EventFactory
    from risks.choices import RiskStatus

    client.force_login(world.a.users[Role.COORDINATOR])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    closed = EventFactory(organization=world.a.organization, status=EventStatus.CLOSED)
    rejected = EventFactory(organization=world.a.organization, status=EventStatus.REJECTED)
    archived = EventFactory(organization=world.a.organization, archived_at=timezone.now())
    risk = _cases()["risks.Risk"]().make(world, world.a)
    risk.status = RiskStatus.CLOSED
    risk.save()
    for target, expected in ((closed, "closed"), (rejected, "closed"), (archived, "archived"), (risk, "closed")):
        response = post_file(client, target)
        assert response.status_code == 403, target
        assert f"This record is {expected}" in response.content.decode(), target
        page = client.get(target.get_absolute_url()).content.decode()
        assert upload_url(target) not in page
    assert Attachment.objects.count() == 0


def test_a_record_whose_workflow_wants_evidence_after_closure_still_takes_files(client, world):
    """A finished action awaits its effectiveness check: its evidence may come after."""
    from improvement.choices import ActionStatus

    client.force_login(world.a.users[Role.COORDINATOR])
    done = world.a.actions[2]
    assert done.status == ActionStatus.DONE
    assert post_file(client, done).status_code == 302
    assert Attachment.objects.filter(object_id=done.pk).count() == 1


def test_a_cancelled_action_and_a_closed_plan_take_no_more_files(client, world):
    from improvement.choices import ActionStatus, PlanStatus

    client.force_login(world.a.users[Role.COORDINATOR])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    cancelled = world.a.actions[0]
    cancelled.status = ActionStatus.CANCELLED
    cancelled.save()
    plan = world.a.plan
    plan.status = PlanStatus.CLOSED
    plan.save()
    for target in (cancelled, plan):
        response = post_file(client, target)
        assert response.status_code == 403, target
        assert "This record is closed" in response.content.decode(), target
    assert Attachment.objects.count() == 0
