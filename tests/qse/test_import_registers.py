"""The other registers a customer keeps in Excel come in the same way: an action plan, an
events register and the hours worked, each with a title row, its own headers and wordings,
through the columns and values steps. Expectations written by hand."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from improvement.models import Action
from nonconformities.models import Event, HoursWorked
from qse.import_values import CREATE
from qse.models import ImportValueMapping, Process
from qse.roles import Role


def workbook(title: str, headers: list[str], rows: list[list]) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = title
    sheet.merge_cells(start_row=1, end_row=1, start_column=1, end_column=len(headers))
    sheet.append([])
    sheet.append(headers)  # row 3
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "registre.xlsx"
    return buffer


def through_columns(client, url, file, **changes):
    page = client.post(url, {"file": file})
    assert page.status_code == 200, page.content[:400]
    mapping = {**dict(page.context["columns"]), **changes}
    return page, client.post(url, {"token": page.context["token"], "step": "columns",
                                   **{f"map_{c}": f for c, f in mapping.items()}})


def confirm(client, url, page):
    data = {"token": page.context["token"], "step": "values"}
    data.update({f"map_{c}": f for c, f, _label in page.context["mapped"]})
    for column in page.context["plan"]:
        data.update({f"value:{column.field}:{w.key}": w.proposed for w in column.wordings})
    return client.post(url, data)


def proposals(page, field: str) -> dict:
    column = next(column for column in page.context["plan"] if column.field == field)
    return {w.text: (w.proposed, w.how) for w in column.wordings}


@pytest.fixture
def named(world):
    for role, user in world.a.users.items():
        user.first_name, user.last_name = "Agent", role
        user.save()
    owner = world.a.users[Role.PROCESS_OWNER]
    owner.first_name, owner.last_name = "Paul", "Durand"
    owner.save()
    return owner


ACTION_HEADERS = ["N°", "Action à mener", "Pilote", "Processus", "Priorité", "Échéance", "Avancement (%)"]


def action_rows(due: str) -> list[list]:
    return [
        [1, "Former les caristes", "Paul Durand", "Production", "Haute", datetime.datetime(2027, 3, 31), 0],
        [2, "Mettre à jour le plan de circulation", "paul durand", "Achats", "Urgente", due, 20],
        [3, "Contrôler les extincteurs", "Paul Durand", "R1", "Normale", "15/09/2027", 100],
    ]


def test_an_action_plan_file_proposes_its_headers_values_and_missing_process_then_imports(client, world, named):
    client.force_login(world.user(Role.COORDINATOR))
    url = "/improvement/actions/import/"
    # Another organization's answer for the same wording is not this one's.
    ImportValueMapping.objects.create(organization=world.b.organization, target="improvement.action",
                                      field="priority", source="urgente", value="low")

    page, values = through_columns(client, url, workbook("Plan d'actions QSE 2027", ACTION_HEADERS,
                                                          action_rows("31/04/2027")))

    assert dict(page.context["columns"]) == {
        "N°": "", "Action à mener": "title", "Pilote": "owner", "Processus": "process", "Priorité": "priority",
        "Échéance": "due_on", "Avancement (%)": "progress",
    }
    assert values.context["step"] == "values"
    assert proposals(values, "priority") == {
        "Haute": ("high", "exact"), "Urgente": ("critical", "synonym"), "Normale": ("normal", "exact"),
    }
    assert proposals(values, "process") == {
        "Production": (str(world.a.process.pk), "exact"), "Achats": (CREATE, "new"),
        "R1": (str(world.a.process.pk), "exact"),
    }
    refused = confirm(client, url, values)
    assert refused.status_code == 400
    assert [(e.row, e.column) for e in refused.context["errors"]] == [(5, "Échéance")]
    assert not Process.objects.filter(organization=world.a.organization, name="Achats").exists()

    page, values = through_columns(client, url, workbook("Plan d'actions QSE 2027", ACTION_HEADERS,
                                                          action_rows("30/04/2027")))
    assert proposals(values, "priority")["Urgente"] == ("critical", "remembered")
    assert confirm(client, url, values).status_code == 302

    purchasing = Process.objects.get(organization=world.a.organization, name="Achats")
    assert (purchasing.code, purchasing.kind) == ("ACHATS", "realization")
    imported = Action.objects.filter(organization=world.a.organization, title__in=[
        "Former les caristes", "Mettre à jour le plan de circulation", "Contrôler les extincteurs"]).order_by("pk")
    assert [(a.owner, a.process, a.priority, a.due_on, a.progress) for a in imported] == [
        (named, world.a.process, "high", datetime.date(2027, 3, 31), 0),
        (named, purchasing, "critical", datetime.date(2027, 4, 30), 20),
        (named, world.a.process, "normal", datetime.date(2027, 9, 15), 100),
    ]


def test_an_events_register_reads_its_own_event_types_and_severities(client, world, named):
    client.force_login(world.user(Role.COORDINATOR))
    url = "/events/events/import/"
    headers = ["Nature", "Libellé", "Détails", "Date de l'événement", "Constaté le", "Site", "Sévérité"]
    rows = [
        ["AT", "Coupure à la main", "Couteau", "12/03/2026 14:30", "12/03/2026", world.a.site.name, "Grave"],
        ["Presque accident", "Chute de carton évitée", "Rack", "13/03/2026 09:00", "13/03/2026", world.a.site.code,
         "Mineure"],
        ["Réclamation client", "Biscuits cassés", "Lot 12", "14/03/2026 10:00", "15/03/2026", world.a.site.name,
         "Modérée"],
    ]

    page, values = through_columns(client, url, workbook("Registre des événements 2026", headers, rows))

    assert {c: f for c, f in page.context["columns"]} == {
        "Nature": "event_type", "Libellé": "title", "Détails": "description", "Date de l'événement": "occurred_at",
        "Constaté le": "detected_on", "Site": "site", "Sévérité": "severity",
    }
    assert proposals(values, "event_type") == {
        "AT": ("work_accident", "synonym"), "Presque accident": ("near_miss", "exact"),
        "Réclamation client": ("customer_complaint", "exact"),
    }
    assert proposals(values, "severity") == {"Grave": ("3", "synonym"), "Mineure": ("1", "exact"),
                                             "Modérée": ("2", "exact")}
    response = confirm(client, url, values)

    assert response.status_code == 302, response.context and response.context["errors"]
    events = Event.objects.filter(organization=world.a.organization, title__in=[r[1] for r in rows]).order_by("pk")
    assert [(e.event_type, e.severity, e.site) for e in events] == [
        ("work_accident", 3, world.a.site), ("near_miss", 1, world.a.site), ("customer_complaint", 2, world.a.site),
    ]
    assert ImportValueMapping.objects.filter(organization=world.a.organization, target="nonconformities.event",
                                             field="event_type", source="at").get().value == "work_accident"
    assert not ImportValueMapping.objects.filter(organization=world.b.organization).exists()


def test_hours_worked_read_french_months_and_numbers(client, world, named):
    client.force_login(world.user(Role.COORDINATOR))
    headers = ["Établissement", "Mois", "Heures travaillées"]
    rows = [[world.a.site.name, "janv. 2026", "12 345,5"], [world.a.site.code, "02/2026", 11800],
            [world.a.site.name, datetime.datetime(2026, 3, 1), "13\u202f002"]]

    page, response = through_columns(client, "/events/hours/import/", workbook("Heures 2026", headers, rows))

    assert dict(page.context["columns"]) == {"Établissement": "site", "Mois": "month", "Heures travaillées": "hours"}
    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(HoursWorked.objects.filter(organization=world.a.organization, month__year=2026)
                .order_by("month").values_list("month", "hours")) == [
        (datetime.date(2026, 1, 1), Decimal("12345.5")), (datetime.date(2026, 2, 1), Decimal("11800.0")),
        (datetime.date(2026, 3, 1), Decimal("13002.0")),
    ]


def test_an_aspects_register_is_scored_and_reads_its_yes_no_and_condition_letters(client, world, named):
    from risks.models import EnvironmentalAspect

    client.force_login(world.user(Role.COORDINATOR))
    url = "/risks/environmental-aspects/import/"
    headers = ["Site", "Activité", "Aspect", "Impact", "Situation (N/A/U)", "G", "F", "M", "Obligation de conformité",
               "Responsable"]
    rows = [
        [world.a.site.code, "Four tunnel", "Consommation de gaz", "Épuisement des ressources", "N", 2, 3, 4, "Non",
         "Paul Durand"],
        [world.a.site.code, "Lavage des bacs", "Rejet d'eaux de lavage", "Pollution de l'eau", "U", 3, 1, 1, "oui",
         "Paul Durand"],
        [world.a.site.code, "Chaufferie", "Fuite de fioul", "Pollution du sol", "Anormale", 2, 1, 1, "peut-être",
         "Paul Durand"],
    ]

    page, values = through_columns(client, url, workbook("Analyse environnementale", headers, rows))

    assert dict(page.context["columns"]) == {
        "Site": "site", "Activité": "activity", "Aspect": "aspect", "Impact": "impact", "Situation (N/A/U)": "condition",
        "G": "severity", "F": "frequency", "M": "control", "Obligation de conformité": "is_compliance_obligation", "Responsable": "owner",
    }
    assert proposals(values, "condition") == {"N": ("normal", "synonym"), "U": ("emergency", "synonym"),
                                              "Anormale": ("abnormal", "exact")}
    refused = confirm(client, url, values)
    assert [(e.row, e.column) for e in refused.context["errors"]] == [(6, "Obligation de conformité")]

    rows[2][8] = "non"
    page, imported = through_columns(client, url, workbook("Analyse environnementale", headers, rows))
    assert imported.status_code == 302  # every wording known now (remembered or exact): nothing to confirm
    imported = EnvironmentalAspect.objects.filter(organization=world.a.organization, activity__in=[
        "Four tunnel", "Lavage des bacs", "Chaufferie"]).order_by("pk")
    # Score = severity x frequency x control; significant from 24, in an emergency from severity 3,
    # or when it is a compliance obligation (risks/library/significance-default.yaml).
    assert [(a.condition, a.score, a.is_significant, a.is_compliance_obligation) for a in imported] == [
        ("normal", 24, True, False), ("emergency", 3, True, True), ("abnormal", 2, False, False),
    ]
