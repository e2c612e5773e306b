"""The objectives app's models through the generic view, API, import and tenancy tests:
only their data here."""

import datetime
from decimal import Decimal

from improvement.factories import ActionFactory
from objectives.choices import ObjectiveLevel
from objectives.factories import (
    ActionDependencyFactory,
    DashboardFactory,
    DashboardTileFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PolicyAxisFactory,
)
from objectives.models import Indicator
from objectives.views import (
    ActionDependencyViews,
    DashboardTileViews,
    DashboardViews,
    IndicatorViews,
    MeasurementViews,
    ObjectiveViews,
    PolicyAxisViews,
)
from qse.roles import Role
from qse.testing import ObjectViewsTestCase
from qse.testing_children import ChildViewsTestCase


def _once(side, key, make):
    """A fixture row made the first time a test asks for it (form data is asked per role)."""
    if key not in side.__dict__:
        side.__dict__[key] = make()
    return side.__dict__[key]


def _indicator(side, code="TRS"):
    return IndicatorFactory(
        organization=side.organization, code=code, name=f"{side.organization.name} · taux de service",
        owner=side.users[Role.PROCESS_OWNER], process=side.process, site=side.site,
    )


class TestPolicyAxisViews(ObjectViewsTestCase):
    declaration = PolicyAxisViews
    list_query_budget = 18
    detail_query_budget = 22

    def make(self, world, side):
        return PolicyAxisFactory(organization=side.organization, title=f"{side.organization.name} · axe sécurité")

    def form_data(self, world):
        return {"title": "Zéro accident", "description": "Engagement de la direction", "order": 1}

    def import_rows(self, world):
        return [{"Titre": "Satisfaction client", "Ordre": "1"}, {"Titre": "Sobriété énergétique", "Ordre": "2"}]


class TestObjectiveViews(ObjectViewsTestCase):
    declaration = ObjectiveViews
    list_query_budget = 20  # five related filters (axis, parent, owner, process, site)
    detail_query_budget = 30

    def make(self, world, side):
        axis = PolicyAxisFactory(organization=side.organization)
        return ObjectiveFactory(
            organization=side.organization, axis=axis, owner=side.users[Role.PROCESS_OWNER], process=side.process,
            title=f"{side.organization.name} · objectif",
        )

    def form_data(self, world):
        axis = _once(world.a, "_axis", lambda: PolicyAxisFactory(organization=world.a.organization))
        return {
            "level": ObjectiveLevel.STRATEGIC, "axis": axis.pk, "title": "Réduire les rebuts de l'atelier",
            "owner": world.a.users[Role.PROCESS_OWNER].pk, "process": world.a.process.pk, "target": "< 2 %",
            "due_on": "2027-06-30", "status": "active", "standards": ["iso9001:2015-6.2"],
            "is_specific": "on", "specific_justification": "Rebuts de la ligne 2", "indicators": [], "action_plans": [],
        }

    def import_rows(self, world):
        axis = PolicyAxisFactory(organization=world.a.organization, title="Qualité")
        return [
            {"Niveau": "strategic", "Axe de politique": axis.title, "Titre": "Satisfaction client",
             "Responsable": world.a.users[Role.COORDINATOR].username, "Cible": "> 90 %", "Échéance": ""},
            {"Niveau": "Stratégique", "Axe de politique": axis.title, "Titre": "Livraisons à l'heure",
             "Responsable": world.a.users[Role.COORDINATOR].username, "Cible": "98 %", "Échéance": "31/12/2027"},
        ]


class TestIndicatorViews(ObjectViewsTestCase):
    declaration = IndicatorViews
    list_query_budget = 18
    detail_query_budget = 30
    edit = ("name", "Taux de service corrigé")

    def make(self, world, side):
        indicator = _indicator(side, code=f"I{Indicator.objects.count() + 1}")
        for month, value in ((7, "96"), (8, "92"), (9, "88"), (10, "86")):
            MeasurementFactory(indicator=indicator, period_on=datetime.date(2026, month, 1), value=Decimal(value))
        return indicator

    def form_data(self, world):
        return {
            "code": f"LIV{Indicator.objects.count()}", "name": "Livraisons à l'heure", "unit": "%", "frequency": "monthly", "direction": "higher",
            "target": "98", "green_threshold": "97", "red_threshold": "90", "owner": world.a.users[Role.PROCESS_OWNER].pk,
            "process": world.a.process.pk, "source": "manual", "chart_kind": "line",
        }

    def import_rows(self, world):
        owner = world.a.users[Role.PROCESS_OWNER].username
        return [
            {"Code": "ABS", "Nom": "Absentéisme", "Unité": "%", "Fréquence": "Mensuelle", "Sens": "Plus bas est mieux",
             "Cible": "3", "Responsable": owner},
            {"Code": "SAT", "Nom": "Satisfaction", "Unité": "/10", "Fréquence": "quarterly", "Sens": "higher",
             "Cible": "8,5", "Responsable": owner},
        ]


