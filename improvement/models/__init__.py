from improvement.models.actions import Action, ActionPlan
from improvement.models.projects import ImprovementProject, ProjectPhase
from improvement.models.review import ManagementReview, ReviewDecision, ReviewInput
from improvement.models.sessions import (
    AttendanceStatus,
    SessionAttendance,
    SessionKind,
    WorkSession,
)
from improvement.models.suggestions import Suggestion, SuggestionSupport
from improvement.models.teams import ImprovementTeam, TeamMember
from improvement.models.training import TrainingDomain, TrainingRecord, TrainingTopic

__all__ = [
    "Action", "ActionPlan", "AttendanceStatus", "ImprovementProject", "ImprovementTeam", "ManagementReview",
    "ProjectPhase", "ReviewDecision", "ReviewInput", "SessionAttendance", "SessionKind", "Suggestion",
    "SuggestionSupport", "TeamMember", "TrainingDomain", "TrainingRecord", "TrainingTopic", "WorkSession",
]
