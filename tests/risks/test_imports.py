"""Importing an existing Excel risk register and a Document unique (DUERP): every row scored
on the matrix, all or nothing, row-by-row errors, other organizations' names unresolved,
and a query count that does not grow with the rows."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext

from qse.factories import ProcessFactory
from qse.imports import normalize
from qse.roles import Role
from qse.testing import count_queries
from risks.forms import DomainsField, RiskForm
from risks.models import OccupationalRisk, Risk, WorkUnit
from risks.views_duerp import OccupationalRiskForm

RISK_HEADERS = [
    "Référence", "Intitulé", "Type", "Domaines", "Processus", "Site", "Origine", "Cause", "Conséquence",
    "Maîtrise existante", "Gravité brute", "Probabilité brute", "Traitement", "Gravité résiduelle",
    "Probabilité résiduelle", "Pilote", "Prochaine revue", "Statut",
]
RISK_MAPPING = {
    "Référence": "reference", "Intitulé": "title", "Type": "kind", "Domaines": "domains", "Processus": "process",
    "Site": "site", "Origine": "source", "Cause": "cause", "Conséquence": "consequence",
    "Maîtrise existante": "existing_controls", "Gravité brute": "inherent_gravity",
    "Probabilité brute": "inherent_probability", "Traitement": "treatment", "Gravité résiduelle": "residual_gravity",
    "Probabilité résiduelle": "residual_probability", "Pilote": "owner", "Prochaine revue": "next_review_on",
    "Statut": "status",
}
DUERP_HEADERS = ["Unité de travail", "Famille de danger", "Situation dangereuse", "Salariés exposés",
                 "Prévention existante", "Gravité", "Probabilité"]
DUERP_MAPPING = {
    "Unité de travail": "work_unit", "Famille de danger": "hazard_family", "Situation dangereuse": "situation",
    "Salariés exposés": "exposed_workers", "Prévention existante": "existing_measures", "Gravité": "gravity",
    "Probabilité": "probability",
}


def label(name: str) -> str:
    """A field's label as the French import page reports it."""
    with translation.override("fr"):
        return str(RiskForm.base_fields.get(name, OccupationalRiskForm.base_fields.get(name)).label)


def xlsx(headers: list[str], rows: list[list]) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Registre"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "registre.xlsx"
    return buffer


def upload(client, url: str, file, mapping: dict):
    page = client.post(url, {"file": file})
    assert page.status_code == 200, page.content[:500]
    return client.post(url, {"token": page.context["token"], **{f"map_{c}": f for c, f in mapping.items()}})


def answer_values(client, url: str, page, *, create: bool = True, **chosen):
    """Submit the value step as shown (its proposals), declining the creations unless
    ``create``; ``chosen`` overrides one field's answer for every wording."""
    from qse.import_values import CREATE

    assert page.context["step"] == "values", page.status_code
    data = {"token": page.context["token"], "step": "values"}
    data.update({f"map_{column}": name for column, name, _label in page.context["mapped"]})
    for column in page.context["plan"]:
        for wording in column.wordings:
            value = chosen.get(column.field, wording.proposed)
            data[f"value:{column.field}:{wording.key}"] = "" if value == CREATE and not create else value
    return client.post(url, data)


def register_rows(world) -> list[list]:
    """What a French plant's register looks like: labels, codes, names, French dates."""
    owner = world.a.users[Role.PROCESS_OWNER]
    return [
        ["R-101", "Rupture d'approvisionnement en acier", "Risque", "Q", "Production", world.a.site.code,
         "Partie intéressée", "Fournisseur unique", "Arrêt de ligne", "Stock de sécurité 2 semaines",
         4, 3, "Réduire", 4, 2, owner.username, "31/03/2027", "Ouvert"],
        ["R-102", "Déversement de solvant au dégraissage", "risk", "S, E", "R1", world.a.site.name,
         "incident", "Fût mal fermé", "Pollution du sol, intoxication", "Bac de rétention",
         "5 - Catastrophique", 2, "reduce", 3, 1, owner.email, datetime.date(2027, 1, 15), "open"],
        ["O-103", "Nouveau client aéronautique", "Opportunité", "Qualité; Environnement", "", "",
         "SWOT", "", "Croissance du chiffre d'affaires", "", 3, 4, "Saisir", "", "", owner.username, "", "Ouvert"],
        ["R-104", "Bruit en atelier d'usinage", "Risk", "Q/S/E", "Production", "", "Regulatory requirement",
         "Machines anciennes", "Surdité professionnelle", "Bouchons d'oreille", 3, 5, "", "", "", owner.username,
         "", "Open"],
    ]


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.user(Role.COORDINATOR))
    return world.user(Role.COORDINATOR)


