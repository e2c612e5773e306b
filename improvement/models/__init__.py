from improvement.models.actions import Action, ActionPlan
from improvement.models.projects import ImprovementProject, ProjectPhase
from improvement.models.suggestions import Suggestion, SuggestionSupport
from improvement.models.teams import ImprovementTeam, TeamMember

__all__ = [
    "Action", "ActionPlan", "ImprovementProject", "ImprovementTeam", "ProjectPhase", "Suggestion",
    "SuggestionSupport", "TeamMember",
]
