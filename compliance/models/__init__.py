"""The compliance app's models, one module per theme, re-exported here."""

from compliance.models.checks import CheckObservation, CheckReport, CheckType, PeriodicCheck
from compliance.models.documents import (
    ControlledDocument,
    DocumentSignature,
    DocumentVersion,
    ReadAcknowledgement,
)
from compliance.models.evaluation import Evaluation
from compliance.models.referential import (
    Applicability,
    IcpeClassification,
    Interlocutor,
    Requirement,
    SiteProfile,
    Text,
    TextVersion,
)
from compliance.models.watch import PollRun, Source, WatchItem

__all__ = [
    "CheckObservation", "CheckReport", "CheckType", "ControlledDocument", "DocumentSignature", "DocumentVersion",
    "PeriodicCheck", "ReadAcknowledgement",
    "Applicability", "Evaluation", "IcpeClassification", "Interlocutor", "PollRun", "Requirement", "SiteProfile",
    "Source", "Text", "TextVersion", "WatchItem",
]
