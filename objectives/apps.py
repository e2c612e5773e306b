from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectivesConfig(AppConfig):
    name = "objectives"
    verbose_name = _("Objectives and indicators")

    def ready(self) -> None:
        from objectives import alerts
        from objectives.choices import ReminderKind
        from objectives.sources import register_builtin_sources
        from qse.reminders import register_kind
        from qse.reminders_planning import register_planner

        register_builtin_sources()
        from objectives import sensors_sources

        sensors_sources.register()
        register_planner(alerts.plan_objectives_reminders)
        register_kind(ReminderKind.MEASUREMENT_DUE, label=ReminderKind.MEASUREMENT_DUE.label,
                      renderer=alerts.render_measurement_due)
        for kind in (ReminderKind.INDICATOR_RED, ReminderKind.INDICATOR_FORECAST):
            register_kind(kind, label=kind.label, renderer=alerts.render_indicator_alert)

        from objectives import review

        review.register()  # its management review sections (qse.review)
