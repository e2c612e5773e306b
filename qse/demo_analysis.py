"""Demo content of block 1 (context and risks) for Usinage Précis du Rhône, from the factories."""

from __future__ import annotations

import datetime

from context.choices import (
    IssueEffect,
    IssueOrigin,
    PartyCategory,
    Pestel,
    PolicyKind,
    SwotQuadrant,
)
from context.factories import (
    ClimateDecisionFactory,
    ContextIssueFactory,
    InterestedPartyFactory,
    PartyExpectationFactory,
    PolicyStatementFactory,
    SwotItemFactory,
)
from qse.models import Site
from risks.choices import Domain, RiskKind, RiskSource, Treatment
from risks.factories import RiskFactory, RiskMatrixFactory

STATEMENTS = [
    (PolicyKind.MISSION, "Usiner des pièces de précision sûres et conformes pour l'aéronautique et l'automobile."),
    (PolicyKind.VISION, "Être en 2030 le sous-traitant de référence de la vallée du Rhône, zéro accident et bas carbone."),
    (PolicyKind.POLICY, "Satisfaire nos clients, protéger la santé et la sécurité de chacun, prévenir la pollution et respecter nos obligations de conformité."),
    (PolicyKind.SCOPE, "Usinage, contrôle et expédition de pièces mécaniques sur les sites de Lyon-Gerland et de Vienne (EN 9100, ISO 14001, ISO 45001)."),
]
ISSUES = [
    ("Hausse du coût de l'énergie", IssueOrigin.EXTERNAL, Pestel.ECONOMIC, IssueEffect.NEGATIVE, 4),
    ("Reprise des cadences aéronautiques", IssueOrigin.EXTERNAL, Pestel.ECONOMIC, IssueEffect.POSITIVE, 4),
    ("Exigences bas-carbone des constructeurs automobiles", IssueOrigin.EXTERNAL, Pestel.ENVIRONMENTAL, IssueEffect.NEGATIVE, 3),
    ("Évolution de la réglementation sur les solvants chlorés", IssueOrigin.EXTERNAL, Pestel.LEGAL, IssueEffect.NEGATIVE, 3),
    ("Pénurie de régleurs sur commande numérique", IssueOrigin.EXTERNAL, Pestel.SOCIAL, IssueEffect.NEGATIVE, 4),
    ("Usinage 5 axes et jumeau numérique", IssueOrigin.EXTERNAL, Pestel.TECHNOLOGICAL, IssueEffect.POSITIVE, 2),
    ("Vieillissement du parc machines du site de Vienne", IssueOrigin.INTERNAL, None, IssueEffect.NEGATIVE, 3),
    ("Savoir-faire reconnu en pièces de sécurité", IssueOrigin.INTERNAL, None, IssueEffect.POSITIVE, 3),
]
SWOT = [
    (SwotQuadrant.STRENGTH, "Certification EN 9100 et clients aéronautiques fidèles"),
    (SwotQuadrant.STRENGTH, "Laboratoire de métrologie interne"),
    (SwotQuadrant.WEAKNESS, "Taux de rebut usinage au-dessus de 2 %"),
    (SwotQuadrant.WEAKNESS, "Dépendance à deux clients pour 60 % du chiffre d'affaires"),
    (SwotQuadrant.OPPORTUNITY, "Relocalisation de pièces automobiles en Europe"),
    (SwotQuadrant.THREAT, "Concurrence de sous-traitants à bas coût"),
]
PARTIES = [
    ("Clients aéronautiques", PartyCategory.CUSTOMERS, 5, 5, ["Conformité EN 9100 et premier article (FAI)", "Livraisons à l'heure"]),
    ("Salariés et CSE", PartyCategory.EMPLOYEES, 4, 5, ["Conditions de travail sûres (bruit, manutention)"]),
    ("DREAL Auvergne-Rhône-Alpes", PartyCategory.AUTHORITIES, 5, 3, ["Respect de l'arrêté préfectoral ICPE"]),
    ("CARSAT Rhône-Alpes", PartyCategory.AUTHORITIES, 3, 3, ["Prévention des TMS et du risque chimique"]),
    ("Riverains du site de Vienne", PartyCategory.NEIGHBOURS, 2, 4, ["Limiter le bruit nocturne"]),
    ("Assureur", PartyCategory.INSURERS, 3, 2, ["Maîtrise du risque incendie"]),
]
Q, S, E = Domain.QUALITY, Domain.SAFETY, Domain.ENVIRONMENT
RISK, OPPORTUNITY = RiskKind.RISK, RiskKind.OPPORTUNITY
INCIDENT, AUDIT, REGULATORY, ISSUE, PARTY, SWOT_SOURCE, OTHER = (
    RiskSource.INCIDENT, RiskSource.AUDIT, RiskSource.REGULATORY, RiskSource.CONTEXT_ISSUE,
    RiskSource.INTERESTED_PARTY, RiskSource.SWOT, RiskSource.OTHER,
)
REDUCE, ACCEPT, TRANSFER, AVOID, PURSUE, NOT_PURSUED = (
    Treatment.REDUCE, Treatment.ACCEPT, Treatment.TRANSFER, Treatment.AVOID, Treatment.PURSUE, Treatment.NOT_PURSUED,
)
RISKS = [
    # (title, kind, domains, process, site, source, G, P, treatment, residual G, residual P, review in days)
    # Quality: product conformity, customers, suppliers.
    ("Non-détection d'une bavure sur alésage critique", RISK, [Q], "R4", "LYO", INCIDENT, 5, 4, REDUCE, 5, 1, 60),
    ("Dérive dimensionnelle par usure d'outil", RISK, [Q], "R3", "LYO", AUDIT, 3, 4, REDUCE, 3, 2, 90),
    ("Perte de la qualification NADCAP du sous-traitant traitement de surface", RISK, [Q], "S1", None, AUDIT, 4, 2, TRANSFER, 4, 1, 120),
    ("Erreur de version de plan client en fabrication", RISK, [Q], "R2", "LYO", INCIDENT, 4, 3, REDUCE, 4, 1, 45),
    ("Premier article (FAI) incomplet sur une nouvelle référence aéronautique", RISK, [Q], "R2", "LYO", AUDIT, 4, 3, REDUCE, 4, 2, -12),
    ("Matière non conforme livrée sans certificat 3.1", RISK, [Q], "S1", "VIE", INCIDENT, 4, 2, REDUCE, 4, 1, 150),
    ("Instrument de mesure hors tolérance utilisé au contrôle final", RISK, [Q], "S4", None, AUDIT, 4, 2, REDUCE, 4, 1, 30),
    ("Revue de contrat incomplète sur exigences spéciales client", RISK, [Q], "R1", None, AUDIT, 3, 3, REDUCE, 3, 1, 75),
    ("Retard de livraison lié à la panne du centre 5 axes", RISK, [Q], "S2", "LYO", ISSUE, 3, 3, REDUCE, 3, 2, -30),
    ("Contrefaçon de fixations dans la chaîne d'approvisionnement", RISK, [Q], "S1", None, REGULATORY, 5, 1, REDUCE, 5, 1, 180),
    ("Dépendance à deux clients pour 60 % du chiffre d'affaires", RISK, [Q], "M1", None, SWOT_SOURCE, 4, 3, REDUCE, 4, 2, 200),
    ("Départ d'un régleur expert non remplacé", RISK, [Q], "S3", "VIE", ISSUE, 3, 3, ACCEPT, None, None, 90),
    ("Perte de données de programmation CN (panne serveur)", RISK, [Q], "M2", None, OTHER, 3, 2, TRANSFER, 3, 1, 240),
    ("Oxydation des pièces en attente d'expédition", RISK, [Q], "R4", "VIE", INCIDENT, 2, 3, ACCEPT, None, None, -5),
    ("Mauvaise traçabilité des lots de barres en magasin", RISK, [Q], "R4", "VIE", AUDIT, 3, 3, REDUCE, 3, 1, 100),
    # Health and safety.
    ("Exposition au bruit > 85 dB(A) en îlot 4", RISK, [S], "S2", "LYO", REGULATORY, 3, 5, REDUCE, 3, 2, 60),
    ("Coupure par manipulation de copeaux", RISK, [S], "R3", "LYO", INCIDENT, 2, 4, REDUCE, 2, 2, 120),
    ("TMS lors de la manutention des bruts", RISK, [S], "R3", "VIE", PARTY, 3, 4, REDUCE, 3, 2, -20),
    ("Exposition au dégraissant chloré", RISK, [S, E], "R3", "VIE", REGULATORY, 4, 3, AVOID, 1, 1, 180),
    ("Happement par la broche lors d'un réglage porte ouverte", RISK, [S], "R3", "LYO", INCIDENT, 5, 2, REDUCE, 5, 1, 90),
    ("Collision piéton / chariot élévateur au magasin", RISK, [S], "R4", "VIE", INCIDENT, 5, 2, REDUCE, 5, 1, 45),
    ("Inhalation de brouillards d'huile de coupe", RISK, [S], "R3", "LYO", PARTY, 3, 4, REDUCE, 3, 2, 150),
    ("Chute de hauteur lors de la maintenance des ponts roulants", RISK, [S], "S2", "VIE", REGULATORY, 5, 1, TRANSFER, 5, 1, 365),
    ("Projection de fluide sous pression (hydraulique)", RISK, [S], "S2", None, INCIDENT, 4, 2, REDUCE, 4, 1, 120),
    ("Travail isolé des équipes de nuit", RISK, [S], "S3", "LYO", PARTY, 4, 2, REDUCE, 4, 1, -45),
    ("Risque routier des commerciaux", RISK, [S], "R1", None, OTHER, 4, 2, ACCEPT, None, None, 300),
    ("Brûlure au poste de traitement thermique", RISK, [S], "R3", "VIE", INCIDENT, 3, 2, REDUCE, 3, 1, 200),
    # Environment.
    ("Déversement d'huile soluble au sol", RISK, [E], "S2", "VIE", ISSUE, 3, 3, REDUCE, 2, 2, 90),
    ("Incendie dans le local de stockage des huiles", RISK, [S, E], "S2", "VIE", PARTY, 5, 4, REDUCE, 5, 2, 60),
    ("Pollution du Rhône par les eaux d'extinction", RISK, [E], "S2", "VIE", REGULATORY, 5, 1, REDUCE, 5, 1, -60),
    ("Dépassement de la valeur limite de COV de l'arrêté préfectoral", RISK, [E], "R3", "LYO", REGULATORY, 4, 3, REDUCE, 4, 1, 30),
    ("Mélange des copeaux aluminium et acier (perte de valorisation)", RISK, [E], "R3", "LYO", AUDIT, 2, 4, REDUCE, 2, 2, 180),
    ("Fuite de fluide frigorigène des groupes froids", RISK, [E], "S2", None, REGULATORY, 3, 2, TRANSFER, 3, 1, 240),
    ("Nuisances sonores nocturnes pour les riverains de Vienne", RISK, [E], "S2", "VIE", PARTY, 2, 3, ACCEPT, None, None, 150),
    ("Hausse de la consommation d'électricité des compresseurs", RISK, [E], "S2", "VIE", ISSUE, 2, 4, REDUCE, 2, 2, 120),
    ("Canicule : atelier de Lyon au-delà de 33 °C", RISK, [S, E], "M1", "LYO", ISSUE, 3, 3, REDUCE, 3, 2, 100),
    # Opportunities.
    ("Relocalisation de pièces automobiles en Europe", OPPORTUNITY, [Q], "R1", None, SWOT_SOURCE, 4, 3, PURSUE, None, None, 180),
    ("Récupération de chaleur des compresseurs", OPPORTUNITY, [E], "S2", "VIE", ISSUE, 3, 4, PURSUE, None, None, 120),
    ("Usinage 5 axes et jumeau numérique pour réduire les réglages", OPPORTUNITY, [Q, S], "R2", "LYO", ISSUE, 4, 3, PURSUE, None, None, 200),
    ("Reprise des cadences aéronautiques : nouveaux programmes", OPPORTUNITY, [Q], "R1", None, ISSUE, 5, 3, PURSUE, None, None, 90),
    ("Lessive aqueuse en remplacement du solvant chloré", OPPORTUNITY, [S, E], "R3", "VIE", REGULATORY, 4, 4, PURSUE, None, None, 60),
    ("Panneaux photovoltaïques en toiture du site de Vienne", OPPORTUNITY, [E], "M1", "VIE", ISSUE, 3, 2, NOT_PURSUED, None, None, 365),
    ("Alternance : former nos futurs régleurs avec le lycée technique", OPPORTUNITY, [Q, S], "S3", None, ISSUE, 3, 4, PURSUE, None, None, 150),
    ("Revente des copeaux triés à un affineur local", OPPORTUNITY, [E], "R3", "LYO", SWOT_SOURCE, 2, 4, PURSUE, None, None, -10),
]
# Why an accepted risk stays as it is, and who approved it (management).
ACCEPTED = {
    "Départ d'un régleur expert non remplacé": "Plan de formation croisée en place et binôme désigné ; risque résiduel jugé faible par la direction.",
    "Oxydation des pièces en attente d'expédition": "Stock tampon inférieur à 48 h et pièces huilées ; coût d'un magasin climatisé disproportionné.",
    "Risque routier des commerciaux": "Déplacements limités (visioconférence privilégiée), véhicules récents, stage de conduite tous les 5 ans.",
    "Nuisances sonores nocturnes pour les riverains de Vienne": "Mesures de bruit en limite de propriété conformes ; aucune plainte depuis 2023 ; revue annuelle avec les riverains.",
}
# Details of a few risks: cause, consequence, controls in place.
DETAILS = {
    "Non-détection d'une bavure sur alésage critique": (
        "Ébavurage manuel, contrôle visuel sous éclairage insuffisant.",
        "Pièce de sécurité non conforme livrée au client aéronautique, rappel et réclamation.",
        "Contrôle à 100 % au poste 12, gamme d'ébavurage révisée."),
    "Exposition au bruit > 85 dB(A) en îlot 4": (
        "Centres d'usinage anciens sans capotage intégral.", "Surdité professionnelle (tableau n° 42).",
        "Bouchons moulés, audiogrammes annuels."),
    "Dépassement de la valeur limite de COV de l'arrêté préfectoral": (
        "Dégraissage au solvant à l'air libre.", "Mise en demeure de la DREAL, sanction administrative.",
        "Suivi des consommations de solvant, plan de gestion des solvants annuel."),
}
# Actions of qse.demo that were started from a risk: (action title, risk title).
RISK_ACTIONS = [
    ("Capoter le centre d'usinage DMG n°4 (bruit > 85 dB(A))", "Exposition au bruit > 85 dB(A) en îlot 4"),
    ("Remplacer le dégraissant chloré par une lessive aqueuse", "Exposition au dégraissant chloré"),
    ("Installer des aides à la manutention (bras articulé poste 7)", "TMS lors de la manutention des bruts"),
    ("Mettre à jour les fiches de données de sécurité des fluides de coupe", "Inhalation de brouillards d'huile de coupe"),
    ("Baliser les allées piétonnes du magasin", "Collision piéton / chariot élévateur au magasin"),
    ("Installer un contrôle 100 % des alésages sur le poste 12", "Non-détection d'une bavure sur alésage critique"),
    ("Qualifier le sous-traitant traitement de surface (NADCAP)", "Perte de la qualification NADCAP du sous-traitant traitement de surface"),
]
# New actions started from a risk: (risk title, action title, owner, days to due date, status).
NEW_RISK_ACTIONS = [
    ("Dépassement de la valeur limite de COV de l'arrêté préfectoral", "Capter les émissions de la cuve de dégraissage", "owner", 40, "in_progress"),
    ("Pollution du Rhône par les eaux d'extinction", "Installer une vanne de confinement des eaux d'extinction", "owner", -15, "planned"),
    ("Travail isolé des équipes de nuit", "Équiper les opérateurs de nuit de dispositifs PTI", "manager", 20, "planned"),
    ("Premier article (FAI) incomplet sur une nouvelle référence aéronautique", "Former les méthodes à la norme EN 9102", "coordinator", -8, "in_progress"),
    ("Incendie dans le local de stockage des huiles", "Poser une détection incendie automatique au local huiles", "owner", 75, "planned"),
    ("Retard de livraison lié à la panne du centre 5 axes", "Contrat de maintenance avec astreinte 24 h du constructeur", "owner", -40, "done"),
]


