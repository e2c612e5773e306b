"""Periodic checks: due dates follow the reports, observations become actions and are lifted
by their effectiveness check, the dashboard counts in SQL, reminders, the starter library."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from compliance import library_checks, services_checks
from compliance.choices import ReminderKind
from compliance.factories_controls import (
    CheckObservationFactory,
    CheckReportFactory,
    CheckTypeFactory,
    PeriodicCheckFactory,
)
from compliance.models import CheckType, PeriodicCheck
from compliance.scheduling import add_months, due_state
from improvement.choices import ActionOriginKind, ActionStatus
from improvement.models import Action
from improvement.services import action_record_effectiveness, action_transition
from qse.models import Reminder
from qse.roles import Role
from qse.testing import count_queries

TODAY = datetime.date(2026, 11, 23)


def _check(side, **extra):
    check_type = CheckTypeFactory(organization=side.organization, frequency_months=12)
    return PeriodicCheckFactory(organization=side.organization, site=side.site, check_type=check_type, **extra)


# --- pure rules --------------------------------------------------------------------------------


def test_a_period_in_months_ends_on_the_same_day_or_the_months_last_day():
    assert add_months(datetime.date(2026, 3, 15), 12) == datetime.date(2027, 3, 15)
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 6) == datetime.date(2027, 5, 30)
    assert add_months(datetime.date(2027, 12, 31), 2) == datetime.date(2028, 2, 29)


def test_a_due_date_is_overdue_the_day_after_and_due_soon_within_thirty_days():
    assert due_state(due_on=datetime.date(2026, 11, 22), today=TODAY) == "overdue"
    assert due_state(due_on=TODAY, today=TODAY) == "due_soon"
    assert due_state(due_on=datetime.date(2026, 12, 23), today=TODAY) == "due_soon"
    assert due_state(due_on=datetime.date(2026, 12, 24), today=TODAY) == "planned"
    assert due_state(due_on=None, today=TODAY) == "unknown"


# --- reports and due dates -----------------------------------------------------------------------


def test_a_done_report_sets_the_next_due_date_from_its_own_date_and_the_latest_one_wins(world, as_member):
    user = as_member(Role.COORDINATOR)
    check = _check(world.a, frequency_months=6, next_due_on=datetime.date(2026, 1, 10))
    services_checks.check_report_create(acting_user=user, data={
        "periodic_check": check, "done_on": datetime.date(2026, 9, 1), "conclusion": "compliant"})
    check.refresh_from_db()
    assert (check.last_done_on, check.next_due_on) == (datetime.date(2026, 9, 1), datetime.date(2027, 3, 1))
    # An older report entered afterwards (a forgotten one) does not move the date back.
    services_checks.check_report_create(acting_user=user, data={
        "periodic_check": check, "done_on": datetime.date(2026, 3, 1), "conclusion": "compliant"})
    check.refresh_from_db()
    assert check.next_due_on == datetime.date(2027, 3, 1)


def test_archiving_the_latest_report_gives_the_due_date_back_to_the_previous_one(world, as_member):
    user = as_member(Role.COORDINATOR)
    check = _check(world.a)
    services_checks.check_report_create(acting_user=user, data={
        "periodic_check": check, "done_on": datetime.date(2025, 6, 1), "conclusion": "compliant"})
    latest = services_checks.check_report_create(acting_user=user, data={
        "periodic_check": check, "done_on": datetime.date(2026, 6, 1), "conclusion": "compliant"})
    services_checks.check_report_archive(report=latest, acting_user=user, reason="saisi deux fois")
    check.refresh_from_db()
    assert check.next_due_on == datetime.date(2026, 6, 1)


def test_a_planned_report_does_not_move_the_due_date(world, as_member):
    user = as_member(Role.COORDINATOR)
    check = _check(world.a, next_due_on=datetime.date(2026, 12, 1))
    services_checks.check_report_create(acting_user=user, data={
        "periodic_check": check, "planned_on": datetime.date(2026, 11, 28)})
    check.refresh_from_db()
    assert check.next_due_on == datetime.date(2026, 12, 1) and check.last_done_on is None


def test_a_done_report_needs_its_conclusion_on_the_page(client, world):
    check = _check(world.a)
    client.force_login(world.user())
    response = client.post("/compliance/check-reports/add/", {"periodic_check": check.pk, "done_on": "2026-10-01"})
    assert response.status_code == 400
    assert "Une vérification réalisée doit avoir sa conclusion." in response.content.decode()


def test_a_new_frequency_moves_the_next_due_date_of_a_checked_equipment(client, world):
    check = _check(world.a)
    CheckReportFactory(organization=world.a.organization, periodic_check=check, done_on=datetime.date(2026, 5, 4))
    client.force_login(world.user())
    response = client.patch(f"/api/v1/compliance/periodic-checks/{check.pk}/", {"frequency_months": 6, "version": check.version},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["next_due_on"] == "2026-11-04"


# --- observations and actions --------------------------------------------------------------------


def test_an_observation_becomes_an_action_on_the_checks_site_and_process(client, world):
    check = _check(world.a, process=world.a.process)
    observation = CheckObservationFactory(organization=world.a.organization,
                                          report=CheckReportFactory(organization=world.a.organization, periodic_check=check))
    client.force_login(world.user())
    response = client.post(f"/compliance/check-observations/{observation.pk}/action/", {
        "title": "Remplacer le différentiel", "owner": world.a.users[Role.PROCESS_OWNER].pk, "due_on": "2026-12-15"})
    assert response.status_code == 302
    action = Action.objects.get(origin_id=observation.pk, title="Remplacer le différentiel")
    assert (action.origin_kind, action.site, action.process) == (ActionOriginKind.COMPLIANCE, world.a.site, world.a.process)
    assert "Remplacer le différentiel" in client.get(observation.get_absolute_url()).content.decode()


def test_the_api_creates_the_action_of_an_observation_and_refuses_another_organizations(client, world):
    mine = CheckObservationFactory(organization=world.a.organization,
                                   report=CheckReportFactory(organization=world.a.organization, periodic_check=_check(world.a)))
    theirs = CheckObservationFactory(organization=world.b.organization,
                                     report=CheckReportFactory(organization=world.b.organization, periodic_check=_check(world.b)))
    body = {"title": "Capoter le coffret", "owner": world.a.users[Role.COORDINATOR].pk, "due_on": "2026-12-20"}
    expected = {Role.ADMIN: 201, Role.COORDINATOR: 201, Role.MANAGEMENT: 201, Role.PROCESS_OWNER: 201,
                Role.AUDITOR: 201, Role.CONTRIBUTOR: 403}  # contributors add no action
    got = {}
    for role, user in world.a.users.items():
        client.force_login(user)
        got[role] = client.post(f"/api/v1/compliance/check-observations/{mine.pk}/actions/", body,
                                content_type="application/json").status_code
    assert got == expected
    client.force_login(world.user())
    assert client.post(f"/api/v1/compliance/check-observations/{theirs.pk}/actions/", body,
                       content_type="application/json").status_code == 404


def test_an_effective_action_lifts_its_observation_and_an_ineffective_one_reopens_it(world, as_member):
    coordinator = as_member(Role.COORDINATOR)
    observation = CheckObservationFactory(organization=world.a.organization,
                                          report=CheckReportFactory(organization=world.a.organization, periodic_check=_check(world.a)))
    action = services_checks.observation_action_create(observation=observation, acting_user=coordinator, data={
        "title": "Réparer", "owner": world.a.users[Role.PROCESS_OWNER], "due_on": TODAY, "deliverable": "Facture"})
    action = action_transition(action=action, acting_user=coordinator, to_status=ActionStatus.DONE, today=TODAY)
    action_record_effectiveness(action=action, acting_user=coordinator, result="effective", checked_on=TODAY)
    observation.refresh_from_db()
    assert observation.lifted_on == TODAY


# --- dashboard -----------------------------------------------------------------------------------


def test_the_dashboard_counts_overdue_checks_and_open_observations_of_its_organization_only(client, world):
    today = datetime.date.today()
    _check(world.a, next_due_on=today - datetime.timedelta(days=3), equipment="Compresseur C1")
    _check(world.a, next_due_on=today + datetime.timedelta(days=10), equipment="Nacelle N2")
    _check(world.a, next_due_on=today + datetime.timedelta(days=200), equipment="Palan P3")
    _check(world.b, next_due_on=today - datetime.timedelta(days=3), equipment="Autoclave Beta")
    CheckObservationFactory(organization=world.a.organization, text="Extincteur manquant",
                            report=CheckReportFactory(organization=world.a.organization, periodic_check=_check(world.a)))
    client.force_login(world.user())
    page = client.get("/compliance/checks/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="kpi-overdue">1<' in text and 'data-testid="kpi-due-soon">1<' in text
    assert 'data-testid="kpi-observations">1<' in text
    assert "Compresseur C1" in text and "Nacelle N2" in text and "Extincteur manquant" in text
    assert "Autoclave Beta" not in text


def test_the_dashboard_queries_do_not_grow_with_checks(client, world):
    client.force_login(world.user())
    today = datetime.date.today()
    _check(world.a, next_due_on=today - datetime.timedelta(days=1))
    few = count_queries(lambda: client.get("/compliance/checks/"))
    for days in range(8):
        check = _check(world.a, next_due_on=today - datetime.timedelta(days=days + 2))
        CheckObservationFactory(organization=world.a.organization,
                                report=CheckReportFactory(organization=world.a.organization, periodic_check=check))
    assert count_queries(lambda: client.get("/compliance/checks/")) == few


# --- reminders -----------------------------------------------------------------------------------


def test_a_check_due_soon_reminds_its_person_in_charge_and_the_coordinators_once(world):
    from compliance import reminders_controls
    from qse.reminders import send_pending
    from qse.tenancy import organization_context

    owner = world.a.users[Role.PROCESS_OWNER]
    check = _check(world.a, owner=owner, next_due_on=TODAY + datetime.timedelta(days=12), equipment="Pont roulant 10 t")
    CheckObservationFactory(organization=world.a.organization,
                            report=CheckReportFactory(organization=world.a.organization, periodic_check=check))
    _check(world.a, next_due_on=TODAY + datetime.timedelta(days=90))
    with organization_context(world.a.organization):
        assert reminders_controls.plan_check_reminders(today=TODAY) == 2
        assert reminders_controls.plan_check_reminders(today=TODAY) == 0
    rows = Reminder.objects.filter(kind=ReminderKind.CHECK_DUE)
    assert set(rows.values_list("recipient_id", flat=True)) == {owner.pk, world.a.users[Role.COORDINATOR].pk}
    assert set(rows.values_list("object_id", flat=True)) == {check.pk}
    send_pending(organization=world.a.organization)
    subjects = [message.subject for message in mail.outbox]
    assert sum("Pont roulant 10 t" in subject for subject in subjects) == 2
    assert all("1 observation" in message.body for message in mail.outbox if "Pont roulant" in message.subject)


# --- starter library -----------------------------------------------------------------------------


def test_the_library_loads_translated_check_types_once(client, world):
    client.force_login(world.user())
    response = client.post("/compliance/check-types/load-library/")
    assert response.status_code == 302
    names = set(CheckType.objects.filter(organization=world.a.organization).values_list("name", flat=True))
    assert "Vérification périodique des installations électriques" in names
    assert len(names) == len(library_checks.check_type_entries())
    assert client.post("/api/v1/compliance/check-types/load-library/").json() == {"added": 0}
    electrical = CheckType.objects.get(organization=world.a.organization, code="electrical-installations")
    assert electrical.frequency_months == 12 and "R4226-16" in electrical.legal_basis
    assert not CheckType.objects.filter(organization=world.b.organization).exists()


def test_only_coordinators_and_admins_load_the_library(client, world):
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    assert client.post("/compliance/check-types/load-library/").status_code == 403
    assert client.post("/api/v1/compliance/check-types/load-library/").status_code == 403
    assert not CheckType.objects.exists()


def test_every_library_entry_has_its_legal_basis_in_french_and_english():
    entries = library_checks.check_type_entries()
    assert {entry["category"] for entry in entries} >= {"electrical", "lifting", "pressure", "fire", "ventilation",
                                                         "racking", "icpe"}
    assert all(entry["legal_basis"]["fr"] and entry["legal_basis"]["en"] and entry["verified"] for entry in entries)
    assert PeriodicCheck._meta.get_field("check_type").related_model is CheckType


def test_the_coordinators_to_do_counts_overdue_checks_and_open_observations(client, world):
    today = datetime.date.today()
    overdue = _check(world.a, next_due_on=today - datetime.timedelta(days=1))
    CheckObservationFactory(organization=world.a.organization,
                            report=CheckReportFactory(organization=world.a.organization, periodic_check=overdue))
    _check(world.b, next_due_on=today - datetime.timedelta(days=1))
    client.force_login(world.user())
    tiles = {tile.label: tile.count for tile in client.get(reverse("qse:todo")).context["tiles"]}
    assert tiles["Vérifications périodiques en retard"] == 1
    assert tiles["Observations de vérification ouvertes"] == 1


def test_the_command_loads_the_library_into_the_named_organization_as_its_coordinator(world):
    from django.core.management import CommandError, call_command

    call_command("load_check_types", "alpha", "--user", "alpha-coordinator", "--language", "en")
    names = set(CheckType.objects.filter(organization=world.a.organization).values_list("name", flat=True))
    assert "Periodic check of electrical installations" in names
    assert not CheckType.objects.filter(organization=world.b.organization).exists()
    with pytest.raises(CommandError):
        call_command("load_check_types", "alpha", "--user", "alpha-contributor")