class TestMeasurementViews(ObjectViewsTestCase):
    declaration = MeasurementViews
    list_query_budget = 18
    detail_query_budget = 24
    edit = ("comment", "Valeur corrigée après audit")

    def make(self, world, side):
        indicator = _indicator(side, code=f"M{Indicator.objects.count() + 1}")
        return MeasurementFactory(indicator=indicator, period_on=datetime.date(2026, 9, 1), value=Decimal("91.5"))

    def form_data(self, world):
        indicator = _once(world.a, "_indicator", lambda: _indicator(world.a, code="FORM"))
        return {"indicator": indicator.pk, "period_on": f"2026-{len(indicator.measurements.all()) + 1:02d}-15",
                "value": "93.2", "comment": "Relevé du mois"}

    def import_rows(self, world):
        indicator = _indicator(world.a, code="IMP")
        return [
            {"Indicateur": indicator.code, "Période": "01/01/2026", "Valeur": "94,5", "Commentaire": ""},
            {"Indicateur": indicator.code, "Période": "2026-02-17", "Valeur": "95", "Commentaire": "relevé"},
        ]


class TestDashboardViews(ObjectViewsTestCase):
    declaration = DashboardViews
    list_query_budget = 18
    detail_query_budget = 30

    def make(self, world, side):
        dashboard = DashboardFactory(organization=side.organization, title=f"{side.organization.name} · tableau de bord")
        DashboardTileFactory(dashboard=dashboard, indicator=_indicator(side, code=f"D{dashboard.pk}"))
        return dashboard

    def form_data(self, world):
        return {"title": "Site de Lyon", "scope": "site", "site": world.a.site.pk, "period_months": 12}


class TestDashboardTileViews(ChildViewsTestCase):
    declaration = DashboardTileViews
    may_add = frozenset({Role.ADMIN, Role.COORDINATOR})
    may_change = frozenset({Role.ADMIN, Role.COORDINATOR})
    edit = ("order", 7)

    def make_parent(self, world, side):
        return DashboardFactory(organization=side.organization)

    def make(self, world, side, parent):
        return DashboardTileFactory(dashboard=parent, indicator=_indicator(side, code=f"T{parent.pk}-{parent.tiles.count()}"))

    def form_data(self, world):
        indicator = _once(world.a, "_tile_indicator", lambda: _indicator(world.a, code="TILE"))
        return {"indicator": indicator.pk, "order": 1, "size": "medium"}


class TestActionDependencyViews(ObjectViewsTestCase):
    declaration = ActionDependencyViews
    list_query_budget = 18
    detail_query_budget = 24
    edit = ("lag_days", 3)

    def make(self, world, side):
        first = ActionFactory(organization=side.organization, plan=side.plan, owner=side.users[Role.COORDINATOR],
                              process=side.process, site=side.site, title=f"{side.organization.name} · étape 1")
        second = ActionFactory(organization=side.organization, plan=side.plan, owner=side.users[Role.PROCESS_OWNER],
                               process=side.process, site=side.site, title=f"{side.organization.name} · étape 2")
        return ActionDependencyFactory(predecessor=first, successor=second)

    def form_data(self, world):
        first, second = world.a.actions[0], world.a.actions[1]
        count = type(first).objects.count()
        third = ActionFactory(organization=world.a.organization, plan=world.a.plan, owner=world.a.users[Role.PROCESS_OWNER],
                              process=world.a.process, title=f"Étape {count}")
        return {"predecessor": first.pk if count % 2 else second.pk, "successor": third.pk, "lag_days": 2}
