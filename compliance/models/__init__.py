"""The compliance app's models, one module per theme, re-exported here."""

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
    "Applicability", "Evaluation", "IcpeClassification", "Interlocutor", "PollRun", "Requirement", "SiteProfile",
    "Source", "Text", "TextVersion", "WatchItem",
]