def seed_analysis(*, organization, users, processes, sites, today: datetime.date) -> None:
    _context(organization, users, processes, today)
    _risks(organization, users, processes, sites, today)


SCOPE_DETAILS = {
    "activities": "Usinage de précision (tournage, fraisage 3 et 5 axes), contrôle dimensionnel, traitement thermique "
                  "et expédition de pièces mécaniques pour l'aéronautique et l'automobile.",
    "exclusions": "Conception et développement (ISO 9001 § 8.3) : les pièces sont fabriquées sur plans et spécifications "
                  "des clients, qui en gardent la responsabilité de conception.",
}


def _context(organization, users, processes, today):
    for kind, text in STATEMENTS:
        statement = PolicyStatementFactory(organization=organization, kind=kind, text=text, version_number=1,
                                           approved_by=users["manager"], **(SCOPE_DETAILS if kind == PolicyKind.SCOPE else {}))
        if kind == PolicyKind.SCOPE:
            statement.sites.set(Site.objects.filter(organization=organization))
    for title, origin, pestel, effect, importance in ISSUES:
        issue = ContextIssueFactory(organization=organization, title=title, origin=origin, pestel=pestel or "", description="",
                                    effect=effect, importance=importance, last_reviewed_on=today - datetime.timedelta(days=60))
        issue.processes.set([processes["M1"]])
    for quadrant, text in SWOT:
        SwotItemFactory(organization=organization, quadrant=quadrant, text=text)
    for name, category, influence, interest, expectations in PARTIES:
        party = InterestedPartyFactory(organization=organization, name=name, category=category, influence=influence, interest=interest)
        for text in expectations:
            PartyExpectationFactory(party=party, text=text, is_compliance_obligation=category == PartyCategory.AUTHORITIES)
    ClimateDecisionFactory(organization=organization, decided_by=users["manager"], decided_on=today - datetime.timedelta(days=200))


