"""Demo checklist of the audit in progress, called by the coordinator after the audits demo:
30 questions (ISO 9001 and 45001, written by us) when it has none, answers on half of them, and
the audit prepared for the lead auditor's tablet. Deterministic (no clock but ``now``), bulk."""

from __future__ import annotations

import datetime

from audits.choices import AnswerResult, AuditStatus, QuestionSource
from audits.models import Audit, AuditAnswer, AuditLease, AuditQuestion

QUESTIONS = (
    ("iso9001:2015", "4.1", "Les enjeux externes et internes sont-ils revus au moins une fois par an ?"),
    ("iso9001:2015", "4.2", "Les attentes des parties intéressées sont-elles tenues à jour ?"),
    ("iso9001:2015", "4.4", "Les processus de l'atelier ont-ils un pilote et des indicateurs ?"),
    ("iso9001:2015", "5.1", "La direction participe-t-elle à la revue des indicateurs ?"),
    ("iso9001:2015", "5.2", "La politique qualité est-elle affichée et comprise au poste ?"),
    ("iso9001:2015", "5.3", "Les responsabilités du chef d'équipe sont-elles écrites ?"),
    ("iso9001:2015", "6.1", "Les risques du processus sont-ils évalués et suivis ?"),
    ("iso9001:2015", "6.2", "Les objectifs de l'atelier sont-ils mesurables et suivis ?"),
    ("iso9001:2015", "7.1.3", "Les machines sont-elles entretenues selon le plan de maintenance ?"),
    ("iso9001:2015", "7.1.4", "L'environnement de travail (propreté, éclairage) est-il maîtrisé ?"),
    ("iso9001:2015", "7.1.5", "Les instruments de mesure sont-ils étalonnés et identifiés ?"),
    ("iso9001:2015", "7.2", "Les opérateurs sont-ils habilités pour les postes qu'ils tiennent ?"),
    ("iso9001:2015", "7.3", "Les opérateurs connaissent-ils les conséquences d'une non-conformité ?"),
    ("iso9001:2015", "7.5", "Les gammes et plans au poste sont-ils à la bonne version ?"),
    ("iso9001:2015", "8.1", "La planification de la production tient-elle compte des capacités ?"),
    ("iso9001:2015", "8.2", "Les exigences du client sont-elles revues avant acceptation ?"),
    ("iso9001:2015", "8.4", "Les sous-traitants sont-ils évalués et suivis ?"),
    ("iso9001:2015", "8.5.1", "Les contrôles en cours de production sont-ils enregistrés ?"),
    ("iso9001:2015", "8.5.2", "La traçabilité des lots est-elle assurée de la matière au produit ?"),
    ("iso9001:2015", "8.5.4", "Les pièces sont-elles protégées pendant le stockage et le transport ?"),
    ("iso9001:2015", "8.6", "La libération des produits est-elle autorisée par une personne désignée ?"),
    ("iso9001:2015", "8.7", "Les pièces non conformes sont-elles identifiées et isolées ?"),
    ("iso9001:2015", "9.1", "Les indicateurs du processus sont-ils analysés chaque mois ?"),
    ("iso9001:2015", "10.2", "Les actions correctives sont-elles suivies jusqu'à leur efficacité ?"),
    ("iso45001:2018", "6.1.2", "Les dangers des postes sont-ils identifiés dans le document unique ?"),
    ("iso45001:2018", "7.4", "Les consignes de sécurité sont-elles affichées aux postes ?"),
    ("iso45001:2018", "8.1.2", "Les protecteurs des machines sont-ils en place et fonctionnels ?"),
    ("iso45001:2018", "8.1.2", "Les équipements de protection individuelle sont-ils portés ?"),
    ("iso45001:2018", "8.2", "Les moyens d'intervention d'urgence sont-ils accessibles et vérifiés ?"),
    ("iso45001:2018", "10.2", "Les presqu'accidents sont-ils déclarés et analysés ?"),
)
RESULTS = (
    AnswerResult.CONFORMING, AnswerResult.CONFORMING, AnswerResult.OBSERVATION, AnswerResult.CONFORMING,
    AnswerResult.MINOR_NC, AnswerResult.CONFORMING, AnswerResult.IMPROVEMENT, AnswerResult.CONFORMING,
    AnswerResult.NOT_APPLICABLE, AnswerResult.CONFORMING, AnswerResult.MAJOR_NC, AnswerResult.CONFORMING,
    AnswerResult.CONFORMING, AnswerResult.OBSERVATION, AnswerResult.CONFORMING,
)
COMMENTS = {
    AnswerResult.MINOR_NC: "Deux fiches d'habilitation non signées au poste tournage.",
    AnswerResult.MAJOR_NC: "Micromètre n° 12 en service avec un étalonnage échu depuis 3 mois.",
    AnswerResult.OBSERVATION: "Affichage à jour mais difficile à lire depuis le poste.",
    AnswerResult.IMPROVEMENT: "Le tableau d'indicateurs pourrait montrer la tendance sur 12 mois.",
}


def answer_first_questions(audit: Audit, *, now: datetime.datetime) -> None:
    """Answer the first questions of ``audit``'s checklist (a walk half done), in bulk."""
    questions = list(AuditQuestion.objects.filter(audit=audit).order_by("position", "pk")[:len(RESULTS)])
    AuditAnswer.objects.bulk_create([
        AuditAnswer(organization_id=audit.organization_id, question=question, result=result,
                    comment=COMMENTS.get(result, ""),
                    evidence="Visite du poste et entretien avec le chef d'équipe." if index % 3 == 0 else "",
                    score=None if result == AnswerResult.NOT_APPLICABLE else (100 if result == AnswerResult.CONFORMING else 60),
                    answered_by=audit.lead_auditor, answered_at=now - datetime.timedelta(hours=2, minutes=index * 4))
        for index, (question, result) in enumerate(zip(questions, RESULTS, strict=False))
    ])


def seed_offline_checklist(*, organization, now: datetime.datetime) -> Audit | None:
    """Give the organization's audit in progress its checklist and prepare it for a tablet."""
    audit = (Audit.objects.filter(organization=organization, status=AuditStatus.IN_PROGRESS)
             .order_by("planned_start", "pk").first())
    if audit is None:
        return None
    if not AuditQuestion.objects.filter(audit=audit).exists():
        AuditQuestion.objects.bulk_create([
            AuditQuestion(organization=organization, audit=audit, position=index, standard=standard, clause=clause,
                          text=text, source=QuestionSource.ADDED)
            for index, (standard, clause, text) in enumerate(QUESTIONS, start=1)
        ])
        answer_first_questions(audit, now=now)
    if audit.lead_auditor_id and not AuditLease.objects.filter(audit=audit).exists():
        AuditLease.objects.create(organization=organization, audit=audit, user=audit.lead_auditor,
                                  device="demo-tablette-atelier", device_label="Tablette atelier",
                                  expires_at=now + datetime.timedelta(days=5))
    return audit
