"""Risk matrices and the register through the generic view and API tests: only their data here."""

import itertools
import json

from qse.roles import Role
from qse.testing import ObjectViewsTestCase
from risks.factories import RiskFactory, RiskMatrixFactory
from risks.library import library_matrix
from risks.views import RiskMatrixViews, RiskViews

NUMBERS = itertools.count(100)


class TestRiskMatrixViews(ObjectViewsTestCase):
    declaration = RiskMatrixViews
    edit = ("name", "Matrice du groupe")
    detail_query_budget = 20
    list_query_budget = 16

    def make(self, world, side):
        return RiskMatrixFactory(organization=side.organization, library_id="matrix-4x4",
                                 name=f"{side.organization.name} matrice {next(NUMBERS)}")

    def form_data(self, world):
        source = library_matrix("matrix-3x3")
        return {
            "name": "Matrice simplifiée", "description": "", "acceptability_threshold": 4,
            "scales": json.dumps(source["scales"]), "bands": json.dumps(source["bands"]),
        }


def _matrix_of(side):
    """The side's default matrix (this package's world adds one; the shared world may not)."""
    if getattr(side, "matrix", None) is None:
        side.matrix = RiskMatrixFactory(organization=side.organization, is_default=True)
    return side.matrix


class TestRiskViews(ObjectViewsTestCase):
    declaration = RiskViews
    detail_query_budget = 26
    list_query_budget = 18

    def make(self, world, side):
        return RiskFactory(
            organization=side.organization, matrix=_matrix_of(side), process=side.process, site=side.site,
            owner=side.users[Role.PROCESS_OWNER], reference=f"R-{next(NUMBERS)}",
            title=f"{side.organization.name} · risque",
        )

    def form_data(self, world):
        return {
            "reference": f"R-{next(NUMBERS)}",
            "title": "Déversement de solvant au poste de dégraissage",
            "kind": "risk",
            "domains": ["S", "E"],
            "process": world.a.process.pk,
            "site": world.a.site.pk,
            "source": "incident",
            "matrix": world.a.matrix.pk,
            "inherent_gravity": 4,
            "inherent_probability": 3,
            "owner": world.a.users[Role.PROCESS_OWNER].pk,
            "status": "open",
        }

    def import_rows(self, world):
        _matrix_of(world.a)
        return [
            {"reference": f"R-IMP-{i}", "title": f"Chute de plain-pied {i}", "kind": "risk", "domains": "S",
             "process": world.a.process.code, "site": world.a.site.code, "source": "incident",
             "inherent_gravity": "3", "inherent_probability": "2", "owner": world.a.users[Role.PROCESS_OWNER].username,
             "status": "open"}
            for i in range(2)
        ]
