"""Choices of the objectives app: English values, translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectiveLevel(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    OPERATIONAL = "operational", _("Operational")


class ObjectiveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    ABANDONED = "abandoned", _("Abandoned")


class StandardClause(models.TextChoices):
    """The clauses an objective answers (versioned by standard and edition)."""

    ISO_9001_6_2 = "iso9001:2015-6.2", _("ISO 9001:2015 §6.2 Quality objectives")
    ISO_14001_6_2 = "iso14001:2015-6.2", _("ISO 14001:2015 §6.2 Environmental objectives")
    ISO_45001_6_2 = "iso45001:2018-6.2", _("ISO 45001:2018 §6.2 OH&S objectives")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Higher is better")
    LOWER_IS_BETTER = "lower", _("Lower is better")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class ChartKind(models.TextChoices):
    LINE = "line", _("Line (trend)")
    BAR = "bar", _("Bars")


class MeasurementOrigin(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Imported")
    COMPUTED = "computed", _("Computed")


class IndicatorStatus(models.TextChoices):
    """What a reader sees on the card; computed, never stored (objectives.kpi.indicator_status)."""

    GREEN = "green", _("On target")
    ORANGE = "orange", _("Watch")
    RED = "red", _("Off target")
    LATE = "late", _("Measurement late")
    NO_DATA = "no_data", _("No measurement yet")


class DashboardScope(models.TextChoices):
    ORGANIZATION = "organization", _("Organization")
    SITE = "site", _("Site")
    PROCESS = "process", _("Process")


class TileSize(models.TextChoices):
    SMALL = "small", _("Small (a figure)")
    MEDIUM = "medium", _("Medium (a chart)")
    LARGE = "large", _("Large (a wide chart)")


class ReminderKind(models.TextChoices):
    """The reminders this app sends (registered in its AppConfig.ready)."""

    MEASUREMENT_DUE = "measurement_due", _("Indicator measurement due")
    INDICATOR_RED = "indicator_red", _("Indicator turned red")
    INDICATOR_FORECAST = "indicator_forecast", _("Indicator forecast to turn red")
