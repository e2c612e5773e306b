"""Celery plumbing, the database beat schedules, and a real worker killed mid-sweep."""

from __future__ import annotations

import datetime
import email
import importlib
import json
import os
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from improvement import reminders as action_reminders
from improvement.factories import ActionFactory
from qse import reminders
from qse.celery import app
from qse.factories import MembershipFactory, UserFactory
from qse.models import Notification, Reminder, ReminderStatus
from qse.roles import Role
from qse.tasks import reminders_fan_out, reminders_send_task
from qse.tenancy import organization_context
from qse.testing import TODAY, build_world

TUESDAY = TODAY + datetime.timedelta(days=1)
TEST_REDIS_URL = os.environ.get("QSE_TEST_WORKER_REDIS_URL", "redis://127.0.0.1:63799/7")
CELERY = Path(settings.BASE_DIR) / ".venv" / "bin" / "celery"


# --- beat schedules (data migration) --------------------------------------------------


@pytest.mark.django_db
def test_the_beat_migration_creates_both_schedules_once_and_its_reverse_removes_them():
    migration = importlib.import_module("qse.migrations.0002_beat_schedules")
    PeriodicTask.objects.filter(name__in=[migration.PLAN, migration.SEND]).delete()

    migration.create_schedules(apps, None)
    migration.create_schedules(apps, None)

    plan = PeriodicTask.objects.get(name="Plan reminders")
    send = PeriodicTask.objects.get(name="Send reminders")
    assert (plan.task, json.loads(plan.kwargs)) == ("qse.tasks.reminders_fan_out", {"plan": True})
    assert (plan.crontab.minute, plan.crontab.hour, str(plan.crontab.timezone)) == ("0", "6", "Europe/Paris")
    assert (send.task, json.loads(send.kwargs)) == ("qse.tasks.reminders_fan_out", {"plan": False})
    assert (send.interval.every, send.interval.period) == (5, "minutes")

    migration.delete_schedules(apps, None)
    assert not PeriodicTask.objects.filter(name__in=["Plan reminders", "Send reminders"]).exists()


# --- fan-out --------------------------------------------------------------------------


@pytest.fixture
def eager_celery():
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def test_fan_out_plans_then_sends_for_every_organization(world, eager_celery, django_capture_on_commit_callbacks):
    for side in (world.a, world.b):
        ActionFactory(organization=side.organization, plan=side.plan, owner=side.users[Role.COORDINATOR],
                      due_on=timezone.localdate(), title=f"Échéance {side.organization.slug}")

    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_fan_out(plan=True) == 2

    for side in (world.a, world.b):
        assert Reminder.objects.filter(organization=side.organization).exists()
        assert not Reminder.objects.filter(organization=side.organization, status=ReminderStatus.PENDING).exists()
        notifications = Notification.objects.filter(organization=side.organization)
        assert notifications.filter(title__contains=side.organization.slug).count() == 1


def test_fan_out_without_planning_only_sends_what_is_pending(world, eager_celery, django_capture_on_commit_callbacks):
    owner = world.a.users[Role.COORDINATOR]
    pending = ActionFactory(organization=world.a.organization, plan=world.a.plan, owner=owner, due_on=TUESDAY)
    with organization_context(world.a.organization):
        action_reminders.plan_action_reminders(today=TUESDAY)
    ActionFactory(organization=world.a.organization, plan=world.a.plan, owner=owner, due_on=timezone.localdate())

    with django_capture_on_commit_callbacks(execute=True):
        reminders_fan_out(plan=False)

    assert list(Reminder.objects.values_list("object_id", "status")) == [(pending.pk, ReminderStatus.SENT)]


# --- a real worker, killed in the middle of a sweep -----------------------------------


def plan_reminders(side, count: int) -> list[int]:
    owner = UserFactory(username="alice-killtest")
    MembershipFactory(user=owner, organization=side.organization, role=Role.PROCESS_OWNER)
    for i in range(count):
        ActionFactory(organization=side.organization, plan=side.plan, owner=owner, due_on=TUESDAY,
                      title=f"Kill test action {i:02d}")
    with organization_context(side.organization):
        action_reminders.plan_action_reminders(today=TUESDAY)
    return list(Reminder.objects.filter(organization=side.organization).values_list("pk", flat=True))


