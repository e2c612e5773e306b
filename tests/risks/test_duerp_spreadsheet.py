"""Issue 9's situation: a biscuit plant's own Document unique spreadsheet (a merged title row,
its own French headers, work units written once beside their risks, its own hazard wordings of
which only a quarter are the INRS labels, 3 genuinely wrong rows). Nothing is imported and
exactly those 3 rows are reported with the row numbers Excel shows; once corrected, every row
imports with its prevention action. Expectations written by hand."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import openpyxl
import pytest

from improvement.models import Action
from qse.import_values import CREATE
from qse.models import ImportValueMapping, Membership
from qse.roles import Role
from risks.models import OccupationalRisk, WorkUnit

URL = "/risks/occupational-risks/import/"
HEADERS = [
    "Unité de travail", "Danger identifié", "Ce qui peut arriver", "Nb de salariés exposés",
    "Mesures de prévention en place", "G (1-4)", "P (1-4)", "Action de prévention proposée", "Responsable",
    "Échéance",
]
# What the columns step proposes: every header but "Ce qui peut arriver", which the user maps.
PROPOSED = {
    "Unité de travail": "work_unit", "Danger identifié": "hazard_family", "Ce qui peut arriver": "",
    "Nb de salariés exposés": "exposed_workers", "Mesures de prévention en place": "existing_measures",
    "G (1-4)": "gravity", "P (1-4)": "probability", "Action de prévention proposée": "action_title",
    "Responsable": "action_owner", "Échéance": "action_due_on",
}
JUNE = datetime.datetime(2027, 6, 30)

# (work unit written on the group's first row only: the cell is merged down), hazard as the
# plant writes it, situation, exposed, measures, G, P, action, owner, due date.
GROUPS = [
    ("Pétrissage", [
        ("Poussières de farine", "Inhalation lors du versement des sacs", 4, "Aspiration", 3, 3, "Capoter la trémie", "Claire Martin", JUNE),
        ("Port de charges", "Sacs de farine de 25 kg", 4, "Chariot", 3, 3, "Silo et vis de transfert", "P. Durand", "30/09/2027"),
        ("Bruit", "Pétrins en fonctionnement", 4, "Bouchons", 2, 3, "Mesure de bruit", "Claire Martin", "15/03/27"),
        ("Happement convoyeur", "Nettoyage du pétrin en marche", 3, "Consignation", 4, 2, "Carter à clé", "paul durand", JUNE),
        ("Sol glissant", "Farine et eau au sol", 4, "Nettoyage", 2, 3, "Sol antidérapant", "Julie Moreau", "31/12/2027"),
        ("Électricité", "Armoire du pétrin", 1, "Habilitation", 4, 1, "Vérification annuelle", "P. Durand", JUNE),
        ("TMS", "Façonnage manuel", 4, "Rotation", 2, 4, "Table réglable", "Julie Moreau", JUNE),
    ]),
    ("Cuisson – four tunnel", [
        ("Brûlures", "Contact avec les plaques à la sortie du four", 3, "Gants", 3, 3, "Gants longs", "Claire Martin", JUNE),
        ("Chaleur", "Travail près du four en été", 3, "Pauses", 2, 3, "Ventilation", "P. Durand", JUNE),
        ("Incendie / explosion", "Brûleur gaz du four", 3, "Détection", 4, 1, "Exercice d'évacuation", "Claire Martin", JUNE),
        ("Nuisances sonores", "Ventilateurs du four", 3, "Bouchons", 2, 2, "Silencieux", "P. Durand", JUNE),
        ("Chute de plain-pied", "Câbles au sol", 3, "Goulottes", 2, 2, "Passage de câbles", "Julie Moreau", JUNE),
        ("Manutention manuelle", "Changement des plaques", 3, "Aide", 2, 3, "Chariot porte-plaques", "Claire Martin", JUNE),
        ("Risque électrique", "Intervention sur le four", 1, "Habilitation", 4, 1, "Procédure", "P. Durand", JUNE),
    ]),
    ("Conditionnement", [
        ("Coupure", "Changement des lames de l'ensacheuse", 6, "Gants anti-coupure", 3, 2, "Outil de changement", "Julie Moreau", JUNE),
        ("Gestes répétitifs", "Mise en étui manuelle", 6, "Rotation", 2, 4, "Étude ergonomique", "Claire Martin", JUNE),
        ("Bruit", "Ensacheuses", 6, "Casques", 2, 3, "Capotage", "P. Durand", JUNE),
        ("Écrasement", "Presse à cartons", 2, "Commande bimanuelle", 4, 1, "Barrière immatérielle", "Claire Martin", JUNE),
        ("Stress", "Cadences en période de fêtes", 6, "Intérim", 2, 3, "Planification", "Julie Moreau", JUNE),
        ("Travail sur écran", "Pilotage de la ligne", 1, "Écran réglable", 1, 3, "Pause écran", "P. Durand", JUNE),
        ("Produits de nettoyage", "Lavage des bacs", 2, "Gants, lunettes", 2, 3, "Fiches de sécurité au poste", "Claire Martin", JUNE),
        ("Vibrations", "Transpalette électrique", 2, "Sol lisse", 1, 2, "Entretien des roues", "P. Durand", JUNE),
    ]),
    ("Expédition / quai", [
        ("Chariot élévateur", "Circulation des chariots sur le quai", 3, "CACES", 4, 2, "Plan de circulation", "Claire Martin", JUNE),
        ("Chambre froide", "Préparation des commandes à 4 °C", 2, "Vêtements chauds", 2, 3, "Temps limité", "P. Durand", JUNE),
        ("Chutes de hauteur", "Bord de quai", 3, "Butoirs", 4, 1, "Barrière de quai", "Julie Moreau", JUNE),
        ("Risque routier", "Livraisons aux clients", 2, "Formation", 4, 2, "Plan de déplacement", "Claire Martin", JUNE),
        ("Chute d'objets stockés en hauteur", "Racks de palettes", 3, "Filets", 3, 2, "Contrôle des racks", "P. Durand", JUNE),
        ("Entreprises extérieures", "Chauffeurs des transporteurs", 3, "Protocole de sécurité", 2, 3, "Mise à jour du protocole", "Julie Moreau", JUNE),
    ]),
    ("Maintenance", [
        ("Risque électrique", "Interventions sur les armoires", 2, "Habilitation", 4, 2, "Recyclage habilitation", "Claire Martin", JUNE),
        ("Travail en hauteur", "Accès aux gaines", 2, "Nacelle", 4, 2, "Formation nacelle", "P. Durand", JUNE),
        ("Air comprimé", "Réseau d'air comprimé", 2, "Vannes", 3, 1, "Inspection du réseau", "Julie Moreau", JUNE),
        ("Bruit de la meuleuse", "Meuleuse", 2, "Casque", 2, 2, "Atelier isolé", "Claire Martin", JUNE),
        ("Risque chimique", "Graisses et solvants", 2, "Gants nitrile", 2, 3, "Substitution du solvant", "P. Durand", JUNE),
        ("Légionellose", "Tour aéroréfrigérante", 2, "Traitement de l'eau", 4, 1, "Analyses mensuelles", "Julie Moreau", JUNE),
    ]),
    ("Bureaux", [
        ("Écran", "Postes administratifs", 5, "Écrans réglables", 1, 4, "Étude des postes", "Claire Martin", JUNE),
        ("Risques psychosociaux", "Surcharge en clôture", 5, "Entretiens annuels", 2, 3, "Baromètre social", "P. Durand", JUNE),
        ("Agression", "Accueil des chauffeurs", 1, "Vitre", 2, 2, "Procédure d'accueil", "Julie Moreau", JUNE),
        ("Éclairage insuffisant", "Couloir d'archives", 5, "Néons", 1, 2, "LED", "Claire Martin", JUNE),
        ("Chute de plain-pied", "Escalier", 5, "Rampe", 2, 2, "Bandes antidérapantes", "P. Durand", JUNE),
        ("Addictions", "Pots de fin d'année", 5, "Règlement intérieur", 2, 1, "Sensibilisation", "Julie Moreau", JUNE),
    ]),
]
# Row 1: the merged title; row 2: the update date; row 3: empty; row 4: the headers. Data
# from row 5; an empty row (19) separates the cooking group from the packing one.
FIRST_ROW = {"Pétrissage": 5, "Cuisson – four tunnel": 12, "Conditionnement": 20, "Expédition / quai": 28,
             "Maintenance": 34, "Bureaux": 40}
# The 3 genuinely wrong cells, by (work unit, position in its group): Excel row, column, bad value.
WRONG = {
    ("Conditionnement", 2): (22, "Échéance", "31/02/2027"),
    ("Expédition / quai", 0): (28, "G (1-4)", 7),
    ("Maintenance", 3): (37, "Nb de salariés exposés", "une dizaine"),
}
COLUMN_OF = {"Échéance": 8, "G (1-4)": 4, "Nb de salariés exposés": 2}
# How the plant's wordings are read: the families a user would choose.
FAMILIES = Counter({
    "chemicals": 3, "manual-handling": 4, "noise": 4, "machines-tools": 3, "slips-trips": 3, "electricity": 3,
    "thermal-environment": 3, "fire-explosion": 1, "psychosocial": 3, "screen-work": 2, "vibrations": 1,
    "mechanical-handling": 1, "falls-from-height": 2, "road": 1, "falling-objects": 1, "contractors": 1,
    "pressure-equipment": 1, "biological-agents": 1, "lighting": 1, "addictions": 1,
})


def workbook(*, wrong: bool, limit: int = 40) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "DUERP 2026"
    sheet["A1"] = "DOCUMENT UNIQUE D'ÉVALUATION DES RISQUES PROFESSIONNELS — Biscuiterie du Val"
    sheet.merge_cells("A1:J1")
    sheet["A2"] = "Mise à jour : 12/01/2026"
    for column, header in enumerate(HEADERS, start=1):
        sheet.cell(4, column, header)
    kept = 0
    for unit, rows in GROUPS:
        rows = rows[:max(0, limit - kept)]  # noqa: PLW2901 (the first ``limit`` rows of the file)
        kept += len(rows)
        if not rows:
            break
        first = FIRST_ROW[unit]
        for position, row in enumerate(rows):
            values = list(row)
            if wrong and (unit, position) in WRONG:
                _row, column, bad = WRONG[(unit, position)]
                values[COLUMN_OF[column]] = bad
            for column, value in enumerate([unit if position == 0 else None, *values], start=1):
                sheet.cell(first + position, column, value)
        sheet.merge_cells(start_row=first, end_row=first + len(rows) - 1, start_column=1, end_column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "DUERP Biscuiterie 2026.xlsx"
    return buffer


@pytest.fixture
def plant(client, world):
    """The plant's people as the file names them; the import is made by its administrator."""
    for role, user in world.a.users.items():  # names far from the file's (the factory's are random)
        user.first_name, user.last_name = "Agent", role
        user.save()
    people = {"Claire Martin": world.a.users[Role.COORDINATOR], "Paul Durand": world.a.users[Role.PROCESS_OWNER]}
    for name, user in people.items():
        user.first_name, user.last_name = name.split()
        user.save()
    client.force_login(world.a.users[Role.ADMIN])
    return people


