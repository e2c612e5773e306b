from improvement.models.actions import Action, ActionPlan
from improvement.models.teams import ImprovementTeam, TeamMember

__all__ = ["Action", "ActionPlan", "ImprovementTeam", "TeamMember"]
