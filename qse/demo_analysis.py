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
RISKS = [
    # (title, kind, domains, process, source, G, P, treatment, residual G, residual P)
    ("Non-détection d'une bavure sur alésage critique", RiskKind.RISK, [Domain.QUALITY], "R4", RiskSource.INCIDENT, 5, 3, Treatment.REDUCE, 5, 1),
    ("Dérive dimensionnelle par usure d'outil", RiskKind.RISK, [Domain.QUALITY], "R3", RiskSource.AUDIT, 3, 4, Treatment.REDUCE, 3, 2),
    ("Perte de la qualification NADCAP du sous-traitant", RiskKind.RISK, [Domain.QUALITY], "S1", RiskSource.AUDIT, 4, 2, Treatment.TRANSFER, 4, 1),
    ("Exposition au bruit > 85 dB(A) en îlot 4", RiskKind.RISK, [Domain.SAFETY], "S2", RiskSource.REGULATORY, 3, 5, Treatment.REDUCE, 3, 2),
    ("Coupure par manipulation de copeaux", RiskKind.RISK, [Domain.SAFETY], "R3", RiskSource.INCIDENT, 2, 4, Treatment.REDUCE, 2, 2),
    ("TMS lors de la manutention des bruts", RiskKind.RISK, [Domain.SAFETY], "R3", RiskSource.INTERESTED_PARTY, 3, 4, Treatment.REDUCE, 3, 2),
    ("Exposition au dégraissant chloré", RiskKind.RISK, [Domain.SAFETY, Domain.ENVIRONMENT], "R3", RiskSource.REGULATORY, 4, 3, Treatment.AVOID, 1, 1),
    ("Déversement d'huile soluble au sol", RiskKind.RISK, [Domain.ENVIRONMENT], "S2", RiskSource.CONTEXT_ISSUE, 3, 3, Treatment.REDUCE, 2, 2),
    ("Incendie dans le local de stockage des huiles", RiskKind.RISK, [Domain.SAFETY, Domain.ENVIRONMENT], "S2", RiskSource.INTERESTED_PARTY, 5, 2, Treatment.REDUCE, 5, 1),
    ("Départ d'un régleur expert non remplacé", RiskKind.RISK, [Domain.QUALITY], "S3", RiskSource.CONTEXT_ISSUE, 3, 3, Treatment.ACCEPT, None, None),
    ("Relocalisation de pièces automobiles", RiskKind.OPPORTUNITY, [Domain.QUALITY], "R1", RiskSource.SWOT, 4, 3, Treatment.PURSUE, None, None),
    ("Récupération de chaleur des compresseurs", RiskKind.OPPORTUNITY, [Domain.ENVIRONMENT], "S2", RiskSource.CONTEXT_ISSUE, 3, 4, Treatment.PURSUE, None, None),
]


def seed_analysis(*, organization, users, processes, sites, today: datetime.date) -> None:
    _context(organization, users, processes, today)
    _risks(organization, users, processes, sites)


def _context(organization, users, processes, today):
    for kind, text in STATEMENTS:
        PolicyStatementFactory(organization=organization, kind=kind, text=text, version_number=1, approved_by=users["manager"])
    for title, origin, pestel, effect, importance in ISSUES:
        issue = ContextIssueFactory(organization=organization, title=title, origin=origin, pestel=pestel or "",
                                    effect=effect, importance=importance, last_reviewed_on=today - datetime.timedelta(days=60))
        issue.processes.set([processes["M1"]])
    for quadrant, text in SWOT:
        SwotItemFactory(organization=organization, quadrant=quadrant, text=text)
    for name, category, influence, interest, expectations in PARTIES:
        party = InterestedPartyFactory(organization=organization, name=name, category=category, influence=influence, interest=interest)
        for text in expectations:
            PartyExpectationFactory(party=party, text=text, is_compliance_obligation=category == PartyCategory.AUTHORITIES)
    ClimateDecisionFactory(organization=organization, decided_by=users["manager"], decided_on=today - datetime.timedelta(days=200))


def _risks(organization, users, processes, sites):
    matrix = RiskMatrixFactory(organization=organization, is_default=True)
    for number, row in enumerate(RISKS, start=1):
        title, kind, domains, process, source, gravity, probability, treatment, res_g, res_p = row
        extra = {}
        if treatment == Treatment.ACCEPT:
            extra = {"treatment_justification": "Plan de formation croisée en place ; risque résiduel faible.", "accepted_by": users["manager"]}
        RiskFactory(
            organization=organization, matrix=matrix, reference=f"R-{number:03d}", title=title, kind=kind, domains=domains,
            process=processes[process], site=sites["LYO"] if number % 3 else sites["VIE"], source=source,
            owner=processes[process].owner or users["coordinator"], inherent_gravity=gravity, inherent_probability=probability,
            treatment=treatment, residual_gravity=res_g, residual_probability=res_p, **extra,
        )


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
