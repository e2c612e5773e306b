"""The demo organization, generated from the factories.

Usinage Précis du Rhône: a machining plant (aerospace and automotive parts) with two sites,
its process map and action plans with actions in every state. Chimie Fine de l'Isère is
the second organization, so that every demo also shows tenancy at work.
"""

from __future__ import annotations

import datetime

import pghistory
from django.utils import timezone

from improvement.choices import ActionOriginKind, ActionStatus, EffectivenessResult, Priority
from improvement.factories import ActionFactory, ActionPlanFactory
from qse.factories import (
    MembershipFactory,
    OrganizationFactory,
    ProcessFactory,
    SiteFactory,
    UserFactory,
)
from qse.models import Organization, ProcessKind
from qse.tenancy import system_context

MAIN, OTHER = "Usinage Précis du Rhône", "Chimie Fine de l'Isère"
DEMO_ACCOUNTS = [
    ("admin", "admin", MAIN),
    ("coordinator", "coordinator", MAIN),
    ("manager", "management", MAIN),
    ("owner", "process_owner", MAIN),
    ("auditor", "auditor", MAIN),
    ("contributor", "contributor", MAIN),
    ("other", "coordinator", OTHER),
]
PEOPLE = {
    "admin": ("Alain", "Girard"),
    "coordinator": ("Claire", "Martin"),
    "manager": ("Philippe", "Durand"),
    "owner": ("Karim", "Benali"),
    "auditor": ("Sophie", "Lefèvre"),
    "contributor": ("Julien", "Moreau"),
    "other": ("Nathalie", "Roux"),
}
PROCESSES = [
    ("M1", "Pilotage et stratégie", ProcessKind.MANAGEMENT, "manager"),
    ("M2", "Amélioration continue QSE", ProcessKind.MANAGEMENT, "coordinator"),
    ("R1", "Commercial et revue de contrat", ProcessKind.REALIZATION, "manager"),
    ("R2", "Industrialisation", ProcessKind.REALIZATION, "owner"),
    ("R3", "Usinage et production", ProcessKind.REALIZATION, "owner"),
    ("R4", "Contrôle final et expédition", ProcessKind.REALIZATION, "contributor"),
    ("S1", "Achats et sous-traitance", ProcessKind.SUPPORT, "manager"),
    ("S2", "Maintenance", ProcessKind.SUPPORT, "owner"),
    ("S3", "Ressources humaines et compétences", ProcessKind.SUPPORT, "manager"),
    ("S4", "Métrologie", ProcessKind.SUPPORT, "auditor"),
]
# (title, plan index, process, site, owner, status, due offset in days, progress, effectiveness, origin, priority)
ACTIONS = [
    ("Mettre à jour la gamme d'usinage du carter CX-200", 2, "R3", "LYO", "owner", "done", -20, 100, "effective", "nonconformity", "high"),
    ("Installer un contrôle 100 % des alésages sur le poste 12", 2, "R4", "LYO", "contributor", "done", -6, 100, "", "nonconformity", "critical"),
    ("Former les régleurs au nouveau mode opératoire d'ébavurage", 2, "S3", "LYO", "owner", "in_progress", 10, 60, "", "nonconformity", "high"),
    ("Étendre le contrôle aux références similaires (CX-210, CX-250)", 2, "R2", "LYO", "owner", "planned", 35, 0, "", "nonconformity", "normal"),
    ("Réviser la procédure de revue de contrat aéronautique", 3, "R1", None, "manager", "in_progress", -12, 40, "", "audit", "high"),
    ("Qualifier le sous-traitant traitement de surface (NADCAP)", 3, "S1", None, "manager", "planned", 45, 0, "", "audit", "high"),
    ("Mettre en place la gestion des FOD en zone usinage", 3, "R3", "LYO", "owner", "done", -30, 100, "effective", "audit", "normal"),
    ("Enregistrer la vérification des instruments de mesure à l'embauche", 3, "S4", None, "auditor", "done", -3, 100, "", "audit", "normal"),
    ("Capoter le centre d'usinage DMG n°4 (bruit > 85 dB(A))", 1, "S2", "LYO", "owner", "in_progress", 20, 30, "", "risk", "high"),
    ("Remplacer le dégraissant chloré par une lessive aqueuse", 1, "R3", "VIE", "owner", "planned", 60, 0, "", "risk", "high"),
    ("Installer des aides à la manutention (bras articulé poste 7)", 1, "S2", "VIE", "owner", "in_progress", -5, 70, "", "risk", "normal"),
    ("Mettre à jour les fiches de données de sécurité des fluides de coupe", 1, "M2", None, "coordinator", "done", -45, 100, "not_effective", "risk", "normal"),
    ("Sensibiliser au port des lunettes en atelier (quart d'heure sécurité)", 1, "S3", None, "coordinator", "done", -60, 100, "effective", "risk", "low"),
    ("Baliser les allées piétonnes du magasin", 1, "S1", "VIE", "contributor", "cancelled", 15, 0, "", "risk", "low"),
    ("Réduire la consommation d'huile soluble de 10 %", 0, "R3", None, "owner", "in_progress", 90, 25, "", "plan", "normal"),
    ("Trier et valoriser les copeaux d'aluminium et d'acier", 0, "R3", "LYO", "contributor", "done", -15, 100, "effective", "plan", "normal"),
    ("Déployer les indicateurs processus dans l'outil", 0, "M2", None, "coordinator", "in_progress", 30, 50, "", "plan", "normal"),
    ("Préparer l'audit de surveillance AS9100 / EN 9100", 0, "M2", None, "coordinator", "planned", 7, 0, "", "plan", "high"),
    ("Réaliser l'analyse du contexte 2027 (SWOT, PESTEL)", 0, "M1", None, "manager", "planned", 0, 0, "", "plan", "normal"),
    ("Mettre à jour la cartographie des parties intéressées", 0, "M1", None, "coordinator", "in_progress", -2, 80, "", "plan", "normal"),
    ("Former deux auditeurs internes supplémentaires", 0, "S3", None, "manager", "planned", 120, 0, "", "plan", "low"),
    ("Revoir le plan de maintenance préventive des compresseurs", 0, "S2", "VIE", "owner", "in_progress", 3, 20, "", "plan", "normal"),
    ("Réduire le taux de rebut usinage sous 1,5 %", 0, "R3", "VIE", "owner", "planned", 75, 0, "", "plan", "high"),
    ("Étalonner les colonnes de mesure du laboratoire", 0, "S4", "LYO", "auditor", "done", -25, 100, "effective", "plan", "normal"),
    ("Mettre en place un tableau de bord énergie par îlot", 0, "M2", "LYO", "coordinator", "planned", 50, 0, "", "suggestion", "low"),
]


