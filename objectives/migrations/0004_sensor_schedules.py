"""The sensor module's beat schedules, as django-celery-beat rows (an admin can change them):
roll-ups every minute, partitions made ahead every night. Idempotent (get_or_create)."""

from django.db import migrations
from django.utils import timezone

ROLLUPS = "Roll up sensor readings"
PARTITIONS = "Create sensor partitions ahead"
ROLLUPS_TASK = "objectives.sensors_tasks.sensors_rollups_fan_out"
PARTITIONS_TASK = "objectives.sensors_tasks.sensors_partitions_task"


def create_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    every_minute = IntervalSchedule.objects.filter(every=1, period="minutes").order_by("pk").first() \
        or IntervalSchedule.objects.create(every=1, period="minutes")
    nightly_fields = dict(minute="17", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Paris")
    nightly = CrontabSchedule.objects.filter(**nightly_fields).order_by("pk").first() \
        or CrontabSchedule.objects.create(**nightly_fields)
    PeriodicTask.objects.get_or_create(name=ROLLUPS, defaults={
        "task": ROLLUPS_TASK, "interval": every_minute,
        "description": "Rolls up the hours that received sensor readings, per organization.",
    })
    PeriodicTask.objects.get_or_create(name=PARTITIONS, defaults={
        "task": PARTITIONS_TASK, "crontab": nightly,
        "description": "Creates this month's and the next three months' partitions of sensor readings.",
    })
    apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
        ident=1, defaults={"last_update": timezone.now()})


def delete_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[ROLLUPS, PARTITIONS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("objectives", "0003_sensors"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, delete_schedules)]
