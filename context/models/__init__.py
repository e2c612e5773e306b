from context.models.analysis import ContextIssue, SwotItem
from context.models.parties import InterestedParty, PartyExpectation
from context.models.statements import ClimateDecision, PolicyStatement

__all__ = ["ClimateDecision", "ContextIssue", "InterestedParty", "PartyExpectation", "PolicyStatement", "SwotItem"]