def columns_step(client, file):
    page = client.post(URL, {"file": file})
    assert page.status_code == 200, page.content[:500]
    return page


def values_step(client, page, mapping: dict):
    response = client.post(URL, {"token": page.context["token"], "step": "columns",
                                 **{f"map_{column}": name for column, name in mapping.items()}})
    assert response.status_code == 200 and response.context["step"] == "values", response.status_code
    return response


def confirm(client, page, site) -> object:
    data = {"token": page.context["token"], "step": "values", "site": site.pk}
    data.update({f"map_{column}": name for column, name, _label in page.context["mapped"]})
    for column in page.context["plan"]:
        data.update({f"value:{column.field}:{w.key}": w.proposed for w in column.wordings})
    return client.post(URL, data)


def proposals(page, field: str) -> dict[str, tuple[str, str]]:
    column = next(column for column in page.context["plan"] if column.field == field)
    return {w.text: (w.proposed, w.how) for w in column.wordings}


def test_the_plants_document_unique_reports_exactly_its_3_wrong_rows_then_imports_with_its_plan(
    client, world, plant
):
    columns = columns_step(client, workbook(wrong=True))

    assert columns.context["header_row"] == 4
    assert columns.context["row_count"] == 40
    assert dict(columns.context["columns"]) == PROPOSED
    mapping = {**PROPOSED, "Ce qui peut arriver": "situation"}  # the user maps the one left

    values = values_step(client, columns, mapping)

    hazards = proposals(values, "hazard_family")
    wordings = next(column for column in values.context["plan"] if column.field == "hazard_family").wordings
    assert (len(wordings), sum(w.count for w in wordings if w.how == "exact")) == (37, 10)  # a quarter of the rows
    assert {text: hazards[text] for text in (
        "Bruit", "Poussières de farine", "Port de charges", "TMS", "Happement convoyeur", "Incendie / explosion",
        "Chute d'objets stockés en hauteur", "Air comprimé", "Éclairage insuffisant", "Légionellose",
    )} == {
        "Bruit": ("noise", "exact"), "Poussières de farine": ("chemicals", "synonym"),
        "Port de charges": ("manual-handling", "synonym"), "TMS": ("manual-handling", "synonym"),
        "Happement convoyeur": ("machines-tools", "synonym"), "Incendie / explosion": ("fire-explosion", "synonym"),
        "Chute d'objets stockés en hauteur": ("falling-objects", "synonym"),
        "Air comprimé": ("pressure-equipment", "synonym"), "Éclairage insuffisant": ("lighting", "synonym"),
        "Légionellose": ("biological-agents", "synonym"),
    }
    assert proposals(values, "work_unit") == {unit: (CREATE, "new") for unit in FIRST_ROW}
    claire, paul = str(plant["Claire Martin"].pk), str(plant["Paul Durand"].pk)
    assert proposals(values, "action_owner") == {
        "Claire Martin": (claire, "exact"), "P. Durand": (paul, "close"), "paul durand": (paul, "exact"),
        "Julie Moreau": (CREATE, "new"),
    }

    refused = confirm(client, values, world.a.site)

    assert refused.status_code == 400
    assert sorted((e.row, e.column) for e in refused.context["errors"]) == [
        (22, "Échéance"), (28, "G (1-4)"), (37, "Nb de salariés exposés"),
    ]
    assert "31/02/2027" in refused.context["errors"][0].message
    assert not OccupationalRisk.objects.filter(organization=world.a.organization).exists()
    assert not WorkUnit.objects.filter(organization=world.a.organization).exists()
    assert not Membership.objects.filter(organization=world.a.organization, user__last_name="Moreau").exists()
    assert Action.objects.filter(organization=world.a.organization).count() == 3  # the world's own

    # Corrected, uploaded again: the confirmed wordings are remembered, the rest as before.
    values = values_step(client, columns_step(client, workbook(wrong=False)), mapping)
    hazards = proposals(values, "hazard_family")
    assert {how for _value, how in hazards.values()} == {"exact", "remembered"}
    assert hazards["Poussières de farine"] == ("chemicals", "remembered")

    imported = confirm(client, values, world.a.site)

    assert imported.status_code == 302, imported.context and imported.context["errors"]
    risks = list(OccupationalRisk.objects.filter(organization=world.a.organization)
                 .select_related("work_unit").order_by("pk"))
    assert len(risks) == 40
    assert Counter(risk.hazard_family for risk in risks) == FAMILIES
    assert {unit.name: unit.site for unit in WorkUnit.objects.filter(organization=world.a.organization)} == {
        unit: world.a.site for unit in FIRST_ROW
    }
    first, kneading_noise, shipping_forklift = risks[0], risks[2], risks[22]
    assert (first.work_unit.name, first.hazard_family, first.situation, first.exposed_workers, first.score) == (
        "Pétrissage", "chemicals", "Inhalation lors du versement des sacs", 4, 9,
    )
    assert (kneading_noise.work_unit.name, kneading_noise.gravity, kneading_noise.probability) == ("Pétrissage", 2, 3)
    assert (shipping_forklift.work_unit.name, shipping_forklift.hazard_family) == (
        "Expédition / quai", "mechanical-handling",
    )
    julie = Membership.objects.get(organization=world.a.organization, user__last_name="Moreau")
    assert (julie.role, julie.user.first_name, julie.user.has_usable_password()) == (Role.CONTRIBUTOR, "Julie", False)
    actions = {action.origin_id: action for action in Action.objects.filter(
        organization=world.a.organization, origin_id__in=[risk.pk for risk in risks])}
    assert len(actions) == 40
    assert [(actions[risks[i].pk].title, actions[risks[i].pk].owner, actions[risks[i].pk].due_on) for i in (0, 1, 2, 4)] == [
        ("Capoter la trémie", plant["Claire Martin"], datetime.date(2027, 6, 30)),
        ("Silo et vis de transfert", plant["Paul Durand"], datetime.date(2027, 9, 30)),
        ("Mesure de bruit", plant["Claire Martin"], datetime.date(2027, 3, 15)),
        ("Sol antidérapant", julie.user, datetime.date(2027, 12, 31)),
    ]
    assert {action.site for action in actions.values()} == {world.a.site}
    assert ImportValueMapping.objects.filter(
        organization=world.a.organization, field="hazard_family", source="tms", value="manual-handling"
    ).exists()


