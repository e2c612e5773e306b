from improvement.models.actions import Action, ActionPlan
from improvement.models.review import ManagementReview, ReviewDecision, ReviewInput
from improvement.models.sessions import (
    AttendanceStatus,
    SessionAttendance,
    SessionKind,
    WorkSession,
)
from improvement.models.teams import ImprovementTeam, TeamMember
from improvement.models.training import TrainingDomain, TrainingRecord, TrainingTopic

__all__ = [
    "Action", "ActionPlan", "AttendanceStatus", "ImprovementTeam", "ManagementReview", "ReviewDecision", "ReviewInput",
    "SessionAttendance", "SessionKind", "TeamMember", "TrainingDomain", "TrainingRecord", "TrainingTopic", "WorkSession",
]