@dataclass
class Workers:
    """Real Celery workers on a queue of their own (other test runs may share the broker)."""

    mail_dir: Path
    log_path: Path
    queue: str = field(default_factory=lambda: f"qse-test-{os.getpid()}-{uuid.uuid4().hex[:8]}")

    def start(self) -> subprocess.Popen:
        env = {
            **os.environ,
            "QSE_DB_NAME": connection.settings_dict["NAME"],
            "QSE_REMINDER_TEST_DELAY": "0.3",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "REDIS_URL": TEST_REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "qse.settings",
        }
        env.pop("QSE_DB_ROLE", None)
        command = [str(CELERY), "-A", "qse", "worker", "-l", "info", "--concurrency", "1", "-Q", self.queue,
                   "--pool", "solo", "--without-mingle", "--without-gossip", "--without-heartbeat"]
        with self.log_path.open("ab") as log:
            return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)

    def enqueue_send(self, *, organization_id: int) -> None:
        with app.connection_for_write(TEST_REDIS_URL) as broker:
            reminders_send_task.apply_async(kwargs={"organization_id": organization_id}, queue=self.queue,
                                            connection=broker, ignore_result=True)

    def forget_queue(self) -> None:
        """Drop this run's queue, and the killed worker's unacked message (restored in an hour)."""
        broker = redis.Redis.from_url(TEST_REDIS_URL)
        for key in broker.scan_iter(match=f"*{self.queue}*"):
            broker.delete(key)
        for tag, payload in broker.hgetall("unacked").items():
            if json.loads(payload)[2] == self.queue:
                broker.hdel("unacked", tag)
                broker.zrem("unacked_index", tag)
        broker.close()

    def log(self) -> str:
        return self.log_path.read_text()[-3000:]


def stop_worker(worker: subprocess.Popen, sig=signal.SIGKILL) -> None:
    """Signal the worker's process group (its own session); SIGKILL if SIGTERM is not enough."""
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def sent_count(ids: list[int]) -> int:
    return Reminder.objects.filter(pk__in=ids, status=ReminderStatus.SENT).count()


def wait_for(condition, *, timeout: float, worker: subprocess.Popen, workers: Workers) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if worker.poll() is not None:
            pytest.fail(f"worker exited ({worker.returncode}):\n{workers.log()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s:\n{workers.log()}")
        time.sleep(0.01)


def emailed_message_ids(mail_dir: Path) -> list[str]:
    """Message-IDs of every message the file backend wrote (several per file, dash-separated)."""
    separator = "\n" + "-" * 79 + "\n"
    ids = []
    for path in sorted(mail_dir.glob("*.log")):
        for block in path.read_text().split(separator):
            if block.strip():
                ids.append(email.message_from_string(block.lstrip("\n"))["Message-ID"])
    return ids


def test_a_worker_killed_mid_sweep_loses_nothing_and_sends_nothing_twice(transactional_db, tmp_path):
    world = build_world()
    ids = plan_reminders(world.a, 12)
    organization_id = world.a.organization.pk
    workers = Workers(mail_dir=tmp_path / "mail", log_path=tmp_path / "worker.log")
    workers.mail_dir.mkdir()
    worker = workers.start()
    try:
        workers.enqueue_send(organization_id=organization_id)
        wait_for(lambda: sent_count(ids) >= 3, timeout=30, worker=worker, workers=workers)
        stop_worker(worker)  # SIGKILL, in the middle of a delivery
        assert 3 <= sent_count(ids) < len(ids)
        assert Notification.objects.count() == sent_count(ids)  # the killed one rolled back

        worker = workers.start()
        workers.enqueue_send(organization_id=organization_id)
        wait_for(lambda: sent_count(ids) == len(ids), timeout=60, worker=worker, workers=workers)
    finally:
        stop_worker(worker, signal.SIGTERM if worker.poll() is None else signal.SIGKILL)
        workers.forget_queue()

    assert set(Reminder.objects.filter(pk__in=ids).values_list("status", flat=True)) == {ReminderStatus.SENT}
    titles = sorted(Notification.objects.values_list("title", flat=True))
    assert len(titles) == len(ids)
    for i in range(len(ids)):
        assert sum(f"Kill test action {i:02d}" in title for title in titles) == 1, titles
    message_ids = emailed_message_ids(workers.mail_dir)
    expected = {reminders.message_id(Reminder(pk=pk)) for pk in ids}
    assert sorted(message_ids) == sorted(expected), message_ids