def test_the_api_takes_the_same_decisions_and_imports_the_plan(client, world, plant):
    upload = client.post("/api/v1/risks/occupational-risks/import/", {"file": workbook(wrong=False)})
    assert upload.status_code == 200, upload.content
    data = upload.json()
    assert (data["header_row"], data["rows"], data["mapping"]) == (4, 40, PROPOSED)
    body = {"token": data["token"], "mapping": {**PROPOSED, "Ce qui peut arriver": "situation"}}

    plan = client.post("/api/v1/risks/occupational-risks/import/values/", body, content_type="application/json")

    assert plan.status_code == 200, plan.content
    columns = {column["field"]: column for column in plan.json()["columns"]}
    assert plan.json()["to_confirm"] is True
    assert set(columns) == {"work_unit", "hazard_family", "action_owner"}
    assert {v["text"]: (v["proposed"], v["how"], v["rows"]) for v in columns["hazard_family"]["values"]}["Bruit"] == (
        "noise", "exact", 2,
    )
    assert (columns["work_unit"]["can_create"], columns["work_unit"]["needs_site"]) == (True, True)

    # Without the decisions, nothing is guessed: the unconfirmed wordings are row errors.
    unconfirmed = client.post("/api/v1/risks/occupational-risks/import/validate/", body,
                              content_type="application/json")
    assert unconfirmed.status_code == 400
    assert {e["column"] for e in unconfirmed.json()["errors"]} == {
        "Unité de travail", "Danger identifié", "Responsable",
    }

    values = {name: {v["text"]: v["proposed"] for v in column["values"]} for name, column in columns.items()}
    committed = client.post("/api/v1/risks/occupational-risks/import/commit/",
                            {**body, "values": values, "site": world.a.site.pk}, content_type="application/json")

    assert committed.status_code == 201, committed.content
    assert (committed.json()["created"], committed.json()["records_created"]) == (40, 7)  # 6 work units, 1 person
    assert OccupationalRisk.objects.filter(organization=world.a.organization).count() == 40
    assert Action.objects.filter(organization=world.a.organization, origin_id__isnull=False).count() == 40


