from compliance.models.checks import CheckObservation, CheckReport, CheckType, PeriodicCheck
from compliance.models.documents import (
    ControlledDocument,
    DocumentSignature,
    DocumentVersion,
    ReadAcknowledgement,
)

__all__ = [
    "CheckObservation", "CheckReport", "CheckType", "ControlledDocument", "DocumentSignature", "DocumentVersion",
    "PeriodicCheck", "ReadAcknowledgement",
]
