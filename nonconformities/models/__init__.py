from nonconformities.models.analysis import (
    ActionPurpose,
    CorrectiveActionLink,
    IshikawaCause,
    RootCause,
    WhyStep,
)
from nonconformities.models.events import Event, HoursWorked, ImmediateAction, Person
from nonconformities.models.public import ReportingPoint
from nonconformities.models.reports import A3Report, EightD

__all__ = [
    "A3Report",
    "ActionPurpose",
    "CorrectiveActionLink",
    "EightD",
    "Event",
    "HoursWorked",
    "ImmediateAction",
    "IshikawaCause",
    "Person",
    "ReportingPoint",
    "RootCause",
    "WhyStep",
]