def test_another_organizations_site_is_not_a_site_for_the_new_work_units(client, world, plant):
    data = client.post("/api/v1/risks/occupational-risks/import/", {"file": workbook(wrong=False)}).json()
    body = {"token": data["token"], "mapping": {**PROPOSED, "Ce qui peut arriver": "situation"},
            "values": {"work_unit": {"Pétrissage": CREATE}}, "site": world.b.site.pk}

    response = client.post("/api/v1/risks/occupational-risks/import/validate/", body, content_type="application/json")

    assert response.status_code == 404
    assert not WorkUnit.objects.filter(organization=world.a.organization).exists()


def test_a_coordinator_may_create_the_missing_work_units_but_not_people(client, world, plant):
    client.force_login(world.a.users[Role.COORDINATOR])
    page = values_step(client, columns_step(client, workbook(wrong=False)), {**PROPOSED, "Ce qui peut arriver": "situation"})

    assert proposals(page, "work_unit")["Pétrissage"] == (CREATE, "new")
    assert proposals(page, "action_owner")["Julie Moreau"] == ("", "none")  # members are the administrator's
    data = {"token": page.context["token"], "step": "values", "value:action_owner:juliemoreau": CREATE,
            **{f"map_{column}": name for column, name, _label in page.context["mapped"]}}
    refused = client.post(URL, data)
    assert refused.status_code == 400
    assert [e.row for e in refused.context["errors"]] == [0]
    assert not WorkUnit.objects.filter(organization=world.a.organization).exists()


