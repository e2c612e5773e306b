"""The computed indicators' refresh, as a django-celery-beat row (an admin can change it):
every night at 5:30 (Paris), before the 6:00 reminder planning reads the fresh values.
Idempotent (get_or_create), reversible."""

from django.db import migrations
from django.utils import timezone

TASK = "objectives.tasks.indicators_refresh_fan_out"
NAME = "Refresh computed indicators"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    fields = {"minute": "30", "hour": "5", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*",
              "timezone": "Europe/Paris"}
    nightly = CrontabSchedule.objects.filter(**fields).order_by("pk").first() or CrontabSchedule.objects.create(**fields)
    PeriodicTask.objects.get_or_create(name=NAME, defaults={
        "task": TASK, "crontab": nightly, "kwargs": "{}",
        "description": "Recomputes every organization's indicators computed from the application's data.",
    })
    _touch_scheduler(apps)


def delete_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME, task=TASK).delete()
    _touch_scheduler(apps)


def _touch_scheduler(apps):
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):

    dependencies = [
        ("objectives", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
