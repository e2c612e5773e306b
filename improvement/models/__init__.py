from improvement.models.actions import Action, ActionPlan
from improvement.models.review import ManagementReview, ReviewDecision, ReviewInput
from improvement.models.teams import ImprovementTeam, TeamMember

__all__ = ["Action", "ActionPlan", "ImprovementTeam", "ManagementReview", "ReviewDecision", "ReviewInput", "TeamMember"]
