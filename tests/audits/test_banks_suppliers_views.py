"""Question banks and the supplier register through the generic view and API tests: only
their data here."""

import datetime
import itertools

from audits.factories import SupplierFactory
from audits.factories_banks import (
    BankQuestionFactory,
    QuestionBankFactory,
    SupplierCertificationFactory,
    SupplierFigureFactory,
    SupplierRequirementFactory,
)
from audits.views_banks import BankQuestionViews, QuestionBankViews
from audits.views_suppliers import (
    SupplierCertificationViews,
    SupplierFigureViews,
    SupplierRequirementViews,
    SupplierViews,
)
from qse.roles import Role
from qse.testing import ObjectViewsTestCase
from qse.testing_children import ChildViewsTestCase

NUMBERS = itertools.count(1)


def _supplier(side, name=None):
    return SupplierFactory(organization=side.organization, name=name or f"{side.organization.name} · fournisseur {next(NUMBERS)}")


class TestQuestionBankViews(ObjectViewsTestCase):
    declaration = QuestionBankViews
    edit = ("name", "Audit 8.4 achats (version atelier)")
    list_query_budget = 18
    detail_query_budget = 24

    def make(self, world, side):
        return QuestionBankFactory(organization=side.organization, name=f"{side.organization.name} · banque {next(NUMBERS)}")

    def form_data(self, world):
        return {"name": "Questions maintenance", "kind": "custom", "standard": "iso9001:2015",
                "description": "Questions propres à la maintenance"}


class TestBankQuestionViews(ChildViewsTestCase):
    declaration = BankQuestionViews
    may_add = frozenset({Role.ADMIN, Role.COORDINATOR})
    may_change = frozenset({Role.ADMIN, Role.COORDINATOR})
    edit = ("text", "Les fiches de poste sont-elles signées ?")

    def make_parent(self, world, side):
        return QuestionBankFactory(organization=side.organization, name=f"{side.organization.name} · banque {next(NUMBERS)}")

    def make(self, world, side, parent):
        return BankQuestionFactory(bank=parent, text=f"{side.organization.name} · question {next(NUMBERS)}")

    def form_data(self, world):
        return {"position": 3, "clause": "7.2", "text": "Les habilitations sont-elles à jour ?",
                "guidance": "Matrice des habilitations"}


class TestSupplierViews(ObjectViewsTestCase):
    declaration = SupplierViews
    edit = ("category", "Traitement de surface")
    list_query_budget = 18
    detail_query_budget = 30

    def make(self, world, side):
        return _supplier(side)

    def form_data(self, world):
        return {"name": "Anodisation Lyonnaise", "siren": "552100554", "category": "Traitement de surface",
                "status": "approved", "critical": "on"}

    def import_rows(self, world):
        return [
            {"Nom": "Fonderie du Gier", "Catégorie": "Fonderie", "Statut": "Approuvé"},
            {"Nom": "Visserie Rhône", "Catégorie": "Visserie", "Statut": "En évaluation"},
        ]


class TestSupplierFigureViews(ObjectViewsTestCase):
    declaration = SupplierFigureViews
    edit = ("lots_delivered", 24)
    list_query_budget = 18
    detail_query_budget = 24

    def make(self, world, side):
        return SupplierFigureFactory(supplier=_supplier(side))

    def form_data(self, world):
        return {"supplier": _supplier(world.a).pk, "period": "2026-10-17", "lots_delivered": 12, "lots_on_time": 11,
                "lots_rejected": 0, "quantity_received": 4800, "quantity_rejected": 3}

    def import_rows(self, world):
        name = _supplier(world.a, "Fonderie du Gier").name
        return [
            {"Fournisseur": name, "Mois": "2026-09-01", "Lots livrés": "10", "Lots à l'heure": "9", "Lots refusés": "0",
             "Pièces reçues": "2000", "Pièces refusées": "2"},
            {"Fournisseur": name, "Mois": "2026-10-01", "Lots livrés": "12", "Lots à l'heure": "12", "Lots refusés": "1",
             "Pièces reçues": "2400", "Pièces refusées": "40"},
        ]


class TestSupplierCertificationViews(ObjectViewsTestCase):
    declaration = SupplierCertificationViews
    edit = ("number", "FR-2026-0042")
    list_query_budget = 18
    detail_query_budget = 24

    def make(self, world, side):
        return SupplierCertificationFactory(supplier=_supplier(side))

    def form_data(self, world):
        return {"supplier": _supplier(world.a).pk, "standard": "IATF 16949", "body": "Bureau Veritas",
                "number": "BV-1234", "expires_on": "2027-06-30"}

    def import_rows(self, world):
        name = _supplier(world.a, "Anodisation Lyonnaise").name
        return [
            {"Fournisseur": name, "Norme": "ISO 9001:2015", "Organisme certificateur": "AFNOR", "Expire le": "2027-03-31"},
            {"Fournisseur": name, "Norme": "ISO 14001:2015", "Organisme certificateur": "AFNOR", "Expire le": "2027-09-30"},
        ]


class TestSupplierRequirementViews(ObjectViewsTestCase):
    declaration = SupplierRequirementViews
    edit = ("acknowledged_by", "M. Girard, responsable qualité")
    list_query_budget = 18
    detail_query_budget = 24

    def make(self, world, side):
        return SupplierRequirementFactory(supplier=_supplier(side), title=f"{side.organization.name} · exigence {next(NUMBERS)}")

    def form_data(self, world):
        return {"supplier": _supplier(world.a).pk, "title": "Accord qualité AQF-01", "document_reference": "AQF-01 rév. C",
                "shared_on": "2026-03-02", "acknowledged_on": "2026-03-20", "acknowledged_by": "Mme Roux"}

    def import_rows(self, world):
        name = _supplier(world.a, "Visserie Rhône").name
        return [
            {"Fournisseur": name, "Titre": "Cahier des charges visserie", "Partagé le": "2026-02-01"},
            {"Fournisseur": name, "Titre": "Règles sécurité livraisons", "Partagé le": "2026-02-15"},
        ]


def test_a_month_entered_on_any_day_is_stored_as_its_first_day(client, world):
    client.force_login(world.user())
    supplier = _supplier(world.a)
    response = client.post("/audits/supplier-figures/add/", {
        "supplier": supplier.pk, "period": "2026-10-17", "lots_delivered": 5, "lots_on_time": 5, "lots_rejected": 0,
        "quantity_received": 100, "quantity_rejected": 0})
    assert response.status_code == 302
    assert supplier.figures.get().period == datetime.date(2026, 10, 1)
    again = client.post("/audits/supplier-figures/add/", {
        "supplier": supplier.pk, "period": "2026-10-30", "lots_delivered": 5, "lots_on_time": 5, "lots_rejected": 0,
        "quantity_received": 100, "quantity_rejected": 0})
    assert again.status_code == 400
    assert "a déjà des chiffres pour ce mois" in again.content.decode()


def test_figures_that_do_not_add_up_are_refused_with_a_clear_message(client, world):
    client.force_login(world.user())
    response = client.post("/audits/supplier-figures/add/", {
        "supplier": _supplier(world.a).pk, "period": "2026-09-01", "lots_delivered": 5, "lots_on_time": 7,
        "lots_rejected": 0, "quantity_received": 100, "quantity_rejected": 200})
    assert response.status_code == 400
    page = response.content.decode()
    assert "ne peuvent dépasser les lots livrés" in page and "ne peuvent dépasser les pièces reçues" in page
