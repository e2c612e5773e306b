from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "improvement"
    verbose_name = _("Continuous improvement")

    def ready(self) -> None:
        from improvement import reminders
        from improvement.choices import ReminderKind
        from qse.reminders import register_kind
        from qse.reminders_planning import register_planner

        register_planner(reminders.plan_action_reminders)
        for kind in (ReminderKind.DUE_SOON, ReminderKind.DUE_TODAY, ReminderKind.OVERDUE):
            register_kind(kind, label=kind.label, renderer=reminders.render_action_reminder)
        register_kind(ReminderKind.WEEKLY_DIGEST, label=ReminderKind.WEEKLY_DIGEST.label,
                      renderer=reminders.render_weekly_digest)

        from improvement import review

        review.register()  # its management review sections (qse.review)
        self._ready_teams()
        self._ready_ideas()

    def _ready_teams(self) -> None:
        """Teams and training (issue 13): the renewal reminder and the review sections."""
        from improvement import reminders_teams, review_teams
        from improvement.choices import ReminderKind
        from qse.reminders import register_kind
        from qse.reminders_planning import register_planner

        register_planner(reminders_teams.plan_training_reminders)
        register_kind(ReminderKind.TRAINING_EXPIRING, label=ReminderKind.TRAINING_EXPIRING.label,
                      renderer=reminders_teams.render_training_reminder)
        review_teams.register()

    @staticmethod
    def _ready_ideas() -> None:
        """Suggestions: an effective action puts its idea in place; the review's two sections."""
        from improvement import review_ideas
        from improvement.models import Suggestion
        from improvement.origins import register_effectiveness_reaction
        from improvement.services_suggestions import react_to_action_check

        register_effectiveness_reaction(Suggestion, react_to_action_check)
        review_ideas.register_sections()
