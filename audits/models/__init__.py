"""The audits app's models, one module per theme, re-exported here."""

from audits.models.audits import Audit, AuditProgramme
from audits.models.checklists import AuditAnswer, AuditPhoto, AuditQuestion
from audits.models.offline import AnswerOp, AuditLease
from audits.models.suppliers import Supplier

__all__ = ["AnswerOp", "Audit", "AuditLease", "AuditAnswer", "AuditPhoto", "AuditProgramme", "AuditQuestion", "Supplier"]
