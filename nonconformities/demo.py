"""Demo events of Usinage Précis du Rhône: every type and every status, costs of
non-quality, immediate actions, accidents with their victims and declarations, a year of
hours worked per site, and corrective actions checked for effectiveness.

Events are created through ``event_create`` (real references from the counter); their
later status is set directly, with the root causes and actions that status implies.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from improvement.choices import ActionOriginKind, ActionStatus, EffectivenessResult
from improvement.factories import ActionFactory
from nonconformities.choices import (
    CauseCategory,
    DetectionMethod,
    EventStatus,
    ReportChannel,
    RequirementKind,
)
from nonconformities.choices import EventType as T
from nonconformities.factories import (
    HoursWorkedFactory,
    PersonFactory,
    ReportingPointFactory,
    RootCauseFactory,
)
from nonconformities.models import CorrectiveActionLink, Event
from qse.tenancy import activate, scope_restored

S = EventStatus

# Hours worked per month: (usual, August). About 140 people at Lyon, 65 at Vienne.
HOURS = {"LYO": (Decimal("12000"), Decimal("7800")), "VIE": (Decimal("5500"), Decimal("3600"))}
# A small monthly spread, so the curve of hours worked does not look flat.
SPREAD = [Decimal(x) for x in ("0", "240", "-180", "310", "-90", "150", "-260", "0", "200", "-120", "60", "-40")]

VICTIMS = {
    "lucas": ("Lucas Bernard", "R-1187", "Régleur sur commande numérique", "LYO", False),
    "sandrine": ("Sandrine Morel", "V-0342", "Magasinière", "VIE", False),
    "thomas": ("Thomas Girard", "R-1402", "Technicien méthodes", "LYO", False),
    "mehdi": ("Mehdi Haddad", "", "Opérateur d'usinage (intérimaire)", "LYO", True),
    "nadia": ("Nadia Benhamou", "V-0219", "Opératrice d'ébavurage", "VIE", False),
}

# key: (type, title, description, days ago, site, process, severity, status, detection, owner)
EVENTS = {
    "eightd": (T.CUSTOMER_COMPLAINT, "Bavures dans l'alésage Ø32 H7 du carter CX-200",
               "Réclamation client : bavures adhérentes en sortie d'alésage, roulement bloqué au montage du "
               "train auxiliaire. 27 pièces non conformes sur 640 livrées.",
               46, "LYO", "R3", 3, S.CLOSED, DetectionMethod.CUSTOMER, "owner"),
    "ishikawa": (T.INTERNAL_NC, "Porosités sur les soudures des bâtis BS-40",
                 "Porosités débouchantes révélées au ressuage sur 6 bâtis de machine spéciale.",
                 21, "VIE", "R3", 3, S.TREATMENT, DetectionMethod.INSPECTION, "owner"),
    "five_whys": (T.INCIDENT, "Coupure superficielle à la main en manipulant une tôle",
                  "Coupure sur le dos de la main en saisissant une tôle découpée, soins à l'infirmerie, "
                  "reprise du travail immédiate.",
                  16, "VIE", "R3", 2, S.TREATMENT, DetectionMethod.OPERATOR, "owner"),
    "a3": (T.INTERNAL_NC, "Hausse du rebut au taraudage M8 (3,1 %)",
           "Le rebut de la ligne de taraudage M8 est passé de 0,8 % à 3,1 % depuis l'été : filets arrachés et "
           "tarauds cassés.",
           62, "LYO", "R3", 2, S.TREATMENT, DetectionMethod.MONITORING, "owner"),
    "anodizing": (T.SUPPLIER_NC, "Épaisseur d'anodisation de 8 µm au lieu de 15 µm",
                  "Contrôle réception : épaisseur mesurée 7 à 9 µm sur le lot de platines PL-12 anodisées.",
                  36, "LYO", "S1", 3, S.VERIFICATION, DetectionMethod.INSPECTION, "manager"),
    "audit_gauges": (T.AUDIT_FINDING, "Instruments de mesure sans vérification à jour au poste 7",
                     "Audit interne EN 9100 : deux micromètres et un tampon lisse au poste 7 sans étiquette de "
                     "vérification valide.",
                     72, "LYO", "S4", 2, S.CLOSED, DetectionMethod.AUDIT, "auditor"),
    "separator": (T.REGULATORY_DEVIATION, "Rejet du séparateur d'hydrocarbures au-dessus du seuil",
                  "Autosurveillance trimestrielle : 8 mg/l d'hydrocarbures en sortie pour 5 mg/l autorisés.",
                  26, "VIE", "S2", 3, S.ANALYSIS, DetectionMethod.MONITORING, "owner"),
    "forklift": (T.NEAR_MISS, "Chariot élévateur passé à moins d'un mètre d'un piéton",
                 "Dans l'allée du magasin, un chariot en marche arrière a frôlé un préparateur qui traversait hors "
                 "du passage piéton.",
                 11, "VIE", "S1", 3, S.ANALYSIS, DetectionMethod.FIELD_REPORT, "manager"),
    "shelf": (T.NEAR_MISS, "Chute d'une pièce de 12 kg depuis une étagère de stockage",
              "Un carter brut posé en bord d'étagère est tombé au sol à côté d'un opérateur.",
              6, "LYO", "R3", 2, S.OPEN, DetectionMethod.OPERATOR, "owner"),
    "cut_tool": (T.WORK_ACCIDENT, "Coupure profonde à l'index lors d'un changement d'outil",
                 "Coupure par la plaquette d'une fraise lors du démontage, sans gant anti-coupure. Sutures aux "
                 "urgences.",
                 41, "LYO", "R3", 3, S.VERIFICATION, DetectionMethod.OPERATOR, "owner"),
    "back": (T.WORK_ACCIDENT, "Lombalgie aiguë en manutention d'un brut de 25 kg",
             "Douleur lombaire en soulevant un brut depuis une palette posée au sol, poste 7.",
             112, "VIE", "R3", 3, S.CLOSED, DetectionMethod.OPERATOR, "owner"),
    "bike": (T.COMMUTING_ACCIDENT, "Chute à vélo sur le trajet domicile-travail (verglas)",
             "Chute sur une plaque de verglas quai Fillon, fracture du poignet.",
             76, "LYO", None, 2, S.OPEN, DetectionMethod.OTHER, "coordinator"),
    "chip_eye": (T.WORK_ACCIDENT, "Projection de copeau dans l'œil sans arrêt de travail",
                 "Copeau projeté lors de la soufflette sur une pièce, lunettes relevées sur le front. Rinçage "
                 "oculaire, avis médical.",
                 1, "LYO", "R3", 2, S.OPEN, DetectionMethod.OPERATOR, "owner"),
    "shoulder": (T.OCCUPATIONAL_DISEASE, "Tendinopathie de l'épaule (tableau 57)",
                 "Maladie professionnelle reconnue par la CPAM : gestes répétés bras levés au poste d'ébavurage.",
                 150, "VIE", "R3", 3, S.ANALYSIS, DetectionMethod.OTHER, "coordinator"),
    "oil_leak": (T.ENVIRONMENTAL_INCIDENT, "Fuite d'huile soluble au pied du centre DMG n° 4",
                 "Environ 40 litres d'émulsion répandus au sol, contenus par absorbants avant le caniveau.",
                 31, "LYO", "S2", 2, S.VERIFICATION, DetectionMethod.OPERATOR, "owner"),
    "late_delivery": (T.CUSTOMER_COMPLAINT, "Retard de livraison de 6 jours sur les biellettes BL-80",
                      "L'équipementier automobile a appliqué les pénalités de retard prévues au contrat.",
                      48, None, "R1", 2, S.TREATMENT, DetectionMethod.CUSTOMER, "manager"),
    "laser_mark": (T.CUSTOMER_COMPLAINT, "Marquage laser illisible sur les supports moteur SM-3",
                   "Le client automobile ne peut pas lire le numéro de lot au scanner sur 60 pièces.",
                   92, "LYO", "R4", 1, S.CLOSED, DetectionMethod.CUSTOMER, "contributor"),
    "tool_wear": (T.INTERNAL_NC, "Cote 45 ±0,02 hors tolérance sur 12 axes",
                  "Dérive progressive de la cote par usure d'outil, détectée au contrôle de fin de série.",
                  9, "LYO", "R3", 2, S.OPEN, DetectionMethod.INSPECTION, "owner"),
    "certificate": (T.SUPPLIER_NC, "Certificat matière 3.1 manquant pour le lot 7075-T6",
                    "Barres d'aluminium 7075-T6 reçues sans certificat 3.1 : lot bloqué en quarantaine.",
                    4, "VIE", "S1", 2, S.OPEN, DetectionMethod.INSPECTION, "manager"),
    "contract_review": (T.AUDIT_FINDING, "Revue de contrat sans analyse de faisabilité documentée",
                        "Audit client : trois commandes aéronautiques acceptées sans trace de l'analyse de "
                        "faisabilité.",
                        52, None, "R1", 2, S.TREATMENT, DetectionMethod.AUDIT, "manager"),
    "labels": (T.INTERNAL_NC, "40 pièces CX-210 étiquetées CX-200",
               "Erreur d'étiquetage détectée avant expédition ; pièces réétiquetées.",
               19, "VIE", "R4", 1, S.TREATMENT, DetectionMethod.INSPECTION, "contributor"),
    "recurrence": (T.INTERNAL_NC, "Bavure résiduelle dans l'alésage Ø32 H7 sur un lot CX-200",
                   "Bavure trouvée au contrôle final sur 2 pièces d'un lot de 80, malgré le contrôle sous loupe.",
                   3, "LYO", "R3", 2, S.OPEN, DetectionMethod.INSPECTION, "owner"),
    "oil_puddle": (T.NEAR_MISS, "Flaque d'huile dans l'allée centrale de l'atelier",
                   "Flaque d'huile de 1 m² devant le centre n° 2, personne n'a glissé.",
                   1, "LYO", None, 2, S.REPORTED, DetectionMethod.FIELD_REPORT, None),
    "extinguisher": (T.INCIDENT, "Extincteur manquant près du local compresseurs",
                     "Le support est vide depuis au moins deux jours.",
                     2, "VIE", None, 2, S.REPORTED, DetectionMethod.FIELD_REPORT, None),
    "lighting": (T.NEAR_MISS, "Éclairage défaillant au quai de chargement",
                 "Deux néons éteints au quai n° 2, on voit mal le bord du quai le soir.",
                 13, "VIE", None, 1, S.REJECTED, DetectionMethod.FIELD_REPORT, None),
}

# The events ``demo_analysis`` analyses (a complete 8D, an Ishikawa, a 5 whys, an A3).
ANALYSED = ("eightd", "ishikawa", "five_whys", "a3")

# Extra fields per event: product, customer or supplier, costs, requirement, accident.
EXTRA = {
    "eightd": {"product": "Carter CX-200 (train auxiliaire)", "third_party": "Aéro-Équipements du Dauphiné",
               "third_party_reference": "RCL-2026-0187", "quantity_affected": 27,
               "requirement_kind": RequirementKind.CUSTOMER,
               "requirement": "Plan 45-220-118 ind. D, note 7 : arêtes ébavurées, aucune bavure adhérente",
               "cost_scrap": "4860", "cost_rework": "2100", "cost_penalties": "3500", "cost_other": "1200"},
    "ishikawa": {"product": "Bâti BS-40", "quantity_affected": 6, "requirement_kind": RequirementKind.STANDARD,
                 "requirement": "NF EN ISO 5817 niveau B", "cost_scrap": "1850", "cost_rework": "3200"},
    "a3": {"product": "Corps de vanne CV-8", "cost_scrap": "9800", "cost_rework": "2400", "cost_downtime": "1800"},
    "anodizing": {"product": "Platine PL-12", "third_party": "Rhône Traitements de Surface",
                  "third_party_reference": "BL 26-4471", "quantity_affected": 300,
                  "requirement_kind": RequirementKind.CUSTOMER, "requirement": "Spécification anodisation SA-02 : 15 µm ± 3",
                  "cost_rework": "1450", "cost_downtime": "600", "cost_other": "350"},
    "audit_gauges": {"requirement_kind": RequirementKind.STANDARD, "requirement": "EN 9100:2018 § 7.1.5.2"},
    "separator": {"requirement_kind": RequirementKind.LEGAL,
                  "requirement": "Arrêté préfectoral ICPE du 12 mars 2019, art. 4.3.2 : hydrocarbures < 5 mg/l",
                  "cost_other": "2800"},
    "oil_leak": {"cost_other": "650", "cost_downtime": "900"},
    "late_delivery": {"product": "Biellette BL-80", "third_party": "Équipementier Auto Lyonnais",
                      "third_party_reference": "CDE 4500081273", "requirement_kind": RequirementKind.CUSTOMER,
                      "requirement": "Contrat cadre, art. 9 : livraison à J ± 1", "cost_penalties": "1500"},
    "laser_mark": {"product": "Support moteur SM-3", "third_party": "Équipementier Auto Lyonnais",
                   "quantity_affected": 60, "cost_rework": "380"},
    "tool_wear": {"product": "Axe AX-45", "quantity_affected": 12, "cost_scrap": "960"},
    "certificate": {"product": "Barre 7075-T6 Ø60", "third_party": "Métaux Alpes Distribution",
                    "requirement_kind": RequirementKind.CUSTOMER, "requirement": "EN 10204 type 3.1 exigé"},
    "contract_review": {"requirement_kind": RequirementKind.STANDARD, "requirement": "EN 9100:2018 § 8.2.3"},
    "labels": {"product": "Carter CX-210", "quantity_affected": 40, "cost_rework": "120"},
    "recurrence": {"product": "Carter CX-200", "quantity_affected": 2, "cost_rework": "90"},
    "oil_puddle": {"detected_by_name": "Opérateur de l'équipe de nuit"},
    "extinguisher": {"detected_by_name": "Visiteur", "reporter_contact": "06 12 34 56 78"},
    "lighting": {"detected_by_name": "Cariste"},
}

# key: (victim, lost time, days lost, declared after n days or None)
ACCIDENTS = {
    "cut_tool": ("lucas", True, 12, 1),
    "back": ("sandrine", True, 21, 4),  # declared late: 4 days after the accident
    "bike": ("thomas", True, 5, 1),
    "chip_eye": ("mehdi", False, 0, None),  # yesterday: the declaration is still due
    "shoulder": ("nadia", True, 45, None),
}

IMMEDIATE = {
    "shelf": "Pièces rangées au centre des étagères, bords dégagés",
    "anodizing": "Lot PL-12 bloqué en quarantaine, fournisseur informé par téléphone",
    "cut_tool": "Premiers soins puis transport aux urgences par le sauveteur secouriste",
    "back": "Prise en charge par l'infirmière, poste arrêté",
    "chip_eye": "Rinçage oculaire au poste de lavage, avis du médecin du travail",
    "oil_leak": "Absorbants posés, caniveau obturé, émulsion pompée",
    "late_delivery": "Livraison partielle en express, client informé",
    "laser_mark": "Tri et remarquage des 60 pièces sur le site client",
    "tool_wear": "Série arrêtée, outil changé, 100 % des pièces contrôlées",
    "certificate": "Lot 7075-T6 en quarantaine, certificat demandé au fournisseur",
    "labels": "Pièces réétiquetées et recontrôlées avant expédition",
    "recurrence": "Lot bloqué et trié sous loupe × 10",
    "separator": "Vidange et curage du séparateur, nouvelle analyse demandée",
    "forklift": "Rappel immédiat des règles de circulation au cariste et au préparateur",
}

# Root causes and actions of the events whose status implies them (the four analysed
# events get theirs from ``demo_analysis``). (category, cause, action, owner, due in days)
TREATED = {
    "anodizing": (CauseCategory.MEASUREMENT, "Le fournisseur mesure l'épaisseur sur une seule pièce par lot",
                  "Exiger un plan de contrôle fournisseur à 5 pièces par bain", "manager", -10),
    "audit_gauges": (CauseCategory.MEASUREMENT, "Instruments personnels non enregistrés dans le parc de métrologie",
                     "Inventorier et étiqueter les instruments personnels", "auditor", -40),
    "cut_tool": (CauseCategory.METHOD, "Le mode opératoire de changement d'outil ne prescrit pas les gants",
                 "Réviser le MO de changement d'outil et fournir des gants anti-coupure au poste", "owner", -12),
    "back": (CauseCategory.ENVIRONMENT, "Bruts livrés sur palette au sol, sans table élévatrice",
             "Installer une table élévatrice au poste 7", "owner", -60),
    "oil_leak": (CauseCategory.MACHINE, "Flexible de la pompe d'arrosage fissuré, non inspecté",
                 "Ajouter l'inspection des flexibles au plan de maintenance préventive", "owner", -5),
    "late_delivery": (CauseCategory.METHOD, "Capacité du centre n° 6 non vérifiée à l'acceptation de la commande",
                      "Intégrer la charge machine à la revue de contrat", "manager", 20),
    "laser_mark": (CauseCategory.MACHINE, "Puissance du laser réduite après remplacement de la lentille",
                   "Ajouter un contrôle de lisibilité au scanner en début de série", "contributor", -50),
    "contract_review": (CauseCategory.METHOD, "Formulaire de revue de contrat sans rubrique faisabilité",
                        "Ajouter l'analyse de faisabilité au formulaire de revue de contrat", "manager", 15),
}


def seed_events(*, membership, users, sites, processes, today) -> None:
    """The demo register, then the analyses (``demo_analysis``) on four of its events."""
    from nonconformities.demo_analysis import seed_analysis

    with scope_restored():
        activate(membership)
        _hours_worked(membership.organization, sites, today)
        _reporting_points(membership.organization, sites)
        people = {key: _person(membership.organization, sites, *row) for key, row in VICTIMS.items()}
        events = {key: _event(key, row, membership.user, users, sites, processes, people, today)
                  for key, row in EVENTS.items()}
        _treat(membership, users, events, today)
        Event.objects.filter(pk=events["recurrence"].pk).update(recurrence_of=events["eightd"])
    seed_analysis(membership=membership, users=users, events=events, today=today)
    with scope_restored():
        activate(membership)
        for key in ANALYSED:  # their analysis is done: on to the status the demo shows
            _set_status(events[key], EVENTS[key][7], today, EVENTS[key][3])


def _hours_worked(organization, sites, today):
    """The twelve complete months before the current one, for every site."""
    month = today.replace(day=1)
    for index in range(12):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        for code, (usual, august) in HOURS.items():
            base = august if month.month == 8 else usual
            scale = Decimal(1) if code == "LYO" else Decimal("0.45")
            HoursWorkedFactory(organization=organization, site=sites[code], month=month,
                               hours=base + SPREAD[index] * scale)


def _reporting_points(organization, sites):
    """The QR codes posted in the workshops (the demo's tokens are fixed, so the README can link one)."""
    for code, label, token in (("LYO", "Atelier usinage 5 axes", "demo-lyon-usinage"),
                               ("LYO", "Magasin et expédition", "demo-lyon-magasin"),
                               ("VIE", "Atelier traitement de surface", "demo-vienne-traitement")):
        ReportingPointFactory(organization=organization, site=sites[code], label=label, token=token)


def _person(organization, sites, full_name, number, job, site, temporary):
    return PersonFactory(organization=organization, full_name=full_name, employee_number=number, job_title=job,
                         site=sites[site], is_temporary_worker=temporary)


def _event(key, row, coordinator, users, sites, processes, people, today):
    from nonconformities.services import event_create, immediate_action_create

    event_type, title, description, days, site, process, severity, status, method, owner = row
    occurred_on = today - datetime.timedelta(days=days)
    occurred_at = timezone.make_aware(datetime.datetime.combine(occurred_on, datetime.time(9 + days % 8, 15)))
    data = {
        "event_type": event_type, "title": title, "description": description, "occurred_at": occurred_at,
        "detected_on": occurred_on, "site": sites.get(site), "process": processes.get(process),
        "severity": severity, "detection_method": method, "owner": users.get(owner) if owner else None,
        **EXTRA.get(key, {}),
    }
    if key in ACCIDENTS:
        victim, lost_time, days_lost, declared_after = ACCIDENTS[key]
        data.update(victim=people[victim], lost_time=lost_time, days_lost=days_lost,
                    declared_on=occurred_on + datetime.timedelta(days=declared_after) if declared_after else None)
    public = status in (S.REPORTED, S.REJECTED)
    channel = ReportChannel.PUBLIC_FORM if public else ReportChannel.APP
    event = event_create(acting_user=None if public else coordinator, data=data, channel=channel, today=occurred_on)
    if key in ANALYSED:
        status = S.ANALYSIS  # the analysis is seeded next, on an event under analysis
    if key in IMMEDIATE:
        immediate_action_create(event=event, acting_user=coordinator, data={
            "description": IMMEDIATE[key], "done_by": users.get(owner) or coordinator,
            "done_at": occurred_at + datetime.timedelta(hours=1)})
    return _set_status(event, status, today, days)


def _set_status(event, status, today, days):
    if status in (S.OPEN, S.REPORTED):
        return event
    changes = {"status": status}
    if status == S.CLOSED:
        changes["closed_on"] = today - datetime.timedelta(days=max(days // 4, 2))
    if status == S.REJECTED:
        changes["rejection_reason"] = "Doublon de la demande de maintenance DI-2026-311, déjà traitée."
    Event.objects.filter(pk=event.pk).update(**changes)
    event.refresh_from_db()
    return event


def _treat(membership, users, events, today):
    """Root causes and corrective actions as each event's status implies them."""
    content_type = ContentType.objects.get_for_model(Event)
    for key, (category, cause, title, owner, due) in TREATED.items():
        event = events[key]
        root_cause = RootCauseFactory(organization=membership.organization, event=event, category=category,
                                      description=cause)
        done = event.status in (S.VERIFICATION, S.CLOSED)
        effective = event.status == S.CLOSED
        due_on = today + datetime.timedelta(days=due)
        action = ActionFactory(
            organization=membership.organization, title=title, owner=users[owner], process=event.process,
            site=event.site, due_on=due_on, start_on=min(due_on, today) - datetime.timedelta(days=20),
            status=ActionStatus.DONE if done else ActionStatus.IN_PROGRESS, progress=100 if done else 40,
            done_on=due_on if done else None, origin_kind=ActionOriginKind.NONCONFORMITY,
            origin_type=content_type, origin_id=event.pk,
            effectiveness_criterion="Aucune récurrence sur 3 mois",
            effectiveness_result=EffectivenessResult.EFFECTIVE if effective else "",
            effectiveness_checked_on=today - datetime.timedelta(days=3) if effective else None,
            effectiveness_checked_by=users["coordinator"] if effective else None,
            effectiveness_comment="Vérifié sur les enregistrements des trois derniers mois" if effective else "",
        )
        CorrectiveActionLink.objects.create(organization=membership.organization, event=event, action=action,
                                            root_cause=root_cause, created_by=membership.user)
    labels = events["labels"]  # minor: treated without root-cause analysis
    ActionFactory(
        organization=membership.organization, title="Ajouter le contrôle de l'étiquette au scanner avant emballage",
        owner=users["contributor"], process=labels.process, site=labels.site,
        due_on=today + datetime.timedelta(days=10), status=ActionStatus.PLANNED,
        origin_kind=ActionOriginKind.NONCONFORMITY, origin_type=content_type, origin_id=labels.pk,
        effectiveness_criterion="Aucune erreur d'étiquetage sur 3 mois",
    )
