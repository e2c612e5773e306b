"""The audits app's declared models through the generic view, API, import and tenancy tests:
only their data here."""

import datetime

from audits.factories import (
    AuditeeFactory,
    AuditFactory,
    AuditorCompetenceFactory,
    AuditProgrammeFactory,
    ScheduleItemFactory,
)
from audits.views import (
    AuditeeViews,
    AuditorCompetenceViews,
    AuditProgrammeViews,
    AuditViews,
    ScheduleItemViews,
)
from qse.factories import MembershipFactory, UserFactory
from qse.roles import Role
from qse.testing import ObjectViewsTestCase
from qse.testing_children import ChildViewsTestCase


def _lead(side):
    return side.users.get(Role.AUDITOR) or side.users[Role.COORDINATOR]


class TestAuditProgrammeViews(ObjectViewsTestCase):
    declaration = AuditProgrammeViews
    list_query_budget = 18
    detail_query_budget = 30

    def make(self, world, side):
        programme = AuditProgrammeFactory(organization=side.organization, year=2026,
                                          title=f"{side.organization.name} · programme 2026")
        AuditFactory(organization=side.organization, programme=programme, process=side.process,
                     planned_start=datetime.date(2026, 3, 10), lead_auditor=_lead(side), clauses=["8.4"])
        return programme

    def form_data(self, world):
        return {"year": 2027, "title": "Programme d'audits 2027", "objectives": "Couvrir les trois normes",
                "owner": world.a.users[Role.COORDINATOR].pk}

    def import_rows(self, world):
        return [{"Année": "2027", "Titre": "Programme 2027"}, {"Année": "2028", "Titre": "Programme 2028"}]


class TestAuditViews(ObjectViewsTestCase):
    declaration = AuditViews
    list_query_budget = 22
    detail_query_budget = 34

    def make(self, world, side):
        return AuditFactory(organization=side.organization, process=side.process, site=side.site,
                            lead_auditor=_lead(side), title=f"{side.organization.name} · audit achats")

    def form_data(self, world):
        return {
            "title": "Audit du processus achats", "kind": "process", "category": "internal",
            "standards": ["iso9001:2015"], "clauses": ["8.4"], "scope": "Achats et sous-traitance",
            "process": world.a.process.pk, "site": world.a.site.pk, "planned_start": "2026-12-01",
            "lead_auditor": world.a.users[Role.COORDINATOR].pk, "auditors": [],
        }

    def import_rows(self, world):
        return [
            {"Référence": "AUD-I1", "Titre": "Audit stockage", "Type": "Audit de processus", "Catégorie": "Interne",
             "Début prévu": "02/02/2027"},
            {"Référence": "AUD-I2", "Titre": "Audit documentaire", "Type": "documentary", "Catégorie": "internal",
             "Début prévu": "2027-03-01"},
        ]


class TestAuditorCompetenceViews(ObjectViewsTestCase):
    declaration = AuditorCompetenceViews
    list_query_budget = 18
    detail_query_budget = 26
    edit = ("sectors", "Chimie")

    def make(self, world, side):
        return AuditorCompetenceFactory(organization=side.organization, auditor=_lead(side))

    def form_data(self, world):
        return {"auditor": world.a.users[Role.AUDITOR].pk, "standards": ["iso14001:2015"], "sectors": "Mécanique",
                "training": "Auditeur interne ISO 14001", "qualified_on": "2025-06-30"}


class TestAuditeeViews(ChildViewsTestCase):
    declaration = AuditeeViews
    # The parent audit is led by organization A's auditor: they keep its auditees.
    may_add = frozenset({Role.ADMIN, Role.COORDINATOR, Role.AUDITOR})
    may_change = frozenset({Role.ADMIN, Role.COORDINATOR, Role.AUDITOR})
    edit = ("note", "Connaît le processus")

    def make_parent(self, world, side):
        return AuditFactory(organization=side.organization, process=side.process, site=side.site,
                            lead_auditor=_lead(side))

    def make(self, world, side, parent):
        return AuditeeFactory(audit=parent, person=UserFactory())

    def form_data(self, world):
        # A new person each time: a person is an auditee of an audit once (page and API both add).
        person = UserFactory()
        MembershipFactory(user=person, organization=world.a.organization, role=Role.CONTRIBUTOR)
        return {"person": person.pk, "reason": "competence", "note": "Responsable achats"}


class TestScheduleItemViews(ChildViewsTestCase):
    declaration = ScheduleItemViews
    may_add = frozenset({Role.ADMIN, Role.COORDINATOR, Role.AUDITOR})
    may_change = frozenset({Role.ADMIN, Role.COORDINATOR, Role.AUDITOR})
    edit = ("subject", "Visite de l'atelier")

    def make_parent(self, world, side):
        return AuditFactory(organization=side.organization, process=side.process, site=side.site,
                            lead_auditor=_lead(side))

    def make(self, world, side, parent):
        return ScheduleItemFactory(audit=parent)

    def form_data(self, world):
        return {"starts_at": "2026-12-01T09:00", "ends_at": "2026-12-01T10:00", "activity": "interview",
                "subject": "Entretien acheteur", "location": "Bureau achats", "people": []}
