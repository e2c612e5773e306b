"""Periodic checks and controlled documents through the generic view and API tests: only
their data here."""

import itertools

from compliance.factories_controls import (
    CheckObservationFactory,
    CheckReportFactory,
    CheckTypeFactory,
    ControlledDocumentFactory,
    DocumentVersionFactory,
    PeriodicCheckFactory,
)
from compliance.views_checks import (
    CheckObservationViews,
    CheckReportViews,
    CheckTypeViews,
    PeriodicCheckViews,
)
from compliance.views_documents import ControlledDocumentViews, DocumentVersionViews
from qse.roles import Role
from qse.testing import ObjectViewsTestCase

NUMBERS = itertools.count(1)


def _check(side):
    check_type = CheckTypeFactory(organization=side.organization, name=f"{side.organization.name} · électricité")
    return PeriodicCheckFactory(organization=side.organization, site=side.site, check_type=check_type,
                                equipment=f"{side.organization.name} · TGBT {next(NUMBERS)}")


def _report(side):
    return CheckReportFactory(organization=side.organization, periodic_check=_check(side),
                              reference=f"{side.organization.name} · rapport {next(NUMBERS)}")


class TestCheckTypeViews(ObjectViewsTestCase):
    declaration = CheckTypeViews
    edit = ("name", "Vérification des installations électriques (annuelle)")
    detail_query_budget = 22
    list_query_budget = 18

    def make(self, world, side):
        return CheckTypeFactory(organization=side.organization, name=f"{side.organization.name} · VGP {next(NUMBERS)}")

    def form_data(self, world):
        return {"name": "Vérification des rayonnages", "category": "racking", "frequency_months": 12,
                "legal_basis": "NF EN 15635", "performer": "Personne compétente"}


class TestPeriodicCheckViews(ObjectViewsTestCase):
    declaration = PeriodicCheckViews
    edit = ("equipment", "Pont roulant 5 t, hall B")
    detail_query_budget = 26
    list_query_budget = 20

    def make(self, world, side):
        return _check(side)

    def form_data(self, world):
        check_type = CheckTypeFactory(organization=world.a.organization, frequency_months=6)
        return {"equipment": "Chariot élévateur n° 3", "site": world.a.site.pk, "check_type": check_type.pk,
                "body": "Apave", "body_is_accredited": True, "process": world.a.process.pk, "next_due_on": "2027-01-15",
                "risks": [], "occupational_risks": []}


class TestCheckReportViews(ObjectViewsTestCase):
    declaration = CheckReportViews
    edit = ("reference", "RAP-2026-118")
    detail_query_budget = 26
    list_query_budget = 20

    def make(self, world, side):
        return _report(side)

    def form_data(self, world):
        return {"periodic_check": _check(world.a).pk, "done_on": "2026-10-02", "conclusion": "observations",
                "body": "Socotec", "reference": "RAP-2026-001"}


class TestCheckObservationViews(ObjectViewsTestCase):
    declaration = CheckObservationViews
    edit = ("text", "Différentiel 30 mA inopérant sur la prise PC12")
    detail_query_budget = 26
    list_query_budget = 20

    def make(self, world, side):
        return CheckObservationFactory(organization=side.organization, report=_report(side),
                                       text=f"{side.organization.name} · observation {next(NUMBERS)}")

    def form_data(self, world):
        return {"report": _report(world.a).pk, "text": "Capot manquant sur le coffret C3", "severity": "major"}


class TestControlledDocumentViews(ObjectViewsTestCase):
    declaration = ControlledDocumentViews
    edit = ("title", "Maîtrise des documents et enregistrements")
    detail_query_budget = 28
    list_query_budget = 20

    def make(self, world, side):
        document = ControlledDocumentFactory(organization=side.organization, owner=side.users[Role.COORDINATOR],
                                             title=f"{side.organization.name} · procédure", site=side.site)
        document.processes.set([side.process])
        return document

    def form_data(self, world):
        return {"reference": f"PR-{next(NUMBERS):03d}", "title": "Gestion des déchets", "kind": "procedure",
                "owner": world.a.users[Role.PROCESS_OWNER].pk, "processes": [world.a.process.pk],
                "distribution": [world.a.users[Role.CONTRIBUTOR].pk], "review_months": 24, "risks": [],
                "occupational_risks": [], "requirements": []}


class TestDocumentVersionViews(ObjectViewsTestCase):
    declaration = DocumentVersionViews
    edit = ("change_summary", "Ajout du tri des biodéchets")
    detail_query_budget = 28
    list_query_budget = 20

    def make(self, world, side):
        document = ControlledDocumentFactory(organization=side.organization, owner=side.users[Role.COORDINATOR],
                                             title=f"{side.organization.name} · instruction")
        return DocumentVersionFactory(organization=side.organization, document=document, number=1,
                                      change_summary=f"{side.organization.name} · création")

    def form_data(self, world):
        # A new document each time: one version is in preparation at a time per document.
        document = ControlledDocumentFactory(organization=world.a.organization, owner=world.a.users[Role.COORDINATOR])
        return {"document": document.pk, "change_summary": "Première diffusion",
                "author": world.a.users[Role.COORDINATOR].pk, "reviewer": world.a.users[Role.MANAGEMENT].pk,
                "approver": world.a.users[Role.ADMIN].pk}
