"""Demo periodic checks and controlled documents of Usinage Précis du Rhône, on both sites.

Written through the services, as the people concerned (the coordinator records the reports,
the named reviewers and approvers sign, the readers acknowledge): so due dates, obsolete
versions and review dates are what the product computes, and history names who did what.
Deterministic: every date is an offset from ``today``.
"""

from __future__ import annotations

import datetime

import pghistory
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance import library_checks, services_checks, services_documents
from compliance.models import CheckType, PeriodicCheck
from qse.models import Membership
from qse.tenancy import activate, scope_restored

# (site, equipment, reference, library code, body, accredited, owner, process, months ago done, conclusion,
#  observations: [(text, severity, action: None | "planned" | "effective")])
CHECKS = [
    ("LYO", "TGBT et distribution électrique, atelier d'usinage", "ELEC-LYO-01", "electrical-installations", "Apave", True,
     "owner", "S2", 13, "observations", [
         ("Absence de protection IP2X sur le jeu de barres de l'armoire A3", "major", "planned"),
         ("Schémas électriques de l'armoire A7 non mis à jour", "minor", None),
     ]),
    ("LYO", "Pont roulant 10 t, hall usinage", "LEV-LYO-01", "lifting-equipment", "Socotec", True, "owner", "S2", 7,
     "compliant", []),
    ("LYO", "Chariot élévateur n° 2 (Fenwick E20)", "LEV-LYO-04", "lifting-equipment-persons", "Socotec", True,
     "owner", "S2", 5, "observations", [("Klaxon de recul inopérant", "minor", "effective")]),
    ("LYO", "Compresseur d'air et réservoir 500 L", "ESP-LYO-01", "pressure-equipment-inspection", "Bureau Veritas",
     True, "owner", "S2", 36, "compliant", []),
    ("LYO", "Extincteurs du site (62 appareils)", "INC-LYO-01", "fire-extinguishers", "Sicli", False, "coordinator",
     "M2", 10, "observations", [("Deux extincteurs CO2 à remplacer (date de fin de vie dépassée)", "major", "planned")]),
    ("LYO", "Aspiration des brouillards d'huile des centres d'usinage", "AER-LYO-01", "ventilation", "Dekra", True,
     "owner", "S2", 14, "compliant", []),
    ("VIE", "Installation électrique du site de Vienne", "ELEC-VIE-01", "electrical-installations", "Apave", True,
     "owner", "S2", 3, "observations", [("Différentiel 30 mA déclenchant au-delà du seuil, prise PC12", "serious_danger", None)]),
    ("VIE", "Rayonnages du magasin matières", "RAY-VIE-01", "racking", "Inspecteur interne (A. Girard)", False,
     "contributor", "S1", 13, "observations", [("Lisse déformée travée 4, niveau 2", "major", "planned")]),
    ("VIE", "Détection incendie du magasin", "INC-VIE-02", "fire-alarm", "Chubb", False, "coordinator", "M2", 11,
     "compliant", []),
    ("VIE", "Cabine de peinture (ICPE rubrique 2940, DC)", "ICPE-VIE-01", "icpe-periodic-control", "Bureau Veritas",
     True, "coordinator", "M2", 54, "compliant", []),
]

# reference: (title, kind, site, processes, owner, distribution, [(status, months ago approved, summary)],
#             readers of the current version, review months)
DOCUMENTS = {
    "PR-QSE-01": ("Maîtrise des documents et des enregistrements", "procedure", None, ["M2"], "coordinator",
                  ["owner", "manager", "auditor", "contributor"],
                  [("approved", 30, "Création"), ("approved", 4, "Signatures électroniques, accusés de lecture")],
                  ["manager", "auditor"], 24),
    "PR-ENV-02": ("Gestion des déchets et tenue du registre", "procedure", None, ["R3", "S2"], "coordinator",
                  ["owner", "contributor"], [("approved", 9, "Registre électronique et bordereaux Trackdéchets")],
                  ["contributor"], 24),
    "IT-USI-07": ("Ébavurage de l'alésage Ø32 H7 du carter CX-200", "instruction", "LYO", ["R3"], "owner",
                  ["contributor", "auditor"], [("approved", 2, "Nouveau mode opératoire après le 8D-2026-014"),
                                               ("in_review", None, "Ajout du contrôle visuel à la loupe")],
                  ["auditor"], 12),
    "FO-SST-03": ("Permis de feu", "form", None, ["S2"], "coordinator", ["owner"],
                  [("draft", None, "Ajout de la surveillance 2 h après travaux")], [], 36),
    "EN-MET-01": ("Enregistrement d'étalonnage des instruments", "record", "VIE", ["S4"], "auditor", ["auditor"],
                  [("approved", 26, "Création")], ["auditor"], 24),
}

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _months_ago(today: datetime.date, months: int) -> datetime.date:
    from compliance.scheduling import add_months

    return add_months(today, -months)


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=datetime.UTC)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", PDF, content_type="application/pdf")


