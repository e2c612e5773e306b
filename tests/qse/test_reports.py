"""PDF reports: rendered for real with WeasyPrint (read back with poppler), on real
PostgreSQL with row-level security; the Celery task is run synchronously."""

from __future__ import annotations

import contextlib
import datetime
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from improvement.choices import ActionStatus
from improvement.factories import ActionFactory
from improvement.reports import action_plan_context
from qse import reports
from qse.celery import app
from qse.factories import SiteFactory
from qse.models import GeneratedReport, Membership, ReportStatus
from qse.reports import bar_chart, pdf_render_task, report_request
from qse.roles import Role
from qse.tenancy import organization_context
from qse.testing import count_queries

KIND = "improvement.action_plan"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager_celery():
    """CELERY_TASK_ALWAYS_EAGER for one test (the Celery app has read its settings already)."""
    keys = ("task_always_eager", "task_eager_propagates")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(dict.fromkeys(keys, True))
    yield
    app.conf.update(saved)


@contextlib.contextmanager
def as_member(user, organization):
    """What a request does: this user's membership active, row-level security on."""
    membership = Membership.objects.get(user=user, organization=organization)
    with organization_context(organization, membership):
        yield


def requested(world, *, user=None, target=None, kind=KIND) -> GeneratedReport:
    user = user or world.user()
    with as_member(user, world.a.organization):
        return report_request(kind=kind, target=target or world.a.plan, acting_user=user)


def render(report: GeneratedReport) -> str:
    outcome = pdf_render_task(organization_id=report.organization_id, report_id=report.pk)
    report.refresh_from_db()
    return outcome


def pdf_text(report: GeneratedReport) -> str:
    result = subprocess.run(["pdftotext", "-layout", report.file.path, "-"], capture_output=True, check=True)
    return result.stdout.decode()


def report_url(report, suffix: str = "") -> str:
    return reverse(f"qse:report_{suffix or 'status'}", args=[report.pk])


def request_url(plan) -> str:
    return reverse("qse:report_request", args=[KIND, plan.pk])


# --- rendering ---------------------------------------------------------------------------


def test_the_action_plan_pdf_holds_the_plan_its_actions_and_a_vector_chart(world):
    report = requested(world)

    assert render(report) == "done"

    assert (report.status, report.progress, report.error) == (ReportStatus.DONE, 100, "")
    assert report.file.name.startswith(f"reports/{world.a.organization.pk}/") and report.file.name.endswith(".pdf")
    assert report.file.read(5) == b"%PDF-"
    assert report.page_count >= 1 and report.finished_at is not None
    text = pdf_text(report)
    for expected in (world.a.organization.name, world.a.plan.title, *[a.title for a in world.a.actions]):
        assert expected in text
    assert f"1 / {report.page_count}" in text
    assert "Beta" not in text
    images = subprocess.run(["pdfimages", "-list", report.file.path], capture_output=True, check=True).stdout.decode()
    assert len(images.strip().splitlines()) == 2  # the header lines only: no raster image


def test_a_long_plan_runs_over_several_pages_with_numbered_pages(world):
    for index in range(80):
        ActionFactory(organization=world.a.organization, plan=world.a.plan, owner=world.user(), title=f"Action longue {index}")
    report = requested(world)

    render(report)

    assert report.page_count >= 3
    text = pdf_text(report)
    assert f"{report.page_count} / {report.page_count}" in text
    assert "Action longue 79" in text


def test_the_pdf_shows_only_what_the_requester_may_see(world):
    other_site = SiteFactory(organization=world.a.organization, code="ALP2", name="Site 2")
    hidden = ActionFactory(organization=world.a.organization, plan=world.a.plan, owner=world.user(), site=other_site,
                           title="Action du site 2")
    auditor = world.a.users[Role.AUDITOR]
    Membership.objects.get(user=auditor, organization=world.a.organization).sites.add(world.a.site)

    report = requested(world, user=auditor)
    render(report)

    text = pdf_text(report)
    assert world.a.actions[0].title in text
    assert hidden.title not in text


def test_rendering_twice_is_idempotent(world, media_root):
    report = requested(world)
    render(report)
    first_file, first_finished = report.file.name, report.finished_at

    assert render(report) == "skipped"

    assert (report.file.name, report.finished_at) == (first_file, first_finished)
    assert len([p for p in media_root.rglob("*.pdf")]) == 1


def test_a_duplicate_delivery_while_another_worker_renders_does_nothing(world):
    report = requested(world)
    other = connection.get_new_connection(connection.get_connection_params())
    key = reports.render_lock_key(report.pk)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        assert render(report) == "busy"
        assert report.status == ReportStatus.PENDING
        # Unlocked explicitly: closing the connection releases its locks only once the server
        # process has exited, which under load comes after the next render (the old flake).
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    finally:
        other.close()
    assert render(report) == "done"


def test_a_report_left_running_by_a_dead_worker_is_rendered_when_redelivered(world):
    report = requested(world)
    GeneratedReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=30)

    assert render(report) == "done"
    assert report.status == ReportStatus.DONE


