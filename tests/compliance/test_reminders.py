"""Evaluation reminders: planned for the evaluator from 14 days before the due date, once per
due date, and silent once a newer evaluation superseded it."""

import datetime

from compliance import reminders
from compliance.factories import EvaluationFactory, RequirementFactory, TextFactory
from compliance.models import Evaluation
from qse.models import Reminder
from qse.roles import Role
from qse.tenancy import organization_context

TODAY = datetime.date(2026, 11, 23)


def test_is_reminded_from_14_days_before_and_while_late():
    assert not reminders.is_evaluation_reminded(next_due_on=TODAY + datetime.timedelta(days=15), today=TODAY)
    assert reminders.is_evaluation_reminded(next_due_on=TODAY + datetime.timedelta(days=14), today=TODAY)
    assert reminders.is_evaluation_reminded(next_due_on=TODAY - datetime.timedelta(days=40), today=TODAY)
    assert not reminders.is_evaluation_reminded(next_due_on=None, today=TODAY)


def test_planned_once_for_the_evaluator_and_dropped_when_superseded(world):
    evaluator = world.a.users[Role.PROCESS_OWNER]
    text = TextFactory(organization=world.a.organization)
    due = EvaluationFactory(requirement=RequirementFactory(text=text, title="Registre"), site=world.a.site,
                            evaluator=evaluator, next_due_on=TODAY + datetime.timedelta(days=10))
    EvaluationFactory(requirement=RequirementFactory(text=text), site=world.a.site, evaluator=evaluator,
                      next_due_on=TODAY + datetime.timedelta(days=90))
    with organization_context(world.a.organization):
        assert reminders.plan_evaluation_reminders(today=TODAY) == 1
        assert reminders.plan_evaluation_reminders(today=TODAY) == 0
        reminder = Reminder.objects.get(kind="compliance_evaluation_due")
        assert (reminder.recipient, reminder.occurrence, reminder.object_id) == (evaluator, due.next_due_on, due.pk)
        message = reminders.render_evaluation_reminder(reminder)
        assert message.url == due.get_absolute_url() and "Registre" in message.subject
        Evaluation.objects.filter(pk=due.pk).update(is_current=False)
        assert reminders.render_evaluation_reminder(reminder) is None
