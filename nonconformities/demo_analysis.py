"""Demo analyses, written through the services (so the history is real): a complete 8D
closed at D8 on a customer complaint from an aircraft equipment maker, an Ishikawa with a
dozen causes, a 5 whys with two branches, and an A3."""

from __future__ import annotations

import datetime

from improvement.choices import ActionStatus, EffectivenessResult, Priority
from improvement.services import action_record_effectiveness, action_transition
from nonconformities import services_analysis as services
from nonconformities.choices import CauseCategory as C
from nonconformities.models import ActionPurpose
from qse.tenancy import activate, scope_restored


def _days(today: datetime.date, n: int) -> datetime.date:
    return today - datetime.timedelta(days=n)


def seed_analysis(*, membership, users, events: dict, today) -> None:
    """Seed the analyses of the demo events (keys "eightd", "ishikawa", "five_whys", "a3");
    a missing key is skipped."""
    seeds = {"eightd": _eightd, "ishikawa": _ishikawa, "five_whys": _five_whys, "a3": _a3}
    with scope_restored():
        activate(membership)
        for key, seed in seeds.items():
            if events.get(key) is not None:
                seed(membership.user, users, events[key], today)


def _user(users, *names):
    return next((users[name] for name in names if name in users), None)


def _why_chain(user, event, chain, parent=None):
    """Add a chain of (question, answer) and return its last step."""
    for question, answer in chain:
        parent = services.why_step_add(acting_user=user, event=event, parent=parent, question=question, answer=answer)
    return parent


def _action(user, cause, owner, today, *, title, deliverable, due, purpose=ActionPurpose.CORRECTIVE,
            done=None, effective=None, criterion="Aucune récurrence sur 3 mois de livraisons"):
    link = services.corrective_action_create(
        acting_user=user, root_cause=cause, purpose=purpose,
        data={"title": title, "deliverable": deliverable, "owner": owner, "due_on": _days(today, due), "start_on": None, "priority": Priority.HIGH, "effectiveness_criterion": criterion},
    )
    action = link.action
    if done is not None:
        action = action_transition(action=action, acting_user=user, to_status=ActionStatus.DONE, today=_days(today, done))
    if effective is not None:
        action_record_effectiveness(action=action, acting_user=user, result=EffectivenessResult.EFFECTIVE,
                                    checked_on=_days(today, effective),
                                    comment="Vérifié sur les enregistrements de contrôle et les retours client")
    return link


def _advance(user, eightd, today, days_ago):
    return services.eightd_advance(eightd=eightd, acting_user=user, today=_days(today, days_ago))


def _update(user, eightd, **data):
    return services.eightd_update(eightd=eightd, acting_user=user, data=data)


