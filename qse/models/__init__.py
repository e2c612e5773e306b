from qse.models.attachments import Attachment
from qse.models.base import ScopedModel
from qse.models.counters import ReferenceCounter
from qse.models.imports import ImportValueMapping
from qse.models.notifications import Notification, Reminder, ReminderStatus
from qse.models.oidc import DirectoryIdentity, DirectorySignIn
from qse.models.people import Invitation, UserProfile, Weekday
from qse.models.reports import GeneratedReport, ReportStatus  # noqa: F401
from qse.models.tables import TableConfig
from qse.models.tenancy import (
    EffectivenessPolicy,
    Membership,
    Organization,
    Process,
    ProcessKind,
    Sector,
    Site,
)
from qse.models.tokens import ApiToken

__all__ = [
    "ApiToken",
    "Attachment",
    "DirectoryIdentity",
    "DirectorySignIn",
    "EffectivenessPolicy",
    "ImportValueMapping",
    "Invitation",
    "Membership",
    "Notification",
    "Organization",
    "Process",
    "ProcessKind",
    "ReferenceCounter",
    "Reminder",
    "ReminderStatus",
    "ScopedModel",
    "Sector",
    "Site",
    "TableConfig",
    "UserProfile",
    "Weekday",
]
