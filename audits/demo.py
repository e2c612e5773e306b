"""The demo's audits: the year's programme covering the three standards and every process, a
finished audit (reported) with its answers, findings and their events and both signatures, an
audit in progress, and the auditors' competences. Deterministic; findings go through the
services, as on the page."""

from __future__ import annotations

import datetime
import io

from django.core.files.base import ContentFile

from audits import services
from audits.checklist_build import BuildChoice, checklist_build
from audits.demo_offline import answer_first_questions
from audits.factories import (
    AuditAnswerFactory,
    AuditeeFactory,
    AuditorCompetenceFactory,
    AuditQuestionFactory,
)
from audits.models import Audit, AuditProgramme, QuestionBank, ScheduleItem
from qse.tenancy import activate, scope_restored

# (process, title, kind, standards, clauses, month, lead, team)
PLANNED = [
    ("M1", "Audit système qualité ISO 9001", "system", ["iso9001:2015"], [], 2, "auditor", ["coordinator"]),
    ("S1", "Audit achats et sous-traitance", "process", ["iso9001:2015"], ["8.4"], 4, "auditor", []),
    ("M2", "Audit système environnement ISO 14001", "system", ["iso14001:2015"], [], 5, "auditor", []),
    ("S3", "Audit système santé-sécurité ISO 45001", "system", ["iso45001:2018"], [], 6, "auditor", ["coordinator"]),
    ("R1", "Audit revue de contrat", "process", ["iso9001:2015"], ["8.2"], 9, "auditor", []),
    ("R2", "Audit industrialisation", "process", ["iso9001:2015"], ["8.3", "8.5"], 10, "auditor", []),
    ("R4", "Audit contrôle final et expédition", "process", ["iso9001:2015"], ["8.6", "8.7"], 11, "auditor", []),
    ("S4", "Audit métrologie", "process", ["iso9001:2015"], ["7.1"], 12, "coordinator", []),
]

# The finished audit's checklist: (clause, question, result, comment, evidence)
FINISHED = [
    ("8.5.1", "Les gammes d'usinage en vigueur sont-elles disponibles au poste ?", "conforming", "",
     "Gamme G-17 indice C au poste P3"),
    ("8.5.1", "Les autocontrôles sont-ils enregistrés à la fréquence prévue ?", "minor_nc",
     "Deux relevés manquants sur l'équipe de nuit du 12", "Fiches d'autocontrôle semaine 41"),
    ("7.1.5", "Les moyens de mesure utilisés sont-ils étalonnés ?", "major_nc",
     "Micromètre M-204 utilisé avec un étalonnage échu depuis 3 mois", "Étiquette M-204, registre métrologie"),
    ("8.7", "Les produits non conformes sont-ils identifiés et isolés ?", "conforming", "", "Zone rouge atelier"),
    ("7.2", "Les opérateurs sont-ils habilités pour les postes tenus ?", "conforming", "", "Matrice de polyvalence"),
    ("10.3", "Les idées d'amélioration des opérateurs sont-elles recueillies ?", "improvement",
     "Afficher les suggestions retenues au poste", ""),
]



