from risks.models.matrices import RiskMatrix
from risks.models.register import Risk

__all__ = ["Risk", "RiskMatrix"]
