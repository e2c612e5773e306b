"""The demo's management reviews (issue 13): last year's review with its decisions turned into
actions, the demo year's review held with comments and decisions, and a process review of
production. Called at the end of ``qse.demo`` once every module has its figures."""

from __future__ import annotations

import datetime

from improvement import services_review
from improvement.models import ManagementReview
from qse.standards import Standard

ALL_STANDARDS = [Standard.ISO_9001_2015, Standard.ISO_14001_2015, Standard.ISO_45001_2018]
ATTENDEES = ("Claire Martin, directrice générale\nJulien Bernard, coordinateur QSE\nSophie Petit, responsable "
             "production\nMarc Durand, responsable achats\nNadia Lefèvre, représentante du CSE")
COMMENTS = {
    "context.issues": "La hausse du prix de l'énergie reste l'enjeu externe majeur ; la SWOT a été revue en juin.",
    "nonconformities.nonconformities": "Les bavures d'alésage (8D-2026-014) pèsent la moitié du coût de non-qualité.",
    "nonconformities.incidents": "TF en baisse mais deux accidents avec arrêt en atelier presses : priorité SST 2027.",
    "objectives.monitoring": "Le taux de rebut reste au-dessus de la cible ; la consommation électrique suit le plan.",
    "compliance.evaluation": "Deux écarts sur le registre des déchets, actions en cours.",
}
DECISIONS = [
    ("resources", "Recruter un technicien méthodes pour l'usinage", "owner", 120, True),
    ("improvement", "Déployer le SMED sur les presses P10 à P14", "owner", 180, True),
    ("system_change", "Intégrer la gestion des déchets au processus Maintenance", "coordinator", 90, False),
    ("objectives", "Plan de réduction du taux de rebut CX-200 (objectif non atteint)", "manager", 150, True),
]


def _act(review, membership, category, text, owner, due_on, communicated):
    return services_review.review_decision_create(review=review, acting_user=membership.user, data={
        "category": category, "text": text, "owner": owner, "due_on": due_on, "communicated_to_workers": communicated})


def _previous_review(membership, users, today) -> ManagementReview:
    """Last year's review, held and closed, whose decisions are this year's first input."""
    year = today.year - 1
    review = ManagementReview.objects.create(
        organization=membership.organization, created_by=membership.user, title=f"Revue de direction {year}",
        period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31), standards=ALL_STANDARDS,
        held_on=datetime.date(year + 1, 1, 15), attendees=ATTENDEES, minutes="Revue annuelle tenue en comité de direction.",
    )
    review = services_review.review_collect_inputs(review=review, acting_user=membership.user)
    _act(review, membership, "improvement", "Former les régleurs au changement rapide d'outils", users["owner"],
         datetime.date(year + 1, 4, 30), True)
    _act(review, membership, "resources", "Équiper l'atelier d'un second bras de mesure tridimensionnelle",
         users["auditor"], datetime.date(year + 1, 9, 30), False)
    review = services_review.review_advance(review=review, acting_user=membership.user, to_status="held")
    return services_review.review_advance(review=review, acting_user=membership.user, to_status="closed")


def _year_review(membership, users, today) -> ManagementReview:
    review = ManagementReview.objects.create(
        organization=membership.organization, created_by=membership.user, title=f"Revue de direction {today.year}",
        period_start=datetime.date(today.year, 1, 1), period_end=today, standards=ALL_STANDARDS, held_on=today,
        attendees=ATTENDEES,
        minutes=("La direction confirme la pertinence, l'adéquation et l'efficacité du système QSE.\n\n"
                 "Priorités 2027 : réduction du rebut CX-200, prévention du bruit en atelier presses, énergie."),
    )
    review = services_review.review_collect_inputs(review=review, acting_user=membership.user)
    for item in review.inputs.filter(section_key__in=COMMENTS):
        services_review.review_input_comment(review_input=item, acting_user=membership.user,
                                             comment=COMMENTS[item.section_key])
    services_review.review_decision_create(review=review, acting_user=membership.user, data={
        "category": "conclusion", "text": "Le système de management QSE reste pertinent, adéquat et efficace.",
        "communicated_to_workers": True})
    for category, text, owner, days, communicated in DECISIONS:
        _act(review, membership, category, text, users[owner], today + datetime.timedelta(days=days), communicated)
    return services_review.review_advance(review=review, acting_user=membership.user, to_status="held")


def _process_review(membership, users, processes, today) -> ManagementReview:
    review = ManagementReview.objects.create(
        organization=membership.organization, created_by=membership.user, kind="process", process=processes["R3"],
        title=f"Revue du processus Usinage et production {today.year}",
        period_start=datetime.date(today.year, 1, 1), period_end=today, standards=[Standard.ISO_9001_2015],
        attendees="Sophie Petit, pilote du processus\nJulien Bernard, coordinateur QSE",
    )
    return services_review.review_collect_inputs(review=review, acting_user=membership.user)


def seed_reviews(*, membership, users, processes, today: datetime.date) -> None:
    """The three demo reviews, as the coordinator (``membership`` active)."""
    from qse.tenancy import activate, scope_restored

    with scope_restored():
        activate(membership)
        _previous_review(membership, users, today)
        _year_review(membership, users, today)
        _process_review(membership, users, processes, today)