def _users(organization_main, organization_other) -> dict:
    users = {}
    for username, role, org_name in DEMO_ACCOUNTS:
        first, last = PEOPLE[username]
        user = UserFactory(username=username, first_name=first, last_name=last)
        organization = organization_main if org_name == MAIN else organization_other
        MembershipFactory(user=user, organization=organization, role=role)
        users[username] = user
    return users


def _main_organization(users, main, today):
    sites = {
        "LYO": SiteFactory(organization=main, code="LYO", name="Lyon-Gerland", city="Lyon", headcount=140),
        "VIE": SiteFactory(organization=main, code="VIE", name="Vienne", city="Vienne", headcount=65),
    }
    processes = {
        code: ProcessFactory(organization=main, code=code, name=name, kind=kind, owner=users[owner])
        for code, name, kind, owner in PROCESSES
    }
    plans = [
        ActionPlanFactory(organization=main, title="Plan QSE 2026", owner=users["coordinator"], process=processes["M2"], due_on=datetime.date(today.year, 12, 31)),
        ActionPlanFactory(organization=main, title="Plan de prévention DUERP 2026", owner=users["coordinator"], process=processes["S3"]),
        ActionPlanFactory(organization=main, title="8D-2026-014 · Bavures alésage carter CX-200", owner=users["owner"], process=processes["R3"], site=sites["LYO"]),
        ActionPlanFactory(organization=main, title="Audit EN 9100 · écarts de l'audit de certification", owner=users["coordinator"], process=processes["M2"]),
    ]
    for row in ACTIONS:
        _action(row, main, users, plans, processes, sites, today)
    from qse.demo_analysis import seed_analysis

    seed_analysis(organization=main, users=users, processes=processes, sites=sites, today=today)
    from qse.demo_analysis import seed_occupational_and_environmental
    from qse.models import Membership

    coordinator = Membership.objects.select_related("organization", "user").get(user=users["coordinator"], organization=main)
    seed_occupational_and_environmental(membership=coordinator, sites=sites, processes=processes, today=today)
    from nonconformities.demo import seed_events

    seed_events(membership=coordinator, users=users, sites=sites, processes=processes, today=today)
    from audits.demo_suppliers import seed_suppliers

    seed_suppliers(membership=coordinator, users=users, today=today)  # after the events: two are supplier NCs
    from objectives.sensors_demo import seed_sensors

    seed_sensors(organization=main, sites=sites)
    from compliance.demo_controls import seed_controls

    seed_controls(organization=main, users=users, sites=sites, processes=processes, today=today)
    from compliance.demo import seed_compliance

    seed_compliance(membership=coordinator, users=users, sites=sites, processes=processes, today=today)
    _environment(coordinator, sites, today)  # before the objectives: their indicators read its figures
    from objectives.demo import seed_objectives

    seed_objectives(membership=coordinator, users=users, sites=sites, processes=processes, plans=plans, today=today)
    from improvement.demo_teams import seed_teams

    seed_teams(membership=coordinator, users=users, sites=sites, processes=processes, today=today)
    from improvement.demo_ideas import seed_ideas

    seed_ideas(membership=coordinator, users=users, sites=sites, processes=processes, today=today)
    from audits.demo import seed_audits

    seed_audits(membership=coordinator, users=users, sites=sites, processes=processes, today=today)
    from django.utils import timezone as tz

    from audits.demo_offline import seed_offline_checklist

    seed_offline_checklist(organization=main, now=tz.make_aware(datetime.datetime.combine(today, datetime.time(9, 0))))
    from improvement.demo_review import seed_reviews

    seed_reviews(membership=coordinator, users=users, processes=processes, today=today)  # last: reads every module


