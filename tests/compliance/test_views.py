"""The compliance models through the generic view and API tests: only their data here."""

import itertools

from compliance import factories as f
from compliance.views import (
    ApplicabilityViews,
    EvaluationViews,
    IcpeClassificationViews,
    InterlocutorViews,
    RequirementViews,
    SiteProfileViews,
    SourceViews,
    TextVersionViews,
    TextViews,
    WatchItemViews,
)
from qse.factories import SiteFactory
from qse.roles import Role
from qse.testing import ObjectViewsTestCase

NUMBERS = itertools.count(100)


def _text(side, **extra):
    extra.setdefault("reference", f"{side.organization.slug} arrêté {next(NUMBERS)}")
    return f.TextFactory(organization=side.organization, **extra)


class TestTextViews(ObjectViewsTestCase):
    declaration = TextViews
    edit = ("title", "Arrêté relatif au bruit modifié")
    detail_query_budget = 26
    list_query_budget = 18

    def make(self, world, side):
        return _text(side)

    def form_data(self, world):
        return {"kind": "decree", "reference": "Décret n° 2022-395", "title": "Document unique", "status": "in_force",
                "domains": ["S"], "themes": ["DUERP"], "summary": "Conservation 40 ans."}

    def import_rows(self, world):
        return [
            {"Kind": "Ministerial order", "Reference": "Arrêté du 23 janvier 1997", "Title": "Bruit des ICPE",
             "Status": "In force", "Domains": "E", "Effective on": "01/07/1997"},
            {"Kind": "decree", "Reference": "Décret n° 2021-321", "Title": "Traçabilité des déchets",
             "Status": "in_force", "Domains": "Environment", "Effective on": "2022-01-01"},
        ]


class TestTextVersionViews(ObjectViewsTestCase):
    declaration = TextVersionViews
    edit = ("change_note", "Seuil abaissé")
    detail_query_budget = 24
    list_query_budget = 18

    def make(self, world, side):
        return f.TextVersionFactory(text=_text(side), summary=f"{side.organization.slug} version")

    def form_data(self, world):
        return {"text": _text(world.a).pk, "summary": "Nouvelle rédaction", "modified_by_reference": "Arrêté du 28/02/2022"}


class TestRequirementViews(ObjectViewsTestCase):
    declaration = RequirementViews
    edit = ("title", "Registre des déchets tenu à jour")
    detail_query_budget = 28
    list_query_budget = 18

    def make(self, world, side):
        return f.RequirementFactory(text=_text(side), title=f"{side.organization.slug} exigence")

    def form_data(self, world):
        return {"text": _text(world.a).pk, "article": "R4121-2", "title": "Mettre à jour le DUERP chaque année",
                "evaluation_interval_months": 12, "domains": ["S"]}

    def import_rows(self, world):
        _text(world.a, reference="Arrêté du 31 mai 2021")
        return [
            {"Text": "Arrêté du 31 mai 2021", "Article": "Art. 1", "Title": "Tenir le registre chronologique",
             "Evaluation every (months)": "12", "Domains": "E"},
            {"Text": "arrete du 31 mai 2021", "Article": "Art. 2", "Title": "Conserver le registre 3 ans",
             "Evaluation every (months)": "24", "Domains": "E"},
        ]


class TestSiteProfileViews(ObjectViewsTestCase):
    declaration = SiteProfileViews
    edit = ("notes", "Atelier peinture fermé en 2025")
    detail_query_budget = 24
    list_query_budget = 18

    def make(self, world, side):
        site = SiteFactory(organization=side.organization, code=f"P{next(NUMBERS)}")
        return f.SiteProfileFactory(site=site, activities=["peinture"])

    def form_data(self, world):
        site = SiteFactory(organization=world.a.organization, code=f"N{next(NUMBERS)}")
        return {"site": site.pk, "activities": "peinture,soudage", "notes": "Deux ateliers"}

    def test_api_create_per_role(self, client, world):
        # Each POST needs a site without profile (one profile per site).
        for role, user in world.a.users.items():
            client.force_login(user)
            data = {**self.form_data(world), "activities": ["peinture"]}
            response = client.post(self.api_url(), data, content_type="application/json")
            assert response.status_code == (201 if self.expected(role, "add") else 403), (role, response.content[:300])

    def test_create_per_role(self, client, world):
        for role, user in world.a.users.items():
            client.force_login(user)
            response = client.post(self.url("add"), self.form_data(world))
            assert response.status_code == (302 if self.expected(role, "add") else 403), role


