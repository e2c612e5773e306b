"""Demo suggestions and improvement projects of Usinage Précis du Rhône: a dozen ideas in every
state (with supports, decisions, an action and a project made of them), and a closed DMAIC
project with its measured gain. Written through the services, as the pages would; called by
``qse.demo`` with the coordinator's membership (``seed_ideas``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from improvement import services, services_projects, services_suggestions
from improvement.choices import ActionStatus
from improvement.models import ImprovementTeam, ProjectPhase, Suggestion
from improvement.models.projects import PhaseStatus
from qse.models import Membership
from qse.tenancy import activate, scope_restored

# (title, author, team index, site, months ago, what became of it, supporters)
IDEAS = [
    ("Tapis anti-fatigue au poste de contrôle final", "contributor", 0, "LYO", 1, "submitted", ("auditor", "owner")),
    ("Étiqueter les bacs de tri des copeaux par matière", "auditor", 0, "LYO", 0, "submitted", ()),
    ("Afficher le planning de maintenance près des presses", "owner", 0, "LYO", 2, "under_review", ("contributor",)),
    ("Récupérer l'eau de pluie pour le lavage des pièces", "manager", 1, "VIE", 3, "under_review", ("coordinator",)),
    ("Ranger les gabarits de contrôle en shadow board", "contributor", 0, "LYO", 5, "accepted", ("auditor", "owner", "manager")),
    ("Détecteur de présence sur l'éclairage du magasin", "owner", 1, "VIE", 6, "accepted_project", ("contributor", "auditor")),
    ("Capot insonorisant sur le compresseur C2", "contributor", 1, "VIE", 8, "implemented", ("auditor", "owner", "manager", "coordinator")),
    ("Check-list de démarrage des centres d'usinage", "auditor", 0, "LYO", 9, "implemented", ("contributor",)),
    ("Remplacer les chiffons par des lingettes lavables", "contributor", 1, "VIE", 4, "implemented", ("owner",)),
    ("Navette électrique entre les deux bâtiments", "manager", None, "LYO", 7, "rejected", ()),
    ("Pause café supplémentaire l'après-midi", "contributor", None, "LYO", 10, "rejected", ("auditor",)),
    ("Étiqueter les bacs de copeaux (aluminium, acier)", "owner", 0, "LYO", 2, "duplicate", ()),
]
REASONS = {
    "Navette électrique entre les deux bâtiments": "Distance trop courte : l'investissement ne se justifie pas.",
    "Pause café supplémentaire l'après-midi": "Relève du dialogue social (CSE), pas du système QSE.",
}
SCORES = {"accepted": (4, 2), "accepted_project": (3, 3), "implemented": (3, 1)}


def seed_ideas(*, membership: Membership, users: dict, sites: dict, processes: dict, today: datetime.date) -> None:
    """The dozen suggestions and the two projects (a DMAIC one closed with its gain)."""
    with scope_restored():
        activate(membership)
        teams = _teams(membership.organization, users, sites, processes)
        made = {row[0]: _idea(row, membership, users, teams, sites, today) for row in IDEAS}
        _spread_over_months(made, today)
        _dmaic_project(membership.user, users, teams, sites, processes, today)


def _teams(organization, users, sites, processes) -> list[ImprovementTeam]:
    """The organization's teams (the teams' demo makes them when it runs first), else two."""
    teams = list(ImprovementTeam.objects.filter(organization=organization).order_by("pk")[:2])
    names = (("Cellule QRQC presses", "LYO", "owner"), ("Cercle sécurité Vienne", "VIE", "manager"))
    for name, site, leader in names[len(teams):]:
        teams.append(ImprovementTeam.objects.create(organization=organization, name=name, site=sites[site],
                                                    leader=users[leader]))
    return teams


def _as(membership: Membership, users: dict, key: str):
    """Act as a demo member of the same organization (the services ask their rights)."""
    user = users[key]
    activate(Membership.objects.select_related("organization").get(user=user, organization=membership.organization))
    return user


def _idea(row, membership, users, teams, sites, today) -> Suggestion:
    title, author, team, site, _months, fate, supporters = row
    suggestion = services_suggestions.suggestion_submit(acting_user=_as(membership, users, author), data={
        "title": title, "description": f"{title}.", "site": sites[site],
        "team": teams[team] if team is not None else None, "expected_benefit": "Moins de gestes inutiles, plus de sécurité.",
    })
    for supporter in supporters:
        services_suggestions.suggestion_support(suggestion=suggestion, acting_user=_as(membership, users, supporter))
    coordinator = _as(membership, users, "coordinator")
    if fate != "submitted":
        suggestion = services_suggestions.suggestion_start_review(suggestion=suggestion, acting_user=coordinator)
    if fate in ("rejected", "duplicate"):
        original = Suggestion.objects.filter(title=IDEAS[1][0], organization=membership.organization).first()
        return services_suggestions.suggestion_assess(
            suggestion=suggestion, acting_user=coordinator, today=today, decision=fate if fate == "duplicate" else "rejected",
            reason=REASONS.get(title, ""), duplicate_of=original if fate == "duplicate" else None)
    if fate in SCORES:
        impact, effort = SCORES[fate]
        suggestion = services_suggestions.suggestion_assess(suggestion=suggestion, acting_user=coordinator,
                                                            decision="accepted", impact=impact, effort=effort, today=today)
    if fate == "accepted_project":
        services_suggestions.suggestion_to_project(suggestion=suggestion, acting_user=coordinator, data={
            "title": "Kaizen éclairage du magasin de Vienne", "method": "kaizen", "leader": users["manager"],
            "start_on": today - datetime.timedelta(days=20), "unit": "MWh/an", "direction": "lower",
            "baseline": Decimal("41"), "target": Decimal("30")})
    if fate in ("accepted", "implemented"):
        action = services_suggestions.suggestion_to_action(suggestion=suggestion, acting_user=coordinator, data={
            "title": title, "owner": users["owner"], "due_on": today + datetime.timedelta(days=30),
            "deliverable": "Réalisé et montré à l'auteur"})
        if fate == "implemented":
            services.action_transition(action=action, acting_user=coordinator, to_status=ActionStatus.DONE, today=today)
            suggestion = services_suggestions.suggestion_mark_implemented(suggestion=suggestion, acting_user=coordinator,
                                                                          today=today)
    return suggestion


def _spread_over_months(made: dict, today: datetime.date) -> None:
    """Ideas arrive all year: each is dated back by its row's number of months (the chart per
    team and month has history)."""
    now = timezone.now()
    for title, _author, _team, _site, months, *_rest in IDEAS:
        Suggestion.objects.filter(pk=made[title].pk).update(created_at=now - datetime.timedelta(days=30 * months + 3))


def _dmaic_project(coordinator, users, teams, sites, processes, today) -> None:
    """Scrap on the CX-200 machining line cut from 6.2 % to 3.4 % (target 3 %), closed."""
    start = today - datetime.timedelta(days=200)
    project = services_projects.project_create(acting_user=coordinator, data={
        "title": "Réduire le taux de rebut de la ligne d'usinage CX-200", "method": "dmaic", "leader": users["owner"],
        "team": teams[0], "site": sites["LYO"], "process": processes.get("R3"), "start_on": start,
        "due_on": today - datetime.timedelta(days=20), "unit": "%", "direction": "lower",
        "objective": "Diviser par deux le taux de rebut (bavures d'alésage) de la ligne CX-200.",
        "baseline": Decimal("6.2"), "target": Decimal("3.0"), "result": Decimal("3.4"),
        "resistances": "Les régleurs craignaient que le contrôle à 100 % ralentisse la cadence.",
        "blockers": "Délai de livraison des nouveaux outils carbure (6 semaines).",
        "levers": "Soutien du chef d'atelier ; données du MES disponibles dès la phase Mesurer.",
        "conclusion": "Gain de 2,8 points de rebut ; le plan de surveillance est intégré à la gamme G-17.",
    })
    project.members.set([users["contributor"], users["auditor"]])
    for index, phase in enumerate(ProjectPhase.objects.filter(project=project).order_by("position")):
        begin = start + datetime.timedelta(days=36 * index)
        ProjectPhase.objects.filter(pk=phase.pk).update(status=PhaseStatus.DONE, start_on=begin,
                                                        due_on=begin + datetime.timedelta(days=35),
                                                        done_on=begin + datetime.timedelta(days=33))
    for title, days in (("Remplacer les alésoirs par des outils carbure", -60), ("Intégrer le contrôle bavure à la gamme G-17", -30)):
        action = services_projects.project_add_action(project=project, acting_user=coordinator, data={
            "title": title, "owner": users["owner"], "due_on": today + datetime.timedelta(days=days),
            "deliverable": "Fait"})
        services.action_transition(action=action, acting_user=coordinator, to_status=ActionStatus.DONE, today=today)
    services_projects.project_close(project=project, acting_user=coordinator, today=today - datetime.timedelta(days=15))