def _risks(organization, users, processes, sites, today):
    matrix = RiskMatrixFactory(organization=organization, is_default=True)
    risks, numbers = {}, {RiskKind.RISK: 0, RiskKind.OPPORTUNITY: 0}
    for row in RISKS:
        title, kind, domains, process, site, source, gravity, probability, treatment, res_g, res_p, review = row
        extra = {}
        numbers[kind] += 1
        if treatment == Treatment.ACCEPT:
            extra = {"treatment_justification": ACCEPTED[title], "accepted_by": users["manager"]}
        if title in DETAILS:
            extra.update(zip(("cause", "consequence", "existing_controls"), DETAILS[title], strict=True))
        risks[title] = RiskFactory(
            organization=organization, matrix=matrix, reference=f"{'R' if kind == RiskKind.RISK else 'O'}-{numbers[kind]:03d}",
            title=title, kind=kind, domains=domains, process=processes[process], site=sites.get(site), source=source,
            owner=processes[process].owner or users["coordinator"], inherent_gravity=gravity, inherent_probability=probability,
            treatment=treatment, residual_gravity=res_g, residual_probability=res_p,
            next_review_on=today + datetime.timedelta(days=review), **extra,
        )
    _risk_actions(organization, users, risks, today)


def _risk_actions(organization, users, risks, today):
    """Link the demo's risk actions to their risks, and add a few more (one query per link)."""
    from improvement.choices import ActionOriginKind
    from improvement.factories import ActionFactory
    from improvement.models import Action
    from improvement.origins import origin_fields

    for action_title, risk_title in RISK_ACTIONS:
        Action.objects.filter(organization=organization, title=action_title).update(
            **origin_fields(risks[risk_title]), origin_kind=ActionOriginKind.RISK)
    for risk_title, title, owner, due_in, status in NEW_RISK_ACTIONS:
        risk = risks[risk_title]
        ActionFactory(organization=organization, title=title, owner=users[owner], process=risk.process, site=risk.site,
                      due_on=today + datetime.timedelta(days=due_in), status=status, origin=risk,
                      origin_kind=ActionOriginKind.RISK, progress=100 if status == "done" else 30 if status == "in_progress" else 0,
                      done_on=today + datetime.timedelta(days=due_in) if status == "done" else None)


