from improvement.models.actions import Action, ActionPlan

__all__ = ["Action", "ActionPlan"]
