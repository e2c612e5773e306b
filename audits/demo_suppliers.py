"""Demo question banks and supplier register of Usinage Précis du Rhône: every library bank
loaded in French, a copy of the ISO 9001 bank with a question of the plant's own, seven
evaluated suppliers with twelve months of figures, certifications (one expiring within the
month), requirements shared (and mostly acknowledged) and a closed supplier audit whose answers
make the scorecard. The names of two suppliers are those of the demo's supplier NCs
(``nonconformities/demo.py``): those events are linked to them, so their NCs count. Called from ``qse/demo.py``."""

from __future__ import annotations

import datetime

from django.utils import translation

from audits.bank_library import bank_libraries
from audits.checklist_build import BuildChoice, checklist_build
from audits.choices import AuditCategory, AuditKind, AuditStatus, SupplierStatus
from audits.models import (
    Audit,
    AuditAnswer,
    BankQuestion,
    QuestionBank,
    Supplier,
    SupplierCertification,
    SupplierFigure,
    SupplierRequirement,
)
from audits.services_banks import bank_copy, bank_library_load
from nonconformities.choices import EventType
from nonconformities.models import Event
from qse.tenancy import activate, scope_restored

# name, category, status, critical, buyer, monthly lots, on-time every n-th late (0: never), ppm
SUPPLIERS = [
    ("Rhône Traitements de Surface", "Anodisation, traitement de surface", SupplierStatus.CONDITIONAL, True, "manager", 12, 4, 3_500),
    ("Métaux Alpes Distribution", "Barres et tôles aluminium", SupplierStatus.APPROVED, True, "manager", 20, 10, 400),
    ("Fonderie du Gier", "Pièces de fonderie", SupplierStatus.APPROVED, True, "owner", 8, 6, 1_200),
    ("Visserie Rhône-Alpes", "Visserie, inserts", SupplierStatus.APPROVED, False, "manager", 30, 0, 50),
    ("Outillages Savoyards", "Outils coupants", SupplierStatus.APPROVED, False, "owner", 6, 3, 0),
    ("Emballages du Forez", "Emballages carton et mousse", SupplierStatus.UNDER_EVALUATION, False, "manager", 4, 1, 6_000),
    ("Transports Bugey Express", "Transport, messagerie", SupplierStatus.APPROVED, False, "manager", 25, 8, 0),
]

# supplier, standard, body, days until expiry
CERTIFICATIONS = [
    ("Rhône Traitements de Surface", "ISO 9001:2015", "Bureau Veritas Certification", 24),
    ("Rhône Traitements de Surface", "NADCAP Chemical Processing", "PRI", 210),
    ("Métaux Alpes Distribution", "ISO 9001:2015", "AFNOR Certification", 410),
    ("Fonderie du Gier", "IATF 16949:2016", "TÜV Rheinland", 300),
    ("Fonderie du Gier", "ISO 14001:2015", "AFNOR Certification", 150),
    ("Visserie Rhône-Alpes", "ISO 9001:2015", "SGS", 520),
    ("Transports Bugey Express", "MASE", "MASE Rhône-Alpes", 90),
]

# supplier, title, document, days ago shared, days ago acknowledged (None: awaited), signatory
REQUIREMENTS = [
    ("Rhône Traitements de Surface", "Accord qualité fournisseur", "AQF-01 rév. C", 200, 180, "M. Pascal Girard, directeur qualité"),
    ("Rhône Traitements de Surface", "Spécification anodisation sulfurique", "SP-ANO-07 rév. B", 40, None, ""),
    ("Métaux Alpes Distribution", "Accord qualité fournisseur", "AQF-01 rév. C", 300, 290, "Mme Claire Vasseur, responsable qualité"),
    ("Fonderie du Gier", "Accord qualité fournisseur", "AQF-01 rév. C", 250, 230, "M. Hugo Ferrand, directeur d'usine"),
    ("Transports Bugey Express", "Règles de sécurité des livraisons (protocole de chargement)", "PS-LIV-02", 120, 115, "M. Karim Benali, exploitation"),
]

# The supplier audit of Rhône Traitements de Surface, answer by answer (questionnaire order).
AUDIT_RESULTS = ["conforming", "minor_nc", "conforming", "observation", "conforming", "conforming", "major_nc",
                 "conforming", "minor_nc", "conforming", "conforming", "improvement"]


def seed_suppliers(*, membership, users, today: datetime.date) -> None:
    """Banks, suppliers with their evaluation inputs, and one supplier audit (as the coordinator)."""
    with scope_restored(), translation.override("fr"):
        activate(membership)
        coordinator = membership.user
        banks = {key: bank_library_load(library_id=key, acting_user=coordinator, language="fr")["bank"]
                 for key in bank_libraries()}
        _own_bank(coordinator, banks["iso9001-2015"])
        suppliers = _suppliers(membership.organization, users)
        _link_events(suppliers)
        _figures(membership.organization, suppliers, today)
        _certifications(membership.organization, suppliers, today)
        _requirements(membership.organization, suppliers, today)
        _supplier_audit(membership.organization, coordinator, users, suppliers["Rhône Traitements de Surface"], today)