def test_a_french_register_imports_every_row_scored_on_the_default_matrix(client, world, coordinator):
    response = upload(client, "/risks/risks/import/", xlsx(RISK_HEADERS, register_rows(world)), RISK_MAPPING)

    assert response.status_code == 302, response.context and response.context.get("errors")
    risks = {risk.reference: risk for risk in Risk.objects.filter(organization=world.a.organization)}
    scored = {
        ref: (r.inherent_score, r.inherent_level, r.residual_score, r.residual_level)
        for ref, r in risks.items() if ref != "R-001"
    }
    assert scored == {
        "R-101": (12, "high", 8, "medium"),
        "R-102": (10, "high", 3, "low"),
        "O-103": (12, "high", None, ""),
        "R-104": (15, "high", None, ""),
    }
    assert [risks[ref].domains for ref in ("R-101", "R-102", "O-103", "R-104")] == [
        ["Q"], ["S", "E"], ["Q", "E"], ["Q", "S", "E"],
    ]
    first, second, opportunity = risks["R-101"], risks["R-102"], risks["O-103"]
    assert (first.matrix, first.process, first.site, first.owner) == (
        world.a.matrix, world.a.process, world.a.site, world.a.users[Role.PROCESS_OWNER]
    )
    assert (first.source, first.treatment, first.next_review_on) == ("interested_party", "reduce", datetime.date(2027, 3, 31))
    assert (second.next_review_on, second.inherent_gravity) == (datetime.date(2027, 1, 15), 5)
    assert (opportunity.kind, opportunity.treatment, opportunity.process) == ("opportunity", "pursue", None)
    assert {r.created_by for r in risks.values() if r.reference != "R-001"} == {coordinator}


def test_an_import_keeps_history_with_the_importer_and_the_reason(client, world, coordinator):
    upload(client, "/risks/risks/import/", xlsx(RISK_HEADERS, register_rows(world)[:1]), RISK_MAPPING)

    risk = Risk.objects.get(organization=world.a.organization, reference="R-101")
    context = risk.events.get().pgh_context.metadata
    with translation.override("fr"):
        assert (context["user"], context["reason"]) == (coordinator.pk, gettext("Spreadsheet import"))


def test_one_level_outside_the_matrix_imports_nothing_and_reports_its_row(client, world, coordinator):
    rows = register_rows(world)
    rows[2][10] = 7  # gravity 7 on a 5 x 5 matrix
    rows[3][11] = "souvent"  # not a number
    before = Risk.objects.count()

    response = upload(client, "/risks/risks/import/", xlsx(RISK_HEADERS, rows), RISK_MAPPING)

    assert response.status_code == 400
    assert Risk.objects.count() == before
    errors = {(error.row, error.field) for error in response.context["errors"]}
    assert (4, label("inherent_gravity")) in errors
    assert (5, label("inherent_probability")) in errors
    assert {error.row for error in response.context["errors"]} == {4, 5}
    assert "1, 2, 3, 4, 5" in " ".join(e.message for e in response.context["errors"] if e.row == 4)


def test_an_acceptance_without_justification_and_an_unknown_domain_are_row_errors(client, world, coordinator):
    rows = register_rows(world)
    rows[0][12] = "Accepter"
    rows[1][3] = "S, Sûreté"
    response = upload(client, "/risks/risks/import/", xlsx(RISK_HEADERS, rows), RISK_MAPPING)

    assert response.status_code == 400
    errors = {(error.row, error.field) for error in response.context["errors"]}
    assert {(2, label("treatment_justification")), (2, label("accepted_by")), (3, label("domains"))} <= errors
    assert Risk.objects.filter(reference="R-102").count() == 0


