"""Sites and processes through the generic tests."""

import itertools

from qse.factories import ProcessFactory, SiteFactory
from qse.organization import ProcessViews, SiteViews
from qse.roles import Role
from qse.testing import ObjectViewsTestCase

CODES = itertools.count(1)


class TestSiteViews(ObjectViewsTestCase):
    declaration = SiteViews
    edit = ("name", "Site renommé")
    detail_query_budget = 16
    list_query_budget = 14

    def make(self, world, side):
        count = side.organization.qse_sites.count()
        return SiteFactory(organization=side.organization, code=f"X{count}", name=f"{side.organization.name} site {count}")

    def form_data(self, world):
        return {"name": "Vienne", "code": f"V{next(CODES)}", "city": "Vienne", "headcount": 65}

    def import_rows(self, world):
        return [{"Nom": "Grenoble", "Code": "GRE", "Ville": "Grenoble"}, {"Nom": "Lyon", "Code": "LYO2", "Ville": "Lyon"}]


class TestProcessViews(ObjectViewsTestCase):
    declaration = ProcessViews
    edit = ("name", "Processus renommé")
    detail_query_budget = 34  # 16 for the page + rows and count of its sections: risks, actions, events, indicators, periodic checks, controlled documents, audits, improvement teams
    list_query_budget = 14

    def make(self, world, side):
        count = side.organization.qse_processs.count()
        return ProcessFactory(organization=side.organization, code=f"P{count}", name=f"{side.organization.name} process {count}",
                              owner=side.users[Role.COORDINATOR])

    def form_data(self, world):
        return {"code": f"S{next(CODES)}", "name": "Achats", "kind": "support", "owner": world.a.users[Role.COORDINATOR].pk}

    def import_rows(self, world):
        return [{"Code": "S7", "Nom": "Maintenance", "Type": "Processus support"}]
