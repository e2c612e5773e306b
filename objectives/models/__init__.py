"""The objectives app's models, one module per theme, re-exported here."""

from objectives.models.sensors import Device

__all__ = ["Device"]