def _eightd(user, users, event, today):
    """8D closed at D8: burrs left in the Ø32 H7 bore of a gearbox housing, found by the customer."""
    # The coordinator verifies effectiveness, so the quality actions belong to someone else.
    owner, quality = _user(users, "owner", "coordinator"), _user(users, "auditor", "owner", "coordinator")
    team = [u for u in (_user(users, "coordinator"), _user(users, "auditor"), _user(users, "contributor")) if u]
    eightd = services.eightd_start(
        acting_user=user, event=event, champion=_user(users, "manager", "coordinator"), leader=owner, team=team,
        external_members="M. Laurent (SQA client), Mme Petit (acheteuse client)",
    )
    eightd = _update(user, eightd, emergency_response=(
        "Information du client sous 24 h ; blocage des 3 lots en stock (412 carters) et des 2 lots en transit ; "
        "tri à 100 % sous loupe ×10 sur le site client par deux techniciens qualité."))
    eightd = _advance(user, eightd, today, 41)
    eightd = _advance(user, eightd, today, 40)
    eightd = _update(user, eightd, problem_what=(
        "EST : bavure adhérente (0,1 à 0,4 mm) en sortie de l'alésage Ø32 H7 du carter CX-200, côté face B. "
        "N'EST PAS : sur l'alésage Ø18, ni côté face A, ni sur la référence CX-180 usinée sur la même machine."),
        problem_where="Centre d'usinage DMU 65 n° 3, opération 40 (alésage finition), atelier Lyon.",
        problem_when="Lots fabriqués du 2 au 16 octobre, après le changement de l'outil d'alésage du 1er octobre.",
        problem_who="Détecté par le client au montage du palier (réception ligne d'assemblage train auxiliaire).",
        problem_how_many="27 pièces non conformes sur 640 livrées (4,2 %) ; 9 sur 412 en stock après tri.",
        problem_how="Blocage du roulement au montage ; constat visuel et au toucher par l'opérateur client.")
    eightd = _advance(user, eightd, today, 38)
    eightd = _update(user, eightd, containment_summary=(
        "Tri à 100 % des stocks et des en-cours (1 052 pièces, 36 NC isolées et ébavurées) ; contrôle renforcé "
        "sous loupe ×10 de chaque pièce avant expédition ; étiquette « contrôle renforcé 8D-2026-014 » sur les lots."),
        containment_verified_on=_days(today, 36))
    eightd = _advance(user, eightd, today, 36)
    # D4: the 5 whys, the Ishikawa diagram, the root causes validated with their evidence.
    last = _why_chain(user, event, [
        ("Pourquoi le roulement se bloque-t-il au montage ?", "Une bavure réduit le diamètre en sortie d'alésage"),
        ("Pourquoi une bavure en sortie d'alésage ?", "L'outil d'alésage coupe mal en fin de passe"),
        ("Pourquoi l'outil coupe-t-il mal ?", "Il a dépassé sa durée de vie (1 150 pièces pour 800 prévues)"),
        ("Pourquoi a-t-il dépassé sa durée de vie ?", "Le compteur de vie outil a été désactivé au changement d'outil"),
    ])
    machine = services.why_step_mark_root_cause(step=last, acting_user=user, category=C.MACHINE,
                                                description="Compteur de vie de l'outil d'alésage désactivé "
                                                "lors du changement d'outil : l'outil a dépassé sa durée de vie.")
    escape_step = _why_chain(user, event, [
        ("Pourquoi la bavure n'a-t-elle pas été détectée chez nous ?", "Le contrôle final est visuel, sans loupe"),
    ])
    escape = services.why_step_mark_root_cause(step=escape_step, acting_user=user, category=C.MEASUREMENT,
                                               description="Contrôle final visuel sans grossissement : une bavure "
                                               "de moins de 0,5 mm n'est pas vue.")
    services.root_cause_update(root_cause=escape, acting_user=user, data={"is_escape_point": True})
    for text, category in (("Mode opératoire de changement d'outil sans étape de réactivation du compteur", C.METHOD),
                           ("Intérimaire non formé au paramétrage de la gestion d'outils", C.MANPOWER),
                           ("Lot matière en limite haute de dureté", C.MATERIAL)):
        services.ishikawa_cause_add(acting_user=user, event=event, category=category, text=text)
    machine = services.root_cause_validate(root_cause=machine, acting_user=user, today=_days(today, 31), evidence=(
        "Essai de reproduction : outil à 1 100 pièces → bavure sur 5 pièces sur 5 ; outil neuf → 0 sur 30."))
    escape = services.root_cause_validate(root_cause=escape, acting_user=user, today=_days(today, 31), evidence=(
        "Test de détection : 10 pièces à bavure mélangées à 40 bonnes, 3 contrôleurs, 4 bavures vues sur 10."))
    eightd = _update(user, eightd, escape_point=(
        "Contrôle final (opération 90) : contrôle visuel à l'œil nu, pas de critère d'acceptation des bavures "
        "dans la gamme de contrôle."))
    eightd = _advance(user, eightd, today, 30)
    actions = [
        _action(user, machine, owner, today, title="Verrouiller le compteur de vie outil (droits administrateur)",
                deliverable="Paramètre machine verrouillé, capture d'écran", due=20, done=22, effective=4),
        _action(user, machine, owner, today, title="Ajouter la réactivation du compteur au mode opératoire de "
                "changement d'outil", deliverable="MO-USI-012 indice C diffusé", due=18, done=21, effective=4),
        _action(user, escape, quality, today, title="Contrôle des arêtes sous loupe ×10 au contrôle final",
                deliverable="Gamme de contrôle GC-CX200 indice F, loupes aux postes", due=19, done=20, effective=3),
        _action(user, machine, quality, today, purpose=ActionPurpose.PREVENTIVE,
                title="Étendre le verrouillage aux 6 autres centres d'usinage",
                deliverable="Liste des machines vérifiées", due=16, done=16, effective=3),
    ]
    eightd = _update(user, eightd, chosen_actions_rationale=(
        "Le verrouillage supprime la cause (le compteur ne peut plus être désactivé) ; le contrôle sous loupe "
        "ferme le point d'échappement. Vérifiées par essai avant déploiement."))
    eightd = _advance(user, eightd, today, 28)
    eightd = _update(user, eightd, implementation_validation=(
        "Mis en place du 10 au 15 novembre. Validation : 3 lots consécutifs (1 920 pièces) sans bavure au "
        "contrôle sous loupe ; aucune réclamation client depuis."))
    eightd = _advance(user, eightd, today, 14)
    eightd = _update(user, eightd, recurrence_prevention=(
        "AMDEC processus usinage mise à jour (mode de défaillance « outil hors durée de vie », G8 O2 D3) ; plan de "
        "surveillance CX-200 et CX-180 révisé ; verrouillage étendu à tout le parc ; formation des régleurs."),
        lessons_learned="Un paramètre de sécurité machine ne doit jamais être modifiable sans droit administrateur.")
    eightd = _advance(user, eightd, today, 10)
    eightd = _update(user, eightd, congratulation=(
        "Merci à l'équipe usinage et au laboratoire pour la reproduction du défaut en 48 h. 8D présenté au client "
        "le 20 novembre et accepté."))
    _advance(user, eightd, today, 2)
    return actions


