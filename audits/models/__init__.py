"""The audits app's models, one module per theme, re-exported here."""

from audits.models.audits import Audit, AuditProgramme
from audits.models.banks import BankQuestion, QuestionBank
from audits.models.checklists import AuditAnswer, AuditPhoto, AuditQuestion
from audits.models.findings import Finding
from audits.models.offline import AnswerOp, AuditLease
from audits.models.people import Auditee, AuditorCompetence, ScheduleItem
from audits.models.suppliers import (
    Supplier,
    SupplierCertification,
    SupplierFigure,
    SupplierRequirement,
)

__all__ = [
    "AnswerOp", "AuditLease",
    "Audit", "AuditAnswer", "AuditPhoto", "AuditProgramme", "AuditQuestion", "Auditee", "AuditorCompetence",
    "BankQuestion", "Finding", "QuestionBank", "ScheduleItem", "Supplier", "SupplierCertification", "SupplierFigure",
    "SupplierRequirement",
]
