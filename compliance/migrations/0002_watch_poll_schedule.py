"""The watch's polling schedule, as a django-celery-beat row an admin can change: every 15
minutes, the fan-out sends one task per due source (each source keeps its own interval).
Idempotent (get_or_create): an admin's edited schedule is kept."""

from django.db import migrations
from django.utils import timezone

TASK = "compliance.tasks.watch_poll_due"
NAME = "Poll watch sources"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every = (IntervalSchedule.objects.filter(every=15, period="minutes").order_by("pk").first()
             or IntervalSchedule.objects.create(every=15, period="minutes"))
    PeriodicTask.objects.get_or_create(name=NAME, defaults={
        "task": TASK, "interval": every, "kwargs": "{}",
        "description": "Polls every organization's due watch sources (one task per source).",
    })
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME, task=TASK).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("compliance", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