def _own_bank(coordinator, bank_pk: int) -> None:
    copy = bank_copy(bank=QuestionBank.objects.get(pk=bank_pk), acting_user=coordinator,
                     name="ISO 9001 — questions Usinage Précis du Rhône")
    BankQuestion.objects.create(
        organization=copy.organization, created_by=coordinator, bank=copy, clause="8.5", position=200,
        text="Les premières pièces après changement de série sont-elles validées et enregistrées ?",
        guidance="Fiche de validation première pièce, signature du régleur et du contrôleur, pièce témoin.",
        reference="upr/8.5/1",
    )


def _suppliers(organization, users) -> dict:
    return {name: Supplier.objects.create(
        organization=organization, name=name, category=category, status=status, critical=critical, owner=users[buyer],
        contact_email=f"qualite@{name.split()[0].lower().replace('ô', 'o').replace('é', 'e')}.example")
        for name, category, status, critical, buyer, *_rest in SUPPLIERS}


def _link_events(suppliers) -> None:
    """The demo's events naming a supplier of the register (not a complaint: its party is the
    customer) are linked to it, as the migration linked existing events."""
    for name, supplier in suppliers.items():
        (Event.objects.filter(organization=supplier.organization, third_party=name, supplier__isnull=True).exclude(event_type=EventType.CUSTOMER_COMPLAINT)
         .update(supplier=supplier))


def _figures(organization, suppliers, today) -> None:
    """The twelve months before the current one, deterministic: every n-th month one lot late."""
    rows = []
    for name, _category, _status, _critical, _buyer, lots, late_every, ppm in SUPPLIERS:
        for back in range(1, 13):
            months = today.year * 12 + today.month - 1 - back
            received = lots * 250
            rows.append(SupplierFigure(
                organization=organization, supplier=suppliers[name], period=datetime.date(months // 12, months % 12 + 1, 1),
                lots_delivered=lots, lots_on_time=lots - (1 if late_every and back % late_every == 0 else 0),
                lots_rejected=1 if ppm >= 1_000 and back % 5 == 0 else 0, quantity_received=received,
                quantity_rejected=round(received * ppm / 1_000_000 * (1.5 if back % 3 == 0 else 0.75)),
            ))
    SupplierFigure.objects.bulk_create(rows)


def _certifications(organization, suppliers, today) -> None:
    SupplierCertification.objects.bulk_create([
        SupplierCertification(organization=organization, supplier=suppliers[name], standard=standard, body=body,
                              number=f"{standard.split()[0][:4].upper()}-{index:04d}",
                              issued_on=today + datetime.timedelta(days=days - 3 * 365),
                              expires_on=today + datetime.timedelta(days=days))
        for index, (name, standard, body, days) in enumerate(CERTIFICATIONS, start=1)
    ])


def _requirements(organization, suppliers, today) -> None:
    SupplierRequirement.objects.bulk_create([
        SupplierRequirement(
            organization=organization, supplier=suppliers[name], title=title, document_reference=document,
            shared_on=today - datetime.timedelta(days=shared),
            acknowledged_on=today - datetime.timedelta(days=acknowledged) if acknowledged else None,
            acknowledged_by=signatory, acknowledgement_reference=f"{document} signé" if acknowledged else "",
        )
        for name, title, document, shared, acknowledged, signatory in REQUIREMENTS
    ])


def _supplier_audit(organization, coordinator, users, supplier, today) -> None:
    """A closed supplier audit built from the questionnaire and answered: the scorecard's audit part."""
    audit = Audit.objects.create(
        organization=organization, reference="AUD-F-2026-01", title=f"Audit fournisseur {supplier.name}",
        kind=AuditKind.SUPPLIER, category=AuditCategory.EXTERNAL, status=AuditStatus.PLANNED, supplier=supplier,
        scope="Anodisation sulfurique des platines PL-12 et des carters CX-200", planned_start=today - datetime.timedelta(days=75),
        lead_auditor=users["auditor"], created_by=coordinator,
    )
    checklist_build(audit=audit, acting_user=coordinator, choice=BuildChoice(from_findings=False))
    answered_at = datetime.datetime.combine(audit.planned_start, datetime.time(10), tzinfo=datetime.UTC)
    AuditAnswer.objects.bulk_create([
        AuditAnswer(organization=organization, question=question, result=result, answered_by=users["auditor"],
                    answered_at=answered_at, comment="" if result == "conforming" else "Constat relevé lors de la visite.")
        for question, result in zip(audit.questions.order_by("position"), AUDIT_RESULTS, strict=True)
    ])
    Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.CLOSED, conclusion=(
        "Fournisseur maintenu sous conditions : plan d'actions attendu sous 30 jours sur la maîtrise des bains."))
