from risks.models.aspects import AspectCondition, EnvironmentalAspect
from risks.models.duerp import DuerpVersion, OccupationalRisk, WorkUnit
from risks.models.matrices import RiskMatrix
from risks.models.register import Risk

__all__ = ["AspectCondition", "DuerpVersion", "EnvironmentalAspect", "OccupationalRisk", "Risk", "RiskMatrix", "WorkUnit"]