def _ishikawa(user, users, event, today):
    """A dozen causes on the 6 bones, sub-causes, two retained and validated, one action."""
    causes = {
        C.METHOD: ["Gamme de soudage sans paramètres de préchauffage", "Pas d'instruction pour les pièces épaisses"],
        C.MACHINE: ["Poste de soudage MIG de 2009, régulation instable", "Torche usée (buse déformée)"],
        C.MANPOWER: ["Soudeur non qualifié sur acier S355 épaisseur 20", "Équipe de nuit sans référent"],
        C.MATERIAL: ["Fil d'apport stocké à l'humidité", "Tôles avec calamine non meulée"],
        C.MEASUREMENT: ["Ressuage fait par sondage (1 pièce sur 10)", "Critères d'acceptation non affichés"],
        C.ENVIRONMENT: ["Courants d'air près de la porte du quai", "Température de l'atelier à 8 °C en hiver"],
    }
    made = {}
    for category, texts in causes.items():
        for text in texts:
            made[text] = services.ishikawa_cause_add(acting_user=user, event=event, category=category, text=text)
    for parent, text in (("Fil d'apport stocké à l'humidité", "Étuve de stockage en panne depuis septembre"),
                         ("Soudeur non qualifié sur acier S355 épaisseur 20", "Plan de qualification non suivi"),
                         ("Température de l'atelier à 8 °C en hiver", "Chauffage coupé la nuit")):
        made[text] = services.ishikawa_cause_add(acting_user=user, event=event, parent=made[parent], text=text)
    retained = services.ishikawa_cause_retain(cause=made["Étuve de stockage en panne depuis septembre"],
                                              acting_user=user)
    services.root_cause_validate(root_cause=retained, acting_user=user, today=_days(today, 5), evidence=(
        "Mesure d'humidité du fil : 0,9 % (limite 0,3 %) ; soudures d'essai avec fil étuvé sans porosité."))
    second = services.ishikawa_cause_retain(cause=made["Ressuage fait par sondage (1 pièce sur 10)"],
                                            acting_user=user)
    services.root_cause_validate(root_cause=second, acting_user=user, today=_days(today, 5), evidence=(
        "Revue des 40 derniers lots : défaut présent sur des pièces non contrôlées de 6 lots."))
    _action(user, retained, _user(users, "owner", "coordinator"), today, title="Réparer l'étuve et tracer sa "
            "température", deliverable="Enregistreur de température installé", due=-10)
    _action(user, second, _user(users, "coordinator"), today, title="Ressuage à 100 % des soudures de classe B",
            deliverable="Gamme de contrôle révisée", due=-20, purpose=ActionPurpose.CORRECTIVE)