def test_the_value_step_and_the_import_cost_the_same_queries_for_5_or_40_rows(client, world, plant):
    from django.contrib.contenttypes.models import ContentType

    from qse.factories import MembershipFactory, UserFactory
    from qse.testing import count_queries

    # Nothing to create in either run: what is measured is the rows' cost.
    for unit in FIRST_ROW:
        WorkUnit.objects.create(organization=world.a.organization, site=world.a.site, name=unit)
    julie = UserFactory(username="julie", first_name="Julie", last_name="Moreau")
    MembershipFactory(user=julie, organization=world.a.organization, role=Role.CONTRIBUTOR)
    mapping = {**PROPOSED, "Ce qui peut arriver": "situation"}

    def value_step(count):
        page = columns_step(client, workbook(wrong=False, limit=count))
        data = {"token": page.context["token"], "step": "columns", **{f"map_{c}": f for c, f in mapping.items()}}
        return count_queries(lambda: client.post(URL, data))

    def import_cost(count):
        page = values_step(client, columns_step(client, workbook(wrong=False, limit=count)), mapping)
        queries = count_queries(lambda: setattr(page, "answer", confirm(client, page, world.a.site)))
        assert page.answer.status_code == 302, page.answer.context and page.answer.context["errors"]
        assert OccupationalRisk.objects.filter(organization=world.a.organization).count() == count
        assert Action.objects.filter(organization=world.a.organization, origin_id__isnull=False).count() == count
        OccupationalRisk.objects.filter(organization=world.a.organization).delete()
        Action.objects.filter(organization=world.a.organization, origin_id__isnull=False).delete()
        return queries

    ContentType.objects.get_for_model(OccupationalRisk)  # cached by the first import whichever it is
    few, many = value_step(5), value_step(40)
    assert many == few, (few, many)
    small, large = import_cost(5), import_cost(40)
    assert large == small, (small, large)
