"""The objectives app's models, one module per theme, re-exported here."""

from objectives.models.dashboards import Dashboard, DashboardTile
from objectives.models.indicators import Indicator, Measurement
from objectives.models.objectives import Objective, PolicyAxis
from objectives.models.planning import ActionDependency

__all__ = ["ActionDependency", "Dashboard", "DashboardTile", "Indicator", "Measurement", "Objective", "PolicyAxis"]
