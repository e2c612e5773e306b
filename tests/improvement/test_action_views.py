"""Actions and action plans through the generic view and API tests: only their data here."""

import datetime

from improvement.factories import ActionFactory, ActionPlanFactory
from improvement.views import ActionPlanViews, ActionViews
from qse.roles import Role
from qse.testing import ObjectViewsTestCase


class TestActionViews(ObjectViewsTestCase):
    declaration = ActionViews
    detail_query_budget = 22
    list_query_budget = 18

    def make(self, world, side):
        return ActionFactory(
            organization=side.organization, plan=side.plan, process=side.process, site=side.site,
            owner=side.users[Role.PROCESS_OWNER], title=f"{side.organization.name} · action",
        )

    def form_data(self, world):
        return {
            "title": "Remplacer le dégraissant chloré",
            "plan": world.a.plan.pk,
            "owner": world.a.users[Role.PROCESS_OWNER].pk,
            "process": world.a.process.pk,
            "site": world.a.site.pk,
            "origin_kind": "risk",
            "priority": "high",
            "due_on": "2027-03-31",
            "progress": 0,
        }

    def import_rows(self, world):
        owner = world.a.users[Role.PROCESS_OWNER]
        return [
            {"Titre": "Capoter la presse 3", "Responsable": owner.username, "Processus": "R1",
             "Échéance": "31/01/2027", "Priorité": "Haute", "Livrable": "Capotage posé"},
            {"Titre": "Former les caristes", "Responsable": owner.email, "Processus": "R1",
             "Échéance": "2027-02-15", "Priorité": "normal", "Livrable": "Attestations"},
        ]


class TestActionPlanViews(ObjectViewsTestCase):
    declaration = ActionPlanViews
    detail_query_budget = 24
    list_query_budget = 18

    def make(self, world, side):
        return ActionPlanFactory(
            organization=side.organization, owner=side.users[Role.COORDINATOR], process=side.process,
            title=f"{side.organization.name} · plan", due_on=datetime.date(2026, 12, 31),
        )

    def form_data(self, world):
        return {"title": "Plan QSE 2027", "owner": world.a.users[Role.COORDINATOR].pk, "status": "open"}

    def import_rows(self, world):
        return [{"Titre": "Plan énergie", "Responsable": world.a.users[Role.COORDINATOR].username}]
