"""The reminder schedules, as django-celery-beat rows: an admin can change them.

Idempotent (get_or_create): running it on a database where an admin already edited a
schedule keeps the admin's version. django_celery_beat tables have no row-level security.
"""

import json

from django.db import migrations
from django.utils import timezone

FAN_OUT = "qse.tasks.reminders_fan_out"
PLAN = "Plan reminders"
SEND = "Send reminders"


def _crontab(apps, **fields):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    existing = CrontabSchedule.objects.filter(**fields).order_by("pk").first()
    return existing or CrontabSchedule.objects.create(**fields)


def _interval(apps, **fields):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    existing = IntervalSchedule.objects.filter(**fields).order_by("pk").first()
    return existing or IntervalSchedule.objects.create(**fields)


def _touch_scheduler(apps):
    """A running beat (DatabaseScheduler) reloads its schedule when this date changes."""
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def create_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    daily = _crontab(apps, minute="0", hour="6", day_of_week="*", day_of_month="*",
                     month_of_year="*", timezone="Europe/Paris")
    every_five_minutes = _interval(apps, every=5, period="minutes")
    PeriodicTask.objects.get_or_create(name=PLAN, defaults={
        "task": FAN_OUT, "crontab": daily, "kwargs": json.dumps({"plan": True}),
        "description": "Plans every organization's reminders, then sends them.",
    })
    PeriodicTask.objects.get_or_create(name=SEND, defaults={
        "task": FAN_OUT, "interval": every_five_minutes, "kwargs": json.dumps({"plan": False}),
        "description": "Sends every organization's pending reminders.",
    })
    _touch_scheduler(apps)


def delete_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[PLAN, SEND], task=FAN_OUT).delete()
    _touch_scheduler(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("qse", "0001_initial_tenancy"),
        # A sibling 0002 exists; depending on it keeps one leaf node in the qse app.
        ("qse", "0002_constraint_messages"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, delete_schedules)]
