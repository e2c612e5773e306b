"""The objectives app's models, one module per theme, re-exported here."""

from objectives.models.dashboards import Dashboard, DashboardTile
from objectives.models.indicators import Indicator, Measurement
from objectives.models.objectives import Objective, PolicyAxis
from objectives.models.planning import ActionDependency
from objectives.models.sensors import Device

__all__ = [
    "ActionDependency", "Dashboard", "DashboardTile", "Device", "Indicator", "Measurement", "Objective", "PolicyAxis",
]