class TestIcpeClassificationViews(ObjectViewsTestCase):
    declaration = IcpeClassificationViews
    edit = ("activity_level", "4,5 MW")
    detail_query_budget = 22
    list_query_budget = 18

    def make(self, world, side):
        return f.IcpeClassificationFactory(site=side.site, rubrique="2910", regime="E")

    def form_data(self, world):
        return {"site": world.a.site.pk, "rubrique": "2940", "regime": "D", "dated_on": "2016-03-01"}

    def import_rows(self, world):
        return [{"Site": world.a.site.code, "Rubrique": "2921", "Régime": "E", "Date de l'acte": "12/04/2019"},
                {"Site": world.a.site.name, "Rubrique": "4331", "Régime": "D", "Date de l'acte": ""}]


class TestApplicabilityViews(ObjectViewsTestCase):
    declaration = ApplicabilityViews
    edit = ("justification", "Pas de rejet aqueux")
    detail_query_budget = 22
    list_query_budget = 18

    def make(self, world, side):
        requirement = f.RequirementFactory(text=_text(side))
        return f.ApplicabilityFactory(requirement=requirement, site=side.site, status="not_applicable",
                                      justification="Hors champ")

    def form_data(self, world):
        requirement = f.RequirementFactory(text=_text(world.a))
        return {"requirement": requirement.pk, "site": world.a.site.pk, "status": "applicable"}

    def import_rows(self, world):
        r1 = f.RequirementFactory(text=_text(world.a), title="Exigence importée 1")
        r2 = f.RequirementFactory(text=_text(world.a), title="Exigence importée 2")
        return [{"Requirement": r1.pk, "Site": world.a.site.code, "Applicability": "Applicable", "Justification": ""},
                {"Requirement": r2.pk, "Site": world.a.site.code, "Applicability": "not_applicable",
                 "Justification": "Pas de chaufferie"}]


class TestEvaluationViews(ObjectViewsTestCase):
    declaration = EvaluationViews
    edit = ("findings", "Registre à jour au 1er novembre")
    detail_query_budget = 30
    list_query_budget = 20

    def make(self, world, side):
        requirement = f.RequirementFactory(text=_text(side))
        return f.EvaluationFactory(requirement=requirement, site=side.site, evaluator=side.users[Role.COORDINATOR],
                                   findings=f"{side.organization.slug} constat")

    def form_data(self, world):
        requirement = f.RequirementFactory(text=_text(world.a))
        return {"requirement": requirement.pk, "site": world.a.site.pk, "status": "non_compliant",
                "evaluated_on": "2026-11-02", "evaluator": world.a.users[Role.COORDINATOR].pk,
                "findings": "Registre incomplet"}


class TestInterlocutorViews(ObjectViewsTestCase):
    declaration = InterlocutorViews
    edit = ("name", "Mme Durand")
    detail_query_budget = 22
    list_query_budget = 18

    def make(self, world, side):
        return f.InterlocutorFactory(organization=side.organization, site=side.site, name=f"{side.organization.slug} contact")

    def form_data(self, world):
        return {"kind": "carsat", "name": "M. Petit", "body": "CARSAT Rhône-Alpes", "site": world.a.site.pk,
                "next_visit_on": "2027-03-01"}

    def import_rows(self, world):
        return [{"Kind": "Labour inspector", "Name": "M. Martin", "Body": "DREETS"},
                {"Kind": "fire_service", "Name": "Capitaine Roux", "Body": "SDIS 69"}]


class TestSourceViews(ObjectViewsTestCase):
    declaration = SourceViews
    edit = ("name", "INRS actualités")
    detail_query_budget = 24
    list_query_budget = 18

    def make(self, world, side):
        return f.SourceFactory(organization=side.organization, name=f"{side.organization.slug} flux")

    def form_data(self, world):
        return {"name": "EUR-Lex JO L", "kind": "feed", "address": "https://eur-lex.europa.eu/EN/display-feed.rss?rssId=222",
                "domains": ["E", "S"], "interval_minutes": 360, "is_active": True}

    def test_the_secret_is_never_shown_back(self, client, world):
        source = f.SourceFactory(organization=world.a.organization, kind="piste", client_id="abc",
                                 client_secret="tres-secret")
        client.force_login(world.user())
        assert "tres-secret" not in client.get(self.url("detail", source)).content.decode()
        assert "tres-secret" not in client.get(self.url("edit", source)).content.decode()
        assert "client_secret" not in client.get(self.api_url(source)).json()


class TestWatchItemViews(ObjectViewsTestCase):
    declaration = WatchItemViews
    detail_query_budget = 26
    list_query_budget = 20

    def make(self, world, side):
        source = f.SourceFactory(organization=side.organization)
        return f.WatchItemFactory(source=source, title=f"{side.organization.slug} décret {next(NUMBERS)}")

    def form_data(self, world):
        source = f.SourceFactory(organization=world.a.organization, kind="manual")
        return {"source": source.pk, "title": f"Lettre du client {next(NUMBERS)}", "link": "https://client.test/exigences"}