def test_a_failing_render_marks_the_report_failed_and_the_worker_goes_on(world, monkeypatch):
    def broken(obj, user, *, today):
        raise RuntimeError("gabarit introuvable")

    monkeypatch.setitem(reports._kinds, "tests.broken", reports.ReportKind(
        "tests.broken", type(world.a.plan), "Broken", broken, "qse/pdf/base.html",
    ))
    report = requested(world, kind="tests.broken")

    assert render(report) == "failed"

    assert report.status == ReportStatus.FAILED
    assert "RuntimeError: gabarit introuvable" in report.error
    assert not report.file and report.finished_at is not None
    assert render(report) == "skipped"  # failed is final: the user asks again


def test_a_requester_who_left_the_organization_gets_a_failed_report(world):
    report = requested(world)
    Membership.objects.filter(user=world.user(), organization=world.a.organization).update(is_active=False)

    assert render(report) == "failed"
    assert report.status == ReportStatus.FAILED


def test_the_render_task_goes_to_the_pdf_queue():
    assert pdf_render_task.name == "qse.reports.pdf_render_task"
    assert app.amqp.router.route({}, pdf_render_task.name)["queue"].name == "pdf"
    assert pdf_render_task.acks_late


def test_reports_fetch_nothing_from_the_network_but_their_own_data_uris():
    fetcher = reports._no_fetch()
    for url in ("http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "https://cdn.example/x.png"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,UGlsb3Rl").read() == b"Pilote"


# --- context builder ---------------------------------------------------------------------


def test_the_action_plan_context_counts_actions_by_status_and_late_ones(world):
    today = datetime.date(2026, 11, 23)
    ActionFactory(organization=world.a.organization, plan=world.a.plan, owner=world.user(), title="En retard",
                  due_on=today - datetime.timedelta(days=1), status=ActionStatus.IN_PROGRESS)
    with as_member(world.user(), world.a.organization):
        context = action_plan_context(world.a.plan, world.user(), today=today)

    counts = {row["label"]: row["count"] for row in context["by_status"]}
    assert list(counts.values()) == [1, 2, 1, 0]
    assert (context["total"], context["late_count"], context["awaiting_check_count"]) == (4, 1, 1)
    assert [bar.value for bar in context["chart"]["bars"]] == [1, 2, 1, 0]


def test_the_action_plan_context_costs_the_same_queries_for_3_or_30_actions(world):
    def queries() -> int:
        with as_member(world.user(), world.a.organization):
            return count_queries(lambda: action_plan_context(world.a.plan, world.user(), today=datetime.date(2026, 11, 23)))

    few = queries()
    for index in range(27):
        ActionFactory(organization=world.a.organization, plan=world.a.plan, owner=world.user(),
                      process=world.a.process, site=world.a.site, title=f"Action {index}")
    many = queries()

    assert many == few <= 3, (few, many)  # the member's sites, the plan, its actions


def test_the_bar_chart_scales_bars_to_the_longest():
    chart = bar_chart([("A", 4, "#000"), ("B", 2, "#111"), ("C", 0, "#222")], width=300, label_width=100)

    widths = [bar.width for bar in chart["bars"]]
    assert widths == [160, 80, 0]
    assert chart["height"] == 3 * 18 + 2 * 8
    assert bar_chart([])["bars"] == []


# --- pages -------------------------------------------------------------------------------


def test_the_plan_page_offers_the_pdf(client, world):
    client.force_login(world.user())
    page = client.get(world.a.plan.get_absolute_url()).content.decode()
    assert f'action="{request_url(world.a.plan)}"' in page


def test_asking_for_the_pdf_renders_it_on_commit_and_the_page_offers_the_download(client, world, eager_celery,
                                                                                   django_capture_on_commit_callbacks):
    client.force_login(world.user())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(request_url(world.a.plan))

    report = GeneratedReport.objects.get()
    assert len(callbacks) == 1
    assert response.status_code == 302 and response["Location"] == report_url(report)
    assert (report.status, report.requested_by, report.object_id) == (ReportStatus.DONE, world.user(), world.a.plan.pk)
    page = client.get(report_url(report)).content.decode()
    assert report_url(report, "download") in page and "every 1s" not in page
    download = client.get(report_url(report, "download"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_status_page_polls_and_shows_progress_until_done(client, world):
    report = requested(world)
    GeneratedReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=60)
    client.force_login(world.user())

    page = client.get(report_url(report)).content.decode()
    partial = client.get(report_url(report), headers={"HX-Request": "true"}).content.decode()

    assert "<html" in page and "<html" not in partial
    for html in (page, partial):
        assert f'hx-get="{report_url(report)}"' in html and 'hx-trigger="every 1s"' in html
        assert 'value="60"' in html and "60 %" in html
    assert client.get(report_url(report, "download")).status_code == 404  # not ready yet

    render(report)
    done = client.get(report_url(report), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and report_url(report, "download") in done


def test_a_failed_report_says_so(client, world):
    report = requested(world)
    GeneratedReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error="boom")
    client.force_login(world.user())

    page = client.get(report_url(report)).content.decode()

    assert 'data-status="failed"' in page and "hx-trigger" not in page and "boom" not in page


def test_another_organizations_user_gets_404_everywhere(client, world):
    report = requested(world)
    render(report)
    client.force_login(world.b.users[Role.COORDINATOR])

    assert client.get(report_url(report)).status_code == 404
    assert client.get(report_url(report, "download")).status_code == 404
    assert client.post(request_url(world.a.plan)).status_code == 404
    assert not GeneratedReport.objects.filter(requested_by=world.b.users[Role.COORDINATOR]).exists()


def test_a_report_is_read_only_by_its_requester(client, world):
    report = requested(world)
    render(report)
    client.force_login(world.a.users[Role.ADMIN])

    assert client.get(report_url(report)).status_code == 404
    assert client.get(report_url(report, "download")).status_code == 404


def test_asking_for_an_unknown_report_or_with_get_is_refused(client, world):
    client.force_login(world.user())

    assert client.post(reverse("qse:report_request", args=["nope.nothing", world.a.plan.pk])).status_code == 404
    assert client.get(request_url(world.a.plan)).status_code == 405
    assert not GeneratedReport.objects.exists()


# --- one report per content --------------------------------------------------------------


def test_a_double_click_makes_one_report_and_the_second_request_shows_the_first_ones_progress(client, world):
    client.force_login(world.user())

    first = client.post(request_url(world.a.plan))
    GeneratedReport.objects.update(status=ReportStatus.RUNNING, progress=40)
    second = client.post(request_url(world.a.plan))

    report = GeneratedReport.objects.get()
    assert first["Location"] == second["Location"] == report_url(report)
    assert 'value="40"' in client.get(second["Location"]).content.decode()


def test_each_requester_gets_a_report_built_with_their_own_rights(world):
    mine = requested(world)
    theirs = requested(world, user=world.a.users[Role.AUDITOR])

    assert mine.pk != theirs.pk
    assert requested(world).pk == mine.pk


def test_a_finished_report_whose_kind_has_no_content_version_is_not_handed_out_again(world):
    report = requested(world)
    render(report)

    again = requested(world)

    assert again.pk != report.pk and again.status == ReportStatus.PENDING
    assert report.dedupe_key is None


def test_a_failed_report_is_not_handed_out_again(world):
    report = requested(world)
    GeneratedReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, dedupe_key=None)

    assert requested(world).pk != report.pk


def test_a_report_in_another_language_is_another_report(world):
    from django.utils import translation

    french = requested(world)
    with translation.override("en"):
        english = requested(world)

    assert french.pk != english.pk and (french.language, english.language) == ("fr", "en")


def test_two_simultaneous_requests_for_the_same_content_make_one_report(transactional_db, monkeypatch):
    """Both requests miss the lookup; the unique key makes the second one read the first's."""
    import threading

    from qse.testing import build_world

    world = build_world()
    user, plan = world.user(), world.a.plan
    membership = Membership.objects.select_related("organization", "user").get(user=user, organization=world.a.organization)
    membership.site_ids  # noqa: B018  (loaded here: the threads' sessions have no bypass)
    both_looked = threading.Barrier(2, timeout=10)
    original = reports._reusable
    first_lookup = threading.local()

    def racing_lookup(key):
        if not getattr(first_lookup, "done", False):
            first_lookup.done = True
            both_looked.wait()
            return None
        return original(key)

    monkeypatch.setattr(reports, "_reusable", racing_lookup)
    monkeypatch.setattr(reports.pdf_render_task, "delay", lambda **kwargs: None)
    results, errors = [], []

    def ask():
        try:
            with organization_context(world.a.organization, membership):
                results.append(report_request(kind=KIND, target=plan, acting_user=user).pk)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert len(results) == 2 and results[0] == results[1]
    assert GeneratedReport.objects.count() == 1


def test_a_report_left_waiting_past_any_render_is_sent_to_a_worker_again(world, django_capture_on_commit_callbacks):
    report = requested(world)
    with django_capture_on_commit_callbacks() as fresh:
        assert requested(world).pk == report.pk
    GeneratedReport.objects.filter(pk=report.pk).update(
        updated_at=timezone.now() - datetime.timedelta(seconds=reports.RENDER_SOFT_TIME_LIMIT * 2 + 1)
    )

    with django_capture_on_commit_callbacks() as stuck:
        assert requested(world).pk == report.pk

    assert (len(fresh), len(stuck)) == (0, 1)
    assert GeneratedReport.objects.count() == 1


def test_a_report_whose_file_was_lost_from_storage_answers_404_not_500(client, world):
    report = requested(world)
    render(report)
    Path(report.file.path).unlink()
    client.force_login(world.user())

    assert client.get(report_url(report, "download")).status_code == 404
