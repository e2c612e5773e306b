from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Regulatory watch and compliance")

    def ready(self) -> None:
        from compliance import reminders, reminders_controls
        from compliance.choices import ReminderKind
        from compliance.models import CheckObservation
        from compliance.services_checks import observation_react_to_effectiveness
        from improvement.origins import register_effectiveness_reaction
        from qse.reminders import register_kind
        from qse.reminders_planning import register_planner

        register_planner(reminders.plan_evaluation_reminders)
        from compliance import sources

        sources.register()  # the compliance rate as a computed indicator
        register_kind(ReminderKind.EVALUATION_DUE, label=ReminderKind.EVALUATION_DUE.label,
                      renderer=reminders.render_evaluation_reminder)
        register_effectiveness_reaction(CheckObservation, observation_react_to_effectiveness)
        register_planner(reminders_controls.plan_check_reminders)
        register_planner(reminders_controls.plan_document_review_reminders)
        register_kind(ReminderKind.CHECK_DUE, label=ReminderKind.CHECK_DUE.label,
                      renderer=reminders_controls.render_check_reminder)
        register_kind(ReminderKind.DOCUMENT_REVIEW_DUE, label=ReminderKind.DOCUMENT_REVIEW_DUE.label,
                      renderer=reminders_controls.render_document_review_reminder)

        from compliance import review

        review.register()  # its management review sections (qse.review)
