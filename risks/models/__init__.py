from risks.models.aspects import AspectCondition, EnvironmentalAspect
from risks.models.duerp import DuerpVersion, OccupationalRisk, WorkUnit
from risks.models.environment_consumption import (
    Meter,
    MeterKind,
    MeterReading,
    MeterUnit,
    ProductionVolume,
    ReadingSource,
)
from risks.models.environment_ghg import (
    EmissionFactor,
    GhgActivity,
    GhgInventory,
    GhgResult,
    ResultSource,
)
from risks.models.environment_waste import WasteRegisterExtract, WasteRemoval, WasteUnit
from risks.models.matrices import RiskMatrix
from risks.models.register import Risk

__all__ = [
    "AspectCondition", "DuerpVersion", "EmissionFactor", "EnvironmentalAspect", "GhgActivity", "GhgInventory",
    "GhgResult", "Meter", "MeterKind", "MeterReading", "MeterUnit", "OccupationalRisk", "ProductionVolume",
    "ReadingSource", "ResultSource", "Risk", "RiskMatrix", "WasteRegisterExtract", "WasteRemoval", "WasteUnit",
    "WorkUnit",
]
