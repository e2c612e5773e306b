from risks.models.duerp import DuerpVersion, OccupationalRisk, WorkUnit
from risks.models.matrices import RiskMatrix
from risks.models.register import Risk

__all__ = ["DuerpVersion", "OccupationalRisk", "Risk", "RiskMatrix", "WorkUnit"]
