"""The 8D report and the one-page A3, rendered for real with WeasyPrint and read back with
poppler; their contexts cost the same queries for 3 or 30 causes; the demo seed."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest

from nonconformities import reports_analysis
from nonconformities.choices import EventStatus, EventType
from nonconformities.demo_analysis import seed_analysis
from nonconformities.factories import EventFactory, ImmediateActionFactory
from nonconformities.models import A3Report, EightD, RootCause, WhyStep
from qse.models import Membership, ReportStatus
from qse.reports import pdf_render_task, report_request
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import TODAY, count_queries


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def demo_events(world) -> dict:
    side = world.a
    customer = dict(event_type=EventType.CUSTOMER_COMPLAINT, third_party="Aéro Équipements SA",
                    third_party_reference="QN-2026-4471", product="Carter CX-200 réf. 200-114-07",
                    quantity_affected=27, status=EventStatus.OPEN)
    return {
        "eightd": EventFactory(organization=side.organization, site=side.site, process=side.process,
                               owner=side.users[Role.PROCESS_OWNER], title="Bavures sur alésage Ø32 H7",
                               occurred_at=datetime.datetime(2026, 10, 10, 9, tzinfo=datetime.UTC), **customer),
        "ishikawa": EventFactory(organization=side.organization, process=side.process, title="Porosités soudure"),
        "five_whys": EventFactory(organization=side.organization, process=side.process, title="Coupure à la main"),
        "a3": EventFactory(organization=side.organization, process=side.process, title="Rebut taraudage M8"),
    }


def seeded(world) -> dict:
    events = demo_events(world)
    ImmediateActionFactory(event=events["eightd"], description="Blocage des 3 lots en stock", quantity_contained=412)
    users = {"coordinator": world.a.users[Role.COORDINATOR], "owner": world.a.users[Role.PROCESS_OWNER],
             "manager": world.a.users[Role.MANAGEMENT], "auditor": world.a.users[Role.AUDITOR],
             "contributor": world.a.users[Role.CONTRIBUTOR]}
    membership = Membership.objects.select_related("organization", "user").get(
        user=users["coordinator"], organization=world.a.organization)
    seed_analysis(membership=membership, users=users, events=events, today=TODAY)
    return events


def render(world, kind, target):
    user = world.user()
    membership = Membership.objects.get(user=user, organization=world.a.organization)
    with organization_context(world.a.organization, membership):
        report = report_request(kind=kind, target=target, acting_user=user)
    assert pdf_render_task(organization_id=report.organization_id, report_id=report.pk) == "done"
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    return report


def pdf_text(report) -> str:
    return subprocess.run(["pdftotext", "-layout", report.file.path, "-"], capture_output=True,
                          check=True).stdout.decode()


def test_the_demo_seeds_a_closed_8d_a_large_ishikawa_a_branching_5_whys_and_an_a3(world):
    events = seeded(world)
    eightd = EightD.objects.get(event=events["eightd"])
    assert eightd.is_closed and all(getattr(eightd, f"d{n}_done_on") for n in range(9))
    events["eightd"].refresh_from_db()
    assert events["eightd"].status == EventStatus.CLOSED
    assert events["ishikawa"].ishikawa_causes.count() >= 10
    assert WhyStep.objects.filter(event=events["five_whys"], is_root_cause=True).count() == 2
    assert A3Report.objects.filter(event=events["a3"]).exists()
    assert RootCause.objects.filter(event__in=events.values(), validated_on__isnull=False).count() >= 5


def test_the_8d_report_holds_the_customer_header_every_step_the_causes_the_fishbone_and_the_actions(world):
    events = seeded(world)
    report = render(world, reports_analysis.EIGHTD_KIND, EightD.objects.get(event=events["eightd"]))
    text = pdf_text(report)
    for expected in ("Aéro Équipements SA", "QN-2026-4471", "Carter CX-200", world.a.organization.name,
                     "D0", "D4", "D8", "Blocage des 3 lots", "Compteur de vie", "escape point",
                     "Verrouiller le compteur de vie", "Effective"):
        assert expected in text, expected
    assert "Beta" not in text
    assert 2 <= report.page_count <= 5


def test_the_a3_fits_on_one_landscape_page_even_full(world):
    events = seeded(world)
    a3 = A3Report.objects.get(event=events["a3"])
    long_text = "Constat détaillé de l'atelier avec chiffres, lots et équipes. " * 40
    A3Report.objects.filter(pk=a3.pk).update(background=long_text, current_state=long_text, follow_up=long_text,
                                             countermeasures=long_text, analysis=long_text)
    report = render(world, reports_analysis.A3_KIND, a3)
    assert report.page_count == 1
    text = pdf_text(report)
    assert "Rebut taraudage M8" in text and "micro-pulvérisation" in text
    size = subprocess.run(["pdfinfo", report.file.path], capture_output=True, check=True).stdout.decode()
    assert "1190.55 x 841.89" in size  # A3 landscape, in points


def populate(world, event, n: int) -> None:
    from improvement.factories import ActionFactory
    from nonconformities.factories import IshikawaCauseFactory, RootCauseFactory, WhyStepFactory
    from nonconformities.models import CorrectiveActionLink

    user = world.user()
    for i in range(n):
        WhyStepFactory(event=event, answer=f"Réponse {i}")
        IshikawaCauseFactory(event=event, category=("method", "machine", "material")[i % 3], text=f"Cause {i}")
        root = RootCauseFactory(event=event, validated_on=TODAY, validated_by=user)
        action = ActionFactory(organization=event.organization, owner=user, title=f"Action {i}",
                               origin_type_id=None)
        CorrectiveActionLink.objects.create(organization=event.organization, event=event, action=action,
                                            root_cause=root)
        ImmediateActionFactory(event=event)


@pytest.mark.parametrize(("model", "builder"), [
    (EightD, reports_analysis.eightd_context), (A3Report, reports_analysis.a3_context)])
def test_the_report_contexts_cost_the_same_queries_for_3_or_30_causes(world, model, builder):
    from nonconformities.factories import A3ReportFactory, EightDFactory

    factory = EightDFactory if model is EightD else A3ReportFactory
    user = world.user()
    targets = []
    for n in (3, 30):
        event = EventFactory(organization=world.a.organization, process=world.a.process)
        populate(world, event, n)
        targets.append(factory(event=event))
    membership = Membership.objects.get(user=user, organization=world.a.organization)
    with organization_context(world.a.organization, membership):
        builder(targets[0], user, today=TODAY)
        few = count_queries(lambda: builder(targets[0], user, today=TODAY))
        many = count_queries(lambda: builder(targets[1], user, today=TODAY))
        data = builder(targets[1], user, today=TODAY)
    assert few == many <= 12, (few, many)
    assert len(data["root_causes"]) == 30 and len(data["actions"]) == 30


def test_the_pdf_of_another_organizations_8d_cannot_be_requested(client, world):
    from django.urls import reverse

    from nonconformities.factories import EightDFactory

    theirs = EightDFactory(event=world.b.event)
    client.force_login(world.user())
    response = client.post(reverse("qse:report_request", args=[reports_analysis.EIGHTD_KIND, theirs.pk]))
    assert response.status_code == 404