def seed_controls(*, organization, users, sites, processes, today: datetime.date) -> None:
    """Checks with their reports and observations (some overdue, some lifted), and controlled
    documents with versions, signatures and acknowledgements."""
    memberships = {
        name: Membership.objects.select_related("organization", "user").get(user=user, organization=organization)
        for name, user in users.items() if name != "other"
    }

    def acting(name):
        activate(memberships[name])
        return users[name]

    with scope_restored():
        coordinator = acting("coordinator")
        services_checks.check_types_load(acting_user=coordinator, entries=library_checks.check_type_entries(), language="fr")
        types = {t.code: t for t in CheckType.objects.in_current_organization()}
        for row in CHECKS:
            _check(row, acting, users, sites, processes, types, today)
        for reference, row in DOCUMENTS.items():
            _document(organization, reference, row, acting, users, sites, processes, today)
    # The whole demo shares seed_demo's one history context, and each step above (signed as its
    # person, with its comment) wrote its user and reason into it: give it back its own.
    pghistory.context(user=users["coordinator"].pk, reason="Données de démonstration")


def _check(row, acting, users, sites, processes, types, today) -> None:
    site, equipment, reference, code, body, accredited, owner, process, months, conclusion, observations = row
    coordinator = acting("coordinator")
    check = PeriodicCheck.objects.create(
        organization=sites[site].organization, created_by=coordinator, equipment=equipment, reference=reference,
        site=sites[site], check_type=types[code], body=body, body_is_accredited=accredited, owner=users[owner],
        process=processes[process],
    )
    done_on = _months_ago(today, months)
    report = services_checks.check_report_create(acting_user=coordinator, data={
        "periodic_check": check, "done_on": done_on, "conclusion": conclusion, "body": body,
        "reference": f"{reference}-{done_on:%Y%m}", "summary": "Rapport reçu et diffusé au responsable.",
    })
    from qse.uploads import attachment_create

    attachment_create(target=report, upload=_pdf(f"rapport-{reference}"), caption="Rapport de vérification",
                      acting_user=coordinator)
    for text, severity, action in observations:
        _observation(report, text, severity, action, acting, users[owner], today)
    check.refresh_from_db()
    if check.next_due_on and check.next_due_on < today + datetime.timedelta(days=20):
        services_checks.check_report_create(acting_user=coordinator, data={
            "periodic_check": check, "planned_on": today + datetime.timedelta(days=12), "body": body})


def _observation(report, text, severity, action, acting, owner, today) -> None:
    from compliance.models import CheckObservation
    from improvement.services import action_record_effectiveness, action_transition

    coordinator = acting("coordinator")
    observation = CheckObservation.objects.create(organization=report.organization, created_by=coordinator,
                                                  report=report, text=text, severity=severity)
    if action is None:
        return
    created = services_checks.observation_action_create(observation=observation, acting_user=coordinator, data={
        "title": f"Lever l'observation : {text[:150]}", "owner": owner, "deliverable": "Preuve de la levée (photo, facture)",
        "due_on": today + datetime.timedelta(days=20 if action == "planned" else -10),
    })
    if action == "effective":
        done = action_transition(action=created, acting_user=coordinator, to_status="done",
                                 today=today - datetime.timedelta(days=12))
        action_record_effectiveness(action=done, acting_user=coordinator, result="effective",
                                    checked_on=today - datetime.timedelta(days=5), comment="Klaxon testé en place")


def _document(organization, reference, row, acting, users, sites, processes, today) -> None:
    from compliance.models import ControlledDocument

    title, kind, site, process_codes, owner, distribution, versions, readers, review_months = row
    coordinator = acting("coordinator")
    document = ControlledDocument.objects.create(
        organization=organization, created_by=coordinator, reference=reference, title=title, kind=kind, owner=users[owner],
        site=sites[site] if site else None, review_months=review_months,
    )
    document.processes.set([processes[code] for code in process_codes])
    document.distribution.set([users[name] for name in distribution])
    current = None
    for status, months_ago, summary in versions:
        current = _version(document, status, months_ago, summary, acting, users, today)
    if current is not None and current.status == "approved":
        for name in readers:
            services_documents.document_version_acknowledge(
                version=current, acting_user=acting(name), now=_moment(today - datetime.timedelta(days=3)))


def _version(document, status, months_ago, summary, acting, users, today):
    """One version brought to ``status`` through the steps (approved ``months_ago`` months ago)."""
    coordinator = acting("coordinator")
    version = services_documents.document_version_create(acting_user=coordinator, data={
        "document": document, "change_summary": summary, "author": document.owner, "reviewer": users["manager"],
        "approver": users["admin"],
    })
    services_documents.document_version_attach_file(version=version, acting_user=coordinator,
                                                    upload=_pdf(f"{document.reference}-v{version.number}"))
    if status == "draft":
        return version
    services_documents.document_version_submit(version=version, acting_user=coordinator)
    if status == "in_review":
        return version
    when = _moment(_months_ago(today, months_ago))
    services_documents.document_version_sign(version=version, acting_user=acting("manager"), meaning="reviewed",
                                             now=when - datetime.timedelta(days=2), comment="Relu, conforme à la pratique")
    services_documents.document_version_sign(version=version, acting_user=acting("admin"), meaning="approved", now=when)
    version.refresh_from_db()
    return version