def _signature(text: str) -> bytes:
    """A drawn-looking signature: a PNG made here, deterministic."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    x = 10
    for index, char in enumerate(text):
        y = 50 + (12 if index % 2 else -12)
        draw.line([(x, 50), (x + 12, y), (x + 24, 50)], fill=(16, 32, 64, 255), width=3)
        x += 24 if char != " " else 10
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def seed_audits(*, membership, users, sites, processes, today: datetime.date) -> None:
    """The audits part of the demo, as the coordinator (``membership``)."""
    organization = membership.organization
    with scope_restored():
        activate(membership)
        for username, standards in (("auditor", ["iso9001:2015", "iso14001:2015", "iso45001:2018"]),
                                    ("coordinator", ["iso9001:2015", "iso45001:2018"])):
            AuditorCompetenceFactory(organization=organization, auditor=users[username], standards=standards,
                                     sectors="Mécanique de précision, usinage",
                                     training="Auditeur interne QSE (ISO 19011), 3 jours", qualified_on=datetime.date(2023, 3, 15))
        programme = AuditProgramme.objects.create(
            organization=organization, year=today.year, title=f"Programme d'audits internes {today.year}",
            objectives="Couvrir ISO 9001, 14001 et 45001 et chaque processus ; auditer deux fois par an les processus "
                       "aux risques élevés.", owner=users["coordinator"], created_by=users["coordinator"])
        for index, (code, title, kind, standards, clauses, month, lead, team) in enumerate(PLANNED):
            start = datetime.date(today.year, month, 10)
            audit = Audit.objects.create(
                organization=organization, programme=programme, reference=f"AUD-{today.year}-{index + 1:02d}",
                title=title, kind=kind, standards=standards, clauses=clauses, process=processes[code],
                site=sites["LYO"], planned_start=start, lead_auditor=users[lead],
                status="reported" if start < today - datetime.timedelta(days=45) else "planned",
                reported_on=start + datetime.timedelta(days=3) if start < today - datetime.timedelta(days=45) else None,
                conclusion="Système conforme sur le périmètre audité." if start < today else "",
                created_by=users["coordinator"])
            audit.auditors.set([users[name] for name in team])
        _finished(organization, programme, users, sites, processes, today)
        _in_progress(organization, programme, users, sites, processes, today)


def _finished(organization, programme, users, sites, processes, today) -> Audit:
    start = today - datetime.timedelta(days=21)
    opened = datetime.datetime.combine(start, datetime.time(8, 30)).astimezone()
    audit = Audit.objects.create(
        organization=organization, programme=programme, reference=f"AUD-{today.year}-20",
        title="Audit du processus usinage et production", kind="process", status="in_progress",
        standards=["iso9001:2015"], clauses=["7.1.5", "7.2", "8.5", "8.7"], process=processes["R3"], site=sites["LYO"],
        scope="Îlots d'usinage 1 à 3, équipes de jour et de nuit", criteria="ISO 9001:2015 § 7 et 8 ; exigences client EN 9100",
        objectives="Vérifier la maîtrise de la production et des moyens de mesure", planned_start=start,
        planned_end=start + datetime.timedelta(days=1), lead_auditor=users["auditor"],
        opening_held_at=opened, opening_attendees="Responsable production, chefs d'équipe",
        closing_held_at=opened + datetime.timedelta(hours=8), closing_attendees="Direction, responsable production",
        closing_notes="Deux écarts présentés et acceptés", auditee_representative="Chef d'atelier usinage",
        strengths="Ateliers rangés, gammes à jour, polyvalence bien suivie.",
        conclusion="Le processus est maîtrisé ; la métrologie des moyens de contrôle au poste doit être reprise.",
        created_by=users["coordinator"])
    audit.auditors.set([users["coordinator"]])
    AuditeeFactory(audit=audit, person=users["owner"], reason="involvement", note="Pilote du processus")
    AuditeeFactory(audit=audit, person=users["contributor"], reason="competence", note="Opérateur régleur")
    for hour, activity, subject, place in ((8, "opening", "Réunion d'ouverture", "Salle Rhône"),
                                          (9, "visit", "Visite des îlots 1 à 3", "Atelier usinage"),
                                          (14, "interview", "Entretien métrologie", "Laboratoire"),
                                          (16, "closing", "Réunion de clôture", "Salle Rhône")):
        begins = datetime.datetime.combine(start, datetime.time(hour)).astimezone()
        ScheduleItem.objects.create(organization=organization, audit=audit, starts_at=begins,
                                    ends_at=begins + datetime.timedelta(hours=1), activity=activity, subject=subject,
                                    location=place, created_by=users["coordinator"])
    for position, (clause, text, result, comment, evidence) in enumerate(FINISHED):
        question = AuditQuestionFactory(audit=audit, position=position, clause=clause, text=text)
        AuditAnswerFactory(question=question, result=result, comment=comment, evidence=evidence,
                           answered_by=users["auditor"], answered_at=opened + datetime.timedelta(hours=1 + position))
    audit = services.audit_transition(audit=audit, acting_user=users["coordinator"], to_status="reported",
                                      today=start + datetime.timedelta(days=2))
    audit.lead_signature.save("lead_signature.png", ContentFile(_signature("A. Auditeur")), save=False)
    audit.auditee_signature.save("auditee_signature.png", ContentFile(_signature("Chef atelier")), save=False)
    Audit.objects.filter(pk=audit.pk).update(lead_signature=audit.lead_signature.name,
                                             auditee_signature=audit.auditee_signature.name)
    return audit


def _in_progress(organization, programme, users, sites, processes, today) -> Audit:
    audit = Audit.objects.create(
        organization=organization, programme=programme, reference=f"AUD-{today.year}-21",
        title="Audit du processus maintenance", kind="process", status="prepared", standards=["iso9001:2015"],
        clauses=["7.1.3", "8.5.1"], process=processes["S2"], site=sites["VIE"], scope="Maintenance préventive et curative",
        planned_start=today, lead_auditor=users["auditor"],
        opening_held_at=datetime.datetime.combine(today, datetime.time(8, 30)).astimezone(),
        opening_attendees="Responsable maintenance", created_by=users["coordinator"])
    AuditeeFactory(audit=audit, person=users["manager"], reason="availability")
    # A realistic checklist (about 30 questions), built from the banks as a coordinator does it,
    # before the audit starts (the build refuses afterwards); then half of it answered.
    banks = QuestionBank.objects.filter(organization=organization, standard="iso9001:2015", archived_at__isnull=True)
    checklist_build(audit=audit, acting_user=users["coordinator"],
                    choice=BuildChoice(bank_ids=tuple(banks.order_by("pk").values_list("pk", flat=True))))
    Audit.objects.filter(pk=audit.pk).update(status="in_progress")
    audit.refresh_from_db()
    answer_first_questions(audit, now=datetime.datetime.combine(today, datetime.time(11, 0)).astimezone())
    return audit