WORK_UNITS = [
    # (site, name, headcount, [(hazard family, situation, exposed, gravity, probability, measures)])
    ("LYO", "Îlot usinage 5 axes", 24, [
        ("noise", "Bruit des centres d'usinage supérieur à 85 dB(A)", 24, 3, 4, "Bouchons moulés, audiogrammes annuels"),
        ("chemicals", "Contact cutané avec l'huile soluble", 24, 2, 4, "Gants nitrile, crème barrière"),
        ("machines-tools", "Happement par la broche lors du réglage", 8, 5, 2, "Carters interverrouillés, consignation"),
    ]),
    ("LYO", "Contrôle et métrologie", 9, [
        ("screen-work", "Travail prolongé sur écran de mesure tridimensionnelle", 9, 2, 3, "Écrans réglables, pauses"),
    ]),
    ("VIE", "Magasin et expédition", 12, [
        ("manual-handling", "Port de bruts de plus de 15 kg", 12, 3, 4, "Diables, limitation des charges"),
        ("traffic", "Circulation des chariots élévateurs", 12, 4, 2, "Allées piétonnes balisées, CACES"),
    ]),
]
ASPECTS = [
    # (site, process, activity, aspect, impact, condition, severity, frequency, control, compliance)
    ("LYO", "R3", "Usinage", "Consommation d'huile soluble", "Épuisement des ressources, déchets dangereux", "normal", 3, 4, 2, False),
    ("LYO", "R3", "Dégraissage des pièces", "Émissions de COV", "Pollution de l'air", "normal", 3, 3, 3, True),
    ("VIE", "S2", "Stockage des huiles", "Déversement accidentel", "Pollution des sols et de la rivière", "emergency", 4, 1, 2, False),
    ("LYO", "R3", "Usinage", "Production de copeaux métalliques", "Déchets valorisables", "normal", 1, 4, 1, False),
    ("VIE", "S2", "Compresseurs", "Consommation d'électricité", "Émissions de gaz à effet de serre", "normal", 2, 4, 3, False),
]


