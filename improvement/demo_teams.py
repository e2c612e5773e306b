"""Demo data of the improvement teams and training (issue 13), called by ``qse.demo`` after the
risks exist: the machining cell's QRQC team, its members and three sessions (the last one with
counter-measures turned into actions), a safety awareness session, training topics and records
giving a matrix with valid, expiring, expired and missing trainings. Deterministic, fast."""

from __future__ import annotations

import datetime

from improvement import services_teams
from improvement.factories import TrainingRecordFactory, TrainingTopicFactory
from improvement.models import AttendanceStatus, ImprovementTeam, TeamMember
from qse.factories import MembershipFactory, UserFactory
from qse.roles import Role
from qse.tenancy import activate, scope_restored

OPERATORS = [("op.lambert", "Lucas", "Lambert"), ("op.nguyen", "Thi Mai", "Nguyen"), ("op.garcia", "Inès", "Garcia")]

# (name, domain, validity in months, required for everyone, team roles, process codes)
TOPICS = [
    ("Accueil sécurité au poste", "safety", None, True, [], []),
    ("CACES R489 chariots élévateurs", "safety", 60, False, [], ["R3"]),
    ("Habilitation électrique BS / BE manœuvre", "safety", 36, False, ["leader"], []),
    ("Tri des déchets et copeaux", "environment", 24, True, [], []),
    ("Autocontrôle et métrologie au poste", "quality", None, False, [], ["R3"]),
]

# (person, topic index, months before today) of the records.
RECORDS = [
    ("contributor", 0, 40), ("contributor", 1, 59), ("contributor", 2, 30), ("contributor", 3, 10),
    ("contributor", 4, 20),
    ("owner", 0, 70), ("owner", 1, 20), ("owner", 2, 35), ("owner", 4, 30),
    ("op.lambert", 0, 14), ("op.lambert", 1, 62), ("op.lambert", 3, 23),
    ("op.nguyen", 0, 3), ("op.nguyen", 4, 2),
    ("op.garcia", 0, 26), ("op.garcia", 1, 12), ("op.garcia", 3, 30),
]


def _months_ago(today: datetime.date, months: int) -> datetime.date:
    from improvement.training import add_months

    return add_months(today, -months)


def _people(organization, users) -> dict:
    people = dict(users)
    for username, first, last in OPERATORS:
        user = UserFactory(username=username, first_name=first, last_name=last)
        MembershipFactory(user=user, organization=organization, role=Role.CONTRIBUTOR)
        people[username] = user
    return people


def _topics(organization, processes) -> list:
    topics = []
    for name, domain, months, everyone, roles, codes in TOPICS:
        topic = TrainingTopicFactory(organization=organization, name=name, domain=domain, validity_months=months,
                                     required_for_everyone=everyone, required_team_roles=roles)
        topic.processes.set([processes[code] for code in codes if code in processes])
        topics.append(topic)
    return topics


def _team(organization, people, sites, processes) -> ImprovementTeam:
    team = ImprovementTeam.objects.create(
        organization=organization, name="QRQC îlot usinage 5 axes", leader=people["contributor"],
        purpose="Traiter chaque jour les problèmes qualité, sécurité et délais de l'îlot, en 15 minutes debout.",
        sector="Usinage", product="Carters CX-200", process=processes.get("R3"), site=sites.get("LYO"),
    )
    roles = [("contributor", "leader", "Réglage 5 axes, animation QRQC"), ("owner", "sponsor", "Pilote du processus"),
             ("op.lambert", "member", "Cariste, régleur"), ("op.nguyen", "member", "Contrôle tridimensionnel"),
             ("op.garcia", "member", "Opératrice usinage")]
    for username, role, competences in roles:
        TeamMember.objects.create(organization=organization, team=team, user=people[username], role=role,
                                  competences=competences)
    return team


def _sessions(team, people, topics, coordinator, today) -> None:
    at = lambda days, hour: datetime.datetime.combine(  # noqa: E731
        today + datetime.timedelta(days=days), datetime.time(hour, 0), tzinfo=datetime.UTC)
    base = {"team": team, "kind": "work", "duration_minutes": 30, "place": "Tableau QRQC îlot 5 axes"}
    first = services_teams.session_create(acting_user=coordinator, data={
        **base, "title": "QRQC · bavures alésage", "starts_at": at(-21, 7),
        "agenda": "1. Rebuts de la veille\n2. Bavures alésage CX-200", "minutes": "Analyse 5 pourquoi lancée."})
    second = services_teams.session_create(acting_user=coordinator, data={
        **base, "title": "QRQC · sécurité chariots", "starts_at": at(-14, 7), "minutes": "Presque-accident allée B."})
    third = services_teams.session_create(acting_user=coordinator, data={
        **base, "title": "QRQC · arrêts broche et copeaux", "starts_at": at(-7, 7),
        "agenda": "1. Arrêts broche\n2. Bacs à copeaux pleins",
        "minutes": "Deux arrêts broche liés à l'évacuation des copeaux ; bacs pleins en fin de poste.",
        "difficulties": "Bacs à copeaux trop petits ; pas de créneau pour le vidage en fin de poste."})
    absent = {first: "op.garcia", second: "op.nguyen", third: "owner"}
    for session, missing in absent.items():
        statuses = {user.pk: AttendanceStatus.PRESENT for user in
                    (people[name] for name in ("contributor", "owner", "op.lambert", "op.nguyen", "op.garcia"))}
        statuses[people[missing].pk] = AttendanceStatus.EXCUSED
        services_teams.session_record_attendance(session=session, acting_user=coordinator, statuses=statuses)
    for title, owner, days, deliverable in (
        ("Installer des bacs à copeaux de 400 L sur l'îlot", "owner", 21, "Bacs installés"),
        ("Ajouter un créneau de vidage des copeaux en fin de poste", "contributor", 7, "Standard de poste mis à jour"),
        ("Contrôler le convoyeur à copeaux chaque lundi", "op.lambert", 30, "Check-list TPM"),
    ):
        services_teams.session_add_countermeasure(session=third, acting_user=coordinator, data={
            "title": title, "owner": people[owner], "due_on": today + datetime.timedelta(days=days),
            "deliverable": deliverable})
    awareness = services_teams.session_create(acting_user=coordinator, data={
        **base, "kind": "awareness", "topic": topics[3], "title": "Quart d'heure environnement · tri des copeaux",
        "starts_at": at(-3, 13), "duration_minutes": 15})
    services_teams.session_record_attendance(session=awareness, acting_user=coordinator, statuses={
        people["op.nguyen"].pk: AttendanceStatus.PRESENT, people["contributor"].pk: AttendanceStatus.PRESENT,
        people["op.garcia"].pk: AttendanceStatus.ABSENT})
    services_teams.session_record_training(session=awareness, acting_user=coordinator)


def seed_teams(*, membership, users: dict, sites: dict, processes: dict, today: datetime.date) -> ImprovementTeam:
    """The demo's team, sessions, topics and training records, written as the coordinator (the
    operators' memberships first, in the caller's system context: they are no tenant's write)."""
    organization, coordinator = membership.organization, membership.user
    people = _people(organization, users)
    with scope_restored():
        activate(membership)
        topics = _topics(organization, processes)
        for person, index, months in RECORDS:
            TrainingRecordFactory(topic=topics[index], person=people[person], trained_on=_months_ago(today, months),
                                  trainer="AFPI Rhône" if index in (1, 2) else "Claire Martin")
        team = _team(organization, people, sites, processes)
        _sessions(team, people, topics, coordinator, today)
    return team