def test_another_organizations_process_site_owner_and_matrix_are_not_resolved(client, world, coordinator):
    theirs = ProcessFactory(organization=world.b.organization, code="B9", name="Traitement de surface",
                            owner=world.b.users[Role.COORDINATOR])
    rows = register_rows(world)[:2]
    rows[0][4] = theirs.name
    rows[0][5] = world.b.site.code
    rows[1][15] = world.b.users[Role.COORDINATOR].username
    headers = [*RISK_HEADERS, "Matrice"]
    rows[0].append(world.b.matrix.pk)
    rows[1].append(world.a.matrix.pk)

    page = upload(client, "/risks/risks/import/", xlsx(headers, rows), {**RISK_MAPPING, "Matrice": "matrix"})
    response = answer_values(client, "/risks/risks/import/", page, create=False)

    assert response.status_code == 400
    errors = {(error.row, error.field) for error in response.context["errors"]}
    assert {(2, label("process")), (2, label("site")), (2, label("matrix")), (3, label("owner"))} <= errors
    assert not Risk.objects.filter(reference__in=["R-101", "R-102"]).exists()


def test_a_reference_already_in_the_register_or_twice_in_the_file_is_a_row_error(client, world, coordinator):
    rows = register_rows(world)
    rows[1][0] = "R-001"  # already in the register (conftest)
    rows[3][0] = "R-101"  # the first row's

    response = upload(client, "/risks/risks/import/", xlsx(RISK_HEADERS, rows), RISK_MAPPING)

    assert response.status_code == 400
    assert {error.row for error in response.context["errors"]} == {5}
    assert Risk.objects.filter(organization=world.a.organization).count() == 1

    rows[3][0] = "R-104"
    response = upload(client, "/risks/risks/import/", xlsx(RISK_HEADERS, rows), RISK_MAPPING)

    assert response.status_code == 400
    assert [(error.row, error.field) for error in response.context["errors"]] == [(3, "")]
    assert "reference" in response.context["errors"][0].message.lower() or "référence" in response.context["errors"][0].message
    assert Risk.objects.filter(organization=world.a.organization).count() == 1


def test_a_csv_register_with_semicolons_imports_too(client, world, coordinator):
    text = "Référence;Intitulé;Domaines;Gravité brute;Probabilité brute;Pilote\n" \
           f"R-201;Panne du four;Qualité, Sécurité;2;2;{world.a.users[Role.PROCESS_OWNER].username}\n"
    file = io.BytesIO(text.encode("cp1252"))
    file.name = "registre.csv"
    mapping = {"Référence": "reference", "Intitulé": "title", "Domaines": "domains", "Gravité brute": "inherent_gravity",
               "Probabilité brute": "inherent_probability", "Pilote": "owner"}

    assert upload(client, "/risks/risks/import/", file, mapping).status_code == 302
    risk = Risk.objects.get(reference="R-201")
    assert (risk.domains, risk.inherent_score, risk.inherent_level, risk.kind, risk.status) == (
        ["Q", "S"], 4, "low", "risk", "open"
    )


def _numbered_rows(world, count: int, start: int) -> list[list]:
    template = register_rows(world)[1]
    return [[f"R-{start + i}", f"Risque {i}", *template[2:]] for i in range(count)]


def test_the_import_costs_the_same_queries_for_5_or_50_rows(client, world, coordinator):
    def run(rows):
        file = xlsx(RISK_HEADERS, rows)
        page = client.post("/risks/risks/import/", {"file": file})
        data = {"token": page.context["token"], **{f"map_{c}": f for c, f in RISK_MAPPING.items()}}
        queries = count_queries(lambda: client.post("/risks/risks/import/", data))
        return queries

    few = run(_numbered_rows(world, 5, 1000))
    many = run(_numbered_rows(world, 50, 2000))

    assert Risk.objects.filter(reference__startswith="R-2").count() == 50
    assert many == few, (few, many)


