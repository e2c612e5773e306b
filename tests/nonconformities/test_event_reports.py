"""The event sheet PDF: rendered for real with WeasyPrint, read back with poppler."""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from improvement.choices import ActionStatus, EffectivenessResult
from improvement.factories import ActionFactory
from nonconformities.choices import EventType
from nonconformities.factories import (
    EventFactory,
    ImmediateActionFactory,
    PersonFactory,
    RootCauseFactory,
)
from nonconformities.models import Event
from nonconformities.reports import event_sheet_context
from qse.models import Membership
from qse.reports import pdf_render_task, report_request
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import TODAY, count_queries

KIND = "nonconformities.event_sheet"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def as_member(user, organization):
    return organization_context(organization, Membership.objects.get(user=user, organization=organization))


def _accident(world):
    coordinator = world.user()
    event = EventFactory(
        organization=world.a.organization, site=world.a.site, process=world.a.process, owner=coordinator,
        event_type=EventType.WORK_ACCIDENT, title="Coupure à la main gauche lors de l'évacuation des copeaux",
        description="L'opérateur a retiré les copeaux à la main, broche à l'arrêt, sans gants anti-coupure.",
        victim=PersonFactory(organization=world.a.organization, full_name="Lucas Bernard", job_title="Régleur"),
        lost_time=True, days_lost=5, occurred_at=timezone.make_aware(datetime.datetime(2026, 11, 16, 14, 20)),
        detected_on=datetime.date(2026, 11, 16), product="Carter CX-200", requirement="Mode opératoire MO-USI-07",
        cost_downtime=Decimal("850"), cost_other=Decimal("120.5"),
        declaration_due_at=timezone.make_aware(datetime.datetime(2026, 11, 18, 14, 20)),
        declared_on=datetime.date(2026, 11, 19),
    )
    ImmediateActionFactory(event=event, description="Soins à l'infirmerie puis transport aux urgences",
                           done_by=coordinator)
    RootCauseFactory(event=event, description="Crochet à copeaux absent du poste 12")
    action = ActionFactory(organization=world.a.organization, owner=coordinator, title="Équiper chaque poste d'un crochet",
                           status=ActionStatus.DONE, effectiveness_criterion="Aucune coupure sur 6 mois",
                           effectiveness_result=EffectivenessResult.EFFECTIVE, effectiveness_checked_on=TODAY,
                           effectiveness_checked_by=coordinator,
                           origin_type=ContentType.objects.get_for_model(Event), origin_id=event.pk)
    return event, action


def test_the_event_sheet_holds_the_event_its_containment_causes_and_actions(world):
    event, action = _accident(world)
    with as_member(world.user(), world.a.organization), translation.override("fr"):  # a French coordinator
        report = report_request(kind=KIND, target=event, acting_user=world.user())
    assert pdf_render_task(organization_id=report.organization_id, report_id=report.pk) == "done"
    report.refresh_from_db()
    text = subprocess.run(["pdftotext", "-layout", report.file.path, "-"], capture_output=True, check=True).stdout.decode()
    for expected in (event.reference, "Lucas Bernard", "Soins à l'infirmerie", "Crochet à copeaux absent",
                     action.title, "970,50", "Aucune coupure sur 6 mois"):
        assert expected in text, expected
    assert report.page_count <= 2
    shutil.copy(report.file.path, "/tmp/event-sheet.pdf")


def test_the_sheet_hides_the_victim_from_who_may_not_see_people(world):
    event, _ = _accident(world)
    owner = world.a.users[Role.PROCESS_OWNER]
    with as_member(owner, world.a.organization):
        context = event_sheet_context(event, owner, today=TODAY)
    assert context["show_victim"] is False
    with as_member(world.user(), world.a.organization):
        assert event_sheet_context(event, world.user(), today=TODAY)["show_victim"] is True


def test_the_sheet_context_costs_the_same_queries_for_3_or_30_rows(world):
    event, _ = _accident(world)

    def queries():
        with as_member(world.user(), world.a.organization):
            return count_queries(lambda: event_sheet_context(event, world.user(), today=TODAY))

    def add(count):
        for index in range(count):
            ImmediateActionFactory(event=event, done_by=world.user(), description=f"Confinement {index}")
            RootCauseFactory(event=event, description=f"Cause {index}")
            ActionFactory(organization=world.a.organization, owner=world.user(), title=f"Action {index}",
                          origin_type=ContentType.objects.get_for_model(Event), origin_id=event.pk)

    add(2)
    few = queries()
    add(27)
    many = queries()
    assert many == few <= 6, (few, many)