def _environment(membership, sites, today):
    """Waste register, meters and GHG inventories (issue 14), as the coordinator."""
    from qse.tenancy import activate, scope_restored
    from risks.demo_environment import seed_environment

    with scope_restored():
        activate(membership)
        seed_environment(membership=membership, sites=sites, today=today)


def _action(row, main, users, plans, processes, sites, today):
    title, plan, process, site, owner, status, offset, progress, effective, origin, priority = row
    due_on = today + datetime.timedelta(days=offset)
    done = status == ActionStatus.DONE
    ActionFactory(
        organization=main, plan=plans[plan], title=title, process=processes[process],
        site=sites.get(site) if site else None, owner=users[owner], due_on=due_on,
        start_on=min(due_on, today) - datetime.timedelta(days=30), progress=progress,
        status=ActionStatus.IN_PROGRESS if effective == EffectivenessResult.NOT_EFFECTIVE else status,
        origin_kind=ActionOriginKind(origin), priority=Priority(priority),
        done_on=due_on if done and effective != EffectivenessResult.NOT_EFFECTIVE else None,
        effectiveness_criterion="Aucune récurrence sur 3 mois de production",
        effectiveness_result=effective,
        effectiveness_checked_on=today - datetime.timedelta(days=2) if effective else None,
        effectiveness_checked_by=users["coordinator"] if effective else None,
        effectiveness_comment="Vérifié sur les enregistrements de production" if effective else "",
    )


def _other_organization(users, other, today):
    site = SiteFactory(organization=other, code="PDC", name="Pont-de-Claix", city="Le Pont-de-Claix", headcount=90)
    process = ProcessFactory(organization=other, code="R1", name="Synthèse", kind=ProcessKind.REALIZATION, owner=users["other"])
    ProcessFactory(organization=other, code="S1", name="Logistique matières dangereuses", kind=ProcessKind.SUPPORT, owner=users["other"])
    plan = ActionPlanFactory(organization=other, title="Plan SEVESO 2026", owner=users["other"], process=process, site=site)
    for offset, title in ((-4, "Tester le plan d'opération interne"), (20, "Mettre à jour l'étude de dangers")):
        ActionFactory(organization=other, plan=plan, title=title, owner=users["other"], process=process, site=site,
                      due_on=today + datetime.timedelta(days=offset), status=ActionStatus.IN_PROGRESS, progress=40)


def seed_demo(today: datetime.date | None = None) -> bool:
    """Create the demo data unless it exists; returns whether anything was created."""
    today = today or timezone.localdate()
    with system_context():
        if Organization.objects.filter(slug="usinage-precis-du-rhone").exists():
            return False
        # The sectors are those of the setup page's list (qse.models.Sector).
        main = OrganizationFactory(name=MAIN, slug="usinage-precis-du-rhone", sector="machining", headcount=205)
        other = OrganizationFactory(name=OTHER, slug="chimie-fine-isere", sector="chemicals", headcount=90)
        users = _users(main, other)
        with pghistory.context(user=users["coordinator"].pk, reason="Données de démonstration"):
            _main_organization(users, main, today)
            _other_organization(users, other, today)
    return True