def seed_occupational_and_environmental(*, membership, sites, processes, today: datetime.date) -> None:
    """Through the services (scores come from the matrix and the significance rule)."""
    from qse.tenancy import activate, scope_restored

    with scope_restored():  # the seed's system scope comes back afterwards
        activate(membership)
        _seed_duerp_and_aspects(membership, sites, processes, today)


def _seed_duerp_and_aspects(membership, sites, processes, today):
    from risks.models import RiskMatrix, WorkUnit
    from risks.services_aspects import environmental_aspect_create
    from risks.services_duerp import duerp_publish, occupational_risk_create

    user = membership.user
    matrix = RiskMatrix.objects.get(organization=membership.organization, is_default=True)
    for site, name, headcount, hazards in WORK_UNITS:
        unit = WorkUnit.objects.create(organization=membership.organization, site=sites[site], name=name,
                                       headcount=headcount, created_by=user)
        for family, situation, exposed, gravity, probability, measures in hazards:
            occupational_risk_create(acting_user=user, data={
                "work_unit": unit, "hazard_family": family, "situation": situation, "exposed_workers": exposed,
                "existing_measures": measures, "matrix": matrix, "gravity": gravity, "probability": probability,
            })
    duerp_publish(acting_user=user, today=today - datetime.timedelta(days=30))
    for site, process, activity, aspect, impact, condition, severity, frequency, control, compliance in ASPECTS:
        environmental_aspect_create(acting_user=user, data={
            "site": sites[site], "process": processes[process], "activity": activity, "aspect": aspect,
            "impact": impact, "condition": condition, "severity": severity, "frequency": frequency,
            "control": control, "is_compliance_obligation": compliance, "owner": user, "last_reviewed_on": today,
        })
