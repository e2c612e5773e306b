"""Periodic checks and controlled documents, as people use them: in a real Chromium against the
live server, in French, at 1366 and 1024 px."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from compliance.choices import VersionStatus
from compliance.factories_controls import (
    CheckObservationFactory,
    CheckReportFactory,
    CheckTypeFactory,
    ControlledDocumentFactory,
    DocumentVersionFactory,
    PeriodicCheckFactory,
)
from compliance.models import ReadAcknowledgement
from qse.roles import Role
from tests.browser.conftest import login, shoot


def _approved_document(world):
    users = world.a.users
    document = ControlledDocumentFactory(organization=world.a.organization, owner=users[Role.COORDINATOR],
                                         reference="PR-ENV-02", title="Gestion des déchets")
    document.distribution.set([users[Role.PROCESS_OWNER]])
    version = DocumentVersionFactory(organization=world.a.organization, document=document, number=1,
                                     status=VersionStatus.APPROVED, approved_at=timezone.now(),
                                     file_name="PR-ENV-02.pdf", file_type="application/pdf")
    version.file.save("x", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return version


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_process_owner_acknowledges_a_document_from_their_home(page, browser_world):
    version = _approved_document(browser_world)
    owner = browser_world.a.users[Role.PROCESS_OWNER]
    login(page, owner)
    box = page.get_by_test_id("documents-to-read")
    assert "PR-ENV-02" in box.inner_text()
    shoot(page, "compliance-home-to-read")
    with page.expect_navigation():
        box.get_by_test_id("acknowledge").click()
    assert "Lecture enregistrée" in page.locator("main").inner_text()
    assert page.get_by_test_id("documents-to-read").count() == 0
    assert ReadAcknowledgement.objects.filter(document_version=version, reader=owner).count() == 1


def test_the_coordinator_reads_the_checks_dashboard_and_a_documents_readers_at_tablet_width(tablet, browser_world):
    world = browser_world
    check_type = CheckTypeFactory(organization=world.a.organization, name="Vérification des installations électriques")
    overdue = PeriodicCheckFactory(organization=world.a.organization, site=world.a.site, check_type=check_type,
                                   equipment="TGBT atelier", next_due_on=timezone.localdate() - datetime.timedelta(days=5))
    CheckObservationFactory(organization=world.a.organization, text="Capot manquant coffret C3",
                            report=CheckReportFactory(organization=world.a.organization, periodic_check=overdue))
    version = _approved_document(world)
    login(tablet, world.a.users[Role.COORDINATOR], next="/compliance/checks/")
    assert tablet.get_by_test_id("kpi-overdue").inner_text() == "1"
    assert "Capot manquant coffret C3" in tablet.get_by_test_id("observations").inner_text()
    assert _no_horizontal_scroll(tablet)
    shoot(tablet, "compliance-checks-dashboard")
    tablet.goto(version.document.get_absolute_url())
    assert "pas encore lu" in tablet.get_by_test_id("readers").inner_text()
    assert _no_horizontal_scroll(tablet)
    shoot(tablet, "compliance-document")