def _five_whys(user, users, event, today):
    """A 5 whys with two branches, each ending on a root cause."""
    third = _why_chain(user, event, [
        ("Pourquoi l'opérateur s'est-il coupé ?", "Il a saisi la tôle sans gants anti-coupure"),
        ("Pourquoi sans gants ?", "Les gants de sa taille manquaient au distributeur"),
    ])
    end_a = _why_chain(user, event, [
        ("Pourquoi manquaient-ils ?", "Le réapprovisionnement se fait une fois par mois"),
        ("Pourquoi une fois par mois ?", "Aucun seuil de commande n'est défini pour les EPI"),
    ], parent=third)
    end_b = _why_chain(user, event, [
        ("Pourquoi a-t-il continué sans gants ?", "Il pensait la tâche trop courte pour être dangereuse"),
        ("Pourquoi le pensait-il ?", "L'accueil sécurité ne présente pas le risque de coupure des tôles"),
    ], parent=third)
    first = services.why_step_mark_root_cause(step=end_a, acting_user=user, category=C.METHOD,
                                              description="Pas de seuil de réapprovisionnement des EPI")
    services.why_step_mark_root_cause(step=end_b, acting_user=user, category=C.MANPOWER,
                                      description="Risque de coupure absent de l'accueil sécurité")
    first = services.root_cause_validate(root_cause=first, acting_user=user, today=_days(today, 3), evidence=(
        "Relevé du distributeur : rupture 9 jours sur 30 en octobre."))
    _action(user, first, _user(users, "owner", "coordinator"), today, title="Définir un seuil de commande "
            "automatique des EPI", deliverable="Seuils paramétrés dans l'ERP", due=-15,
            criterion="Aucune rupture d'EPI sur 3 mois")


def _a3(user, users, event, today):
    """An A3 with every box filled, on an event with a short analysis and two actions."""
    services.a3_create(acting_user=user, event=event, data={
        "owner": _user(users, "owner", "coordinator"),
        "background": "Le taux de rebut de la ligne de taraudage M8 est passé de 0,8 % à 3,1 % depuis l'été, "
                      "soit 14 k€ de non-qualité sur le trimestre.",
        "current_state": "Rebut concentré sur l'équipe de l'après-midi (72 %) et sur les tarauds de la marque B. "
                         "Filets arrachés à 80 %, cassures de taraud à 20 %. Pas d'indicateur suivi au poste.",
        "goal": "Revenir sous 1 % de rebut d'ici fin février et le tenir 3 mois.",
        "analysis": "Diagramme d'Ishikawa en atelier (8 participants) puis 5 pourquoi sur les deux causes "
                    "principales ; essais comparatifs des tarauds sur 200 pièces.",
        "countermeasures": "1. Revenir aux tarauds de la marque A (essai : 0 arrachement sur 200 trous).\n"
                           "2. Lubrification par micro-pulvérisation réglée et verrouillée.\n"
                           "3. Indicateur de rebut affiché au poste, revue quotidienne de 5 minutes.",
        "plan": "Les actions sont suivies dans le plan d'actions de l'événement.",
        "follow_up": "Suivi hebdomadaire du taux de rebut en réunion de production ; revue à 3 mois avec le "
                     "responsable qualité.",
    })
    services.ishikawa_cause_add(acting_user=user, event=event, category=C.MATERIAL,
                                text="Tarauds de la marque B moins tenaces")
    cause = services.ishikawa_cause_add(acting_user=user, event=event, category=C.METHOD,
                                        text="Lubrification irrégulière")
    root = services.ishikawa_cause_retain(cause=cause, acting_user=user)
    root = services.root_cause_validate(root_cause=root, acting_user=user, today=_days(today, 6),
                                        evidence="Essai avec lubrification réglée : rebut 0,4 % sur 500 pièces.")
    _action(user, root, _user(users, "owner", "coordinator"), today, title="Régler et verrouiller la "
            "micro-pulvérisation", deliverable="Réglage validé, fiche de poste", due=1, done=1)
    _action(user, root, _user(users, "coordinator"), today, title="Afficher l'indicateur de rebut au poste",
            deliverable="Tableau au poste", due=-12)