# --- the DUERP ---------------------------------------------------------------------------


def duerp_rows(world) -> list[list]:
    return [
        ["Atelier usinage", "Bruit", "Tours et fraiseuses en fonctionnement", 12, "Casques anti-bruit", 3, 4],
        ["Atelier usinage", "Manual handling", "Port de pièces brutes de 25 kg", "8", "Palan", "4 - Majeure", 2],
        ["Expédition", "mechanical-handling", "Circulation des chariots élévateurs", 5, "CACES, plan de circulation", 4, 3],
    ]


@pytest.fixture
def work_units(world):
    return [
        WorkUnit.objects.create(organization=world.a.organization, site=world.a.site, name=name, headcount=10)
        for name in ("Atelier usinage", "Expédition")
    ]


def test_a_french_document_unique_imports_every_risk_scored(client, world, coordinator, work_units):
    response = upload(client, "/risks/occupational-risks/import/", xlsx(DUERP_HEADERS, duerp_rows(world)), DUERP_MAPPING)

    assert response.status_code == 302, response.context and response.context.get("errors")
    risks = OccupationalRisk.objects.filter(organization=world.a.organization).order_by("pk")
    assert [(r.work_unit.name, r.hazard_family, r.exposed_workers, r.score, r.level, r.matrix_id) for r in risks] == [
        ("Atelier usinage", "noise", 12, 12, "high", world.a.matrix.pk),
        ("Atelier usinage", "manual-handling", 8, 8, "medium", world.a.matrix.pk),
        ("Expédition", "mechanical-handling", 5, 12, "high", world.a.matrix.pk),
    ]


def test_a_duerp_row_with_an_unknown_hazard_or_another_organizations_unit_imports_nothing(
    client, world, coordinator, work_units
):
    theirs = WorkUnit.objects.create(organization=world.b.organization, site=world.b.site, name="Laboratoire B")
    rows = duerp_rows(world)
    rows[1][1] = "Danger inconnu"
    rows[2][0] = theirs.name
    rows[0][5] = 6

    page = upload(client, "/risks/occupational-risks/import/", xlsx(DUERP_HEADERS, rows), DUERP_MAPPING)
    response = answer_values(client, "/risks/occupational-risks/import/", page, create=False)

    assert response.status_code == 400
    errors = {(error.row, error.field) for error in response.context["errors"]}
    assert {(2, label("gravity")), (3, label("hazard_family")), (4, label("work_unit"))} <= errors
    assert not OccupationalRisk.objects.exists()


def test_the_duerp_import_costs_the_same_queries_for_5_or_50_rows(client, world, coordinator, work_units):
    def run(count):
        rows = [duerp_rows(world)[i % 3] for i in range(count)]
        page = client.post("/risks/occupational-risks/import/", {"file": xlsx(DUERP_HEADERS, rows)})
        data = {"token": page.context["token"], **{f"map_{c}": f for c, f in DUERP_MAPPING.items()}}
        return count_queries(lambda: client.post("/risks/occupational-risks/import/", data))

    few, many = run(5), run(50)

    assert OccupationalRisk.objects.count() == 55
    assert many == few, (few, many)


# --- the domains cell --------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Q", ["Q"]),
    ("Q, S", ["Q", "S"]),
    ("Q/S/E", ["Q", "S", "E"]),
    ("QSE", ["Q", "S", "E"]),
    ("Qualité; Sécurité", ["Q", "S"]),
    ("Santé et sécurité au travail + Environnement", ["S", "E"]),
    ("Quality, Health and safety", ["Q", "S"]),
    ("environment\nquality", ["E", "Q"]),
    ("S, s", ["S"]),
])
def test_a_domains_cell_is_read_in_any_usual_spelling(text, expected):
    field = DomainsField(choices=[("Q", "Q"), ("S", "S"), ("E", "E")])
    assert field.clean(text) == expected


def test_a_domains_cell_with_an_unknown_word_is_an_error():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        DomainsField(choices=[("Q", "Q"), ("S", "S"), ("E", "E")]).clean("Q, Sûreté")
    assert normalize("Sûreté") in str(error.value)
