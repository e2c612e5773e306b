"""Reminder kinds are registered by the apps: a new kind needs no qse migration, an unknown
one is refused before it reaches the table."""

import pytest
from django.core.exceptions import ValidationError

from improvement.choices import ReminderKind
from qse import reminders
from qse.models import Reminder
from qse.testing import TODAY


@pytest.fixture
def audit_kind(monkeypatch):
    """What an audits app's ready() would do: a kind longer than the old 20-character field."""
    kind = "audit_programme_review_due"
    monkeypatch.setitem(reminders._labels, kind, "Audit programme review due")
    monkeypatch.setitem(reminders._renderers, kind, lambda reminder: None)
    return kind


def test_a_kind_an_app_registers_is_planned_without_a_qse_migration(world, audit_kind):
    row = Reminder(organization=world.a.organization, recipient=world.user(), kind=audit_kind, occurrence=TODAY)
    row.full_clean()
    assert reminders.plan_reminders(rows=[row]) == 1
    saved = Reminder.objects.get(kind=audit_kind)
    assert str(saved).startswith("Audit programme review due")


def test_an_unregistered_kind_is_refused(world):
    row = Reminder(organization=world.a.organization, recipient=world.user(), kind="never_registered",
                   occurrence=TODAY)
    with pytest.raises(ValidationError):
        row.full_clean()
    with pytest.raises(ValueError, match="never_registered"):
        reminders.plan_reminders(rows=[row])
    assert not Reminder.objects.filter(kind="never_registered").exists()


def test_registering_another_renderer_for_a_kind_is_refused():
    with pytest.raises(ValueError):
        reminders.register_kind(ReminderKind.DUE_TODAY, label="x", renderer=lambda reminder: None)


def test_every_kind_of_the_first_modules_is_registered_with_its_label_and_renderer():
    from context.choices import ReminderKind as ContextKind
    from nonconformities.choices import ReminderKind as EventKind
    from risks.choices import ReminderKind as RiskKind

    for kinds in (ReminderKind, RiskKind, EventKind, ContextKind):  # each app declares its own
        assert set(kinds.values) <= set(reminders.registered_kinds()), kinds
    assert all(kind in reminders._renderers for kind in reminders.registered_kinds())
    assert reminders.kind_label(ReminderKind.OVERDUE) == str(ReminderKind.OVERDUE.label)
