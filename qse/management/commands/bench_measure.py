"""Measure every probe of the benchmark against the database this process points at, as the
group's coordinator and as a process owner limited to three sites; write one JSON file."""

import json
import re
import time
from functools import partial
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client, override_settings

from audits.choices import AuditStatus
from improvement.models import ActionPlan
from qse.bench.dataset import COORDINATOR, SITE_LIMITED
from qse.bench.discovery import discovered_probes, export_probes, report_kinds
from qse.bench.pdfs import time_report
from qse.bench.probes import (
    MIN_SAMPLES,
    PROBE_SECONDS,
    PROBES,
    REPEAT,
    SAMPLES_FOR_P95,
    Floor,
    Probe,
    time_floor,
    time_request,
)
from qse.gc_freeze import freeze_after_start_up
from qse.models import Membership, Organization


class Command(BaseCommand):
    help = "Time the benchmark's pages, API lists, exports and their floors (see qse/bench/probes.py)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True)
        parser.add_argument("--out", required=True)
        # While working on one page: measure only the probes whose name matches, no PDFs.
        parser.add_argument("--only", default="", help="a regular expression on the probes' names")
        parser.add_argument("--no-pdfs", action="store_true")
        # The production server freezes its start-up objects (qse/wsgi.py); this measures without.
        parser.add_argument("--no-gc-freeze", action="store_true")

    def handle(self, *args, scale, out, only="", no_pdfs=False, no_gc_freeze=False, **options):
        with override_settings(ROOT_URLCONF="qse.bench.urls", ALLOWED_HOSTS=["testserver"], DEBUG=False):
            # The hand-written probes, then every list, API list and page of the registries.
            organization_id = _organization_of(COORDINATOR)
            self.probes = PROBES + _large_exports() + _checklist_probes(organization_id) + discovered_probes(PROBES)
            if only:
                self.probes = [p for p in self.probes if p.name == "hello" or re.search(only, p.name)]
            # As the app server does once started (its URL configuration is this one's, included).
            frozen = 0 if no_gc_freeze else freeze_after_start_up()
            result = {"scale": scale, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                      "sampling": {"samples": REPEAT, "samples_for_p95": SAMPLES_FOR_P95,
                                   "probe_seconds": PROBE_SECONDS, "min_samples": MIN_SAMPLES,
                                   "gc_frozen_objects": frozen},
                      "users": {}, "floors": {}}
            for username in (COORDINATOR, SITE_LIMITED):
                result["users"][username] = self._measure_as(username)
            result["pdfs"] = {} if no_pdfs else self._measure_pdfs(organization_id)
            connection.close()
            for probe in self.probes:
                if probe.floor is not None:
                    result["floors"][probe.name] = time_floor(probe.floor, organization_id)
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(result, indent=1))
        self.stdout.write(f"bench: scale {scale} measured, {out}")

    def _measure_as(self, username: str) -> dict:
        client = Client(raise_request_exception=False)
        client.force_login(get_user_model().objects.get(username=username))
        measured = {}
        for probe in self.probes:
            if probe.discovered and username != COORDINATOR:
                continue
            measured[probe.name] = time_request(client, probe)
            self.stderr.write(f"  {username:<20} {probe.name:<34} p95 {measured[probe.name]['p95'] * 1000:8.1f} ms"
                              f" (n={measured[probe.name]['n']:2d})"
                              f"  {measured[probe.name]['queries']:3d} queries  status {measured[probe.name]['status']}")
        return measured


    def _measure_pdfs(self, organization_id: int) -> dict:
        """The largest action plan's PDF and the whole risk register, then every other
        registered kind on its first record (the organization for a whole-organization
        report), as the coordinator."""
        measured = {
            "action plan PDF": time_report(kind="improvement.action_plan", target_of=_largest_plan,
                                           username=COORDINATOR),
            "risk register PDF": time_report(kind="risks.register", target_of=lambda organization: organization,
                                             username=COORDINATOR),
        }
        for entry in report_kinds(skip={"improvement.action_plan", "risks.register"}):
            measured[f"PDF {entry.kind}"] = time_report(kind=entry.kind, target_of=partial(_first_record, entry.model),
                                                        username=COORDINATOR)
        for name, pdf in measured.items():
            self.stderr.write(f"  {name:<20} {pdf}")
        return measured


def _large_exports():
    """The meter readings' list: 54,000 rows at 1/10, the 50,000-row export of DESIGN.md's P10."""
    from risks.models import MeterReading
    from risks.views_environment_consumption import MeterReadingTable

    return export_probes("risks:meterreading_list", MeterReading, MeterReadingTable, "meter reading")


def _checklist_probes(organization_id: int) -> list[Probe]:
    """The checklist of the group's first reported audit on a site the limited user also sees
    (100 questions and answers) as the tablet loads it, against the questions and answers read
    straight from PostgreSQL; none in a database without audits."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('qse.organization_id', %s, true)", [str(organization_id)])
        cursor.execute("SELECT a.id FROM audits_audit a WHERE a.organization_id = %s AND a.status IN (%s, %s) "
                       "AND EXISTS (SELECT 1 FROM audits_auditquestion q WHERE q.audit_id = a.id) "
                       # On one of the site-limited user's sites: P4 compares the same page, not a 404.
                       "AND a.site_id IN (SELECT ms.site_id FROM qse_membership_sites ms "
                       "JOIN qse_membership m ON m.id = ms.membership_id JOIN auth_user u ON u.id = m.user_id "
                       "WHERE u.username = %s) ORDER BY a.id LIMIT 1",
                       [organization_id, AuditStatus.REPORTED, AuditStatus.CLOSED, SITE_LIMITED])
        row = cursor.fetchone()
    if row is None:
        return []
    floor = Floor(
        "SELECT q.id, q.position, q.standard, q.clause, q.text, q.guidance, q.source, an.id, an.result, an.comment, "
        "an.evidence, an.score, an.answered_at, an.version FROM audits_auditquestion q "
        "LEFT JOIN audits_auditanswer an ON an.question_id = q.id "
        f"WHERE q.organization_id = %(org)s AND q.audit_id = {int(row[0])} ORDER BY q.position, q.id")
    return [Probe("API audit checklist", f"/api/v1/audits/{int(row[0])}/checklist/", "api", floor)]


def _first_record(model, organization):
    """The report's subject: the organization itself, or the first record RLS shows in it."""
    if model is Organization:
        return organization
    return model.objects.order_by("pk").first()


def _largest_plan(organization):
    return (ActionPlan.objects.filter(organization=organization).annotate(size=Count("actions"))
            .order_by("-size", "pk").first())


def _organization_of(username: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('qse.user_id', (SELECT id::text FROM auth_user WHERE username = %s), false)",
                       [username])
    return Membership.objects.filter(user__username=username).values_list("organization_id", flat=True).get()
