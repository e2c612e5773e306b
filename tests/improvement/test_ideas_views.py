"""Suggestions, improvement projects and their phases through the generic view and API tests:
only their data here (the rights come from tests/role_expectations.py)."""

from improvement.factories import ImprovementProjectFactory, ProjectPhaseFactory, SuggestionFactory
from improvement.views_ideas import ImprovementProjectViews, ProjectPhaseViews, SuggestionViews
from qse.roles import Role
from qse.testing import ObjectViewsTestCase
from qse.testing_children import ChildViewsTestCase


def _author(side):
    return side.users.get(Role.CONTRIBUTOR) or side.users[Role.PROCESS_OWNER]


class TestSuggestionViews(ObjectViewsTestCase):
    declaration = SuggestionViews
    detail_query_budget = 26
    list_query_budget = 18

    def make(self, world, side):
        return SuggestionFactory(organization=side.organization, site=side.site, process=side.process,
                                 author=_author(side), title=f"{side.organization.name} · idée")

    def form_data(self, world):
        return {"title": "Poser un tapis anti-fatigue au poste de contrôle",
                "description": "Les contrôleurs restent debout 7 h sur du béton.",
                "expected_benefit": "Moins de douleurs, moins d'absences", "site": world.a.site.pk,
                "process": world.a.process.pk}


class TestImprovementProjectViews(ObjectViewsTestCase):
    declaration = ImprovementProjectViews
    detail_query_budget = 30
    list_query_budget = 18

    def make(self, world, side):
        return ImprovementProjectFactory(organization=side.organization, site=side.site, process=side.process,
                                         leader=side.users[Role.PROCESS_OWNER],
                                         title=f"{side.organization.name} · projet")

    def form_data(self, world):
        return {"title": "Réduire les rebuts de la ligne L2", "method": "dmaic",
                "leader": world.a.users[Role.PROCESS_OWNER].pk, "status": "open", "direction": "lower",
                "baseline": "6.2", "target": "3", "members": []}


class TestProjectPhaseViews(ChildViewsTestCase):
    declaration = ProjectPhaseViews
    # The project's leader (here a contributor) keeps its phases, with the coordinators.
    may_add = frozenset({Role.ADMIN, Role.COORDINATOR, Role.CONTRIBUTOR})
    may_change = frozenset({Role.ADMIN, Role.COORDINATOR, Role.CONTRIBUTOR})
    edit = ("notes", "Gamme G-17 révisée")

    def make_parent(self, world, side):
        leader = side.users.get(Role.CONTRIBUTOR) or side.users[Role.COORDINATOR]
        return ImprovementProjectFactory(organization=side.organization, site=side.site, leader=leader)

    def make(self, world, side, parent):
        return ProjectPhaseFactory(project=parent, name="Mesurer")

    def form_data(self, world):
        return {"position": 6, "name": "Pérenniser", "status": "not_started"}
