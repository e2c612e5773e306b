"""A seeded, repeatable dataset of a large industrial group and of small organizations.

Full scale is the group of DESIGN.md (150 sites, 2,500 processes, 8,000 users, 60,000 risks,
250,000 actions, 200,000 events, and the modules' rows of ``dataset_modules``); ``scale`` multiplies every count. Rows are built in memory
by the test factories (``.build()``: the same field values the tests and the demo use) and
written with ``bulk_create`` in large batches, so a model's new field with a default needs no
change here. The history triggers fire as they do in production.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from improvement.choices import ActionStatus
from improvement.factories import ActionFactory, ActionPlanFactory
from nonconformities.choices import EventStatus, EventType, Severity
from nonconformities.factories import EventFactory
from qse.bench.dataset_audits import AUDIT_FULL_SCALE, build_audit_modules
from qse.bench.dataset_modules import MODULE_FULL_SCALE, build_modules
from qse.factories import MembershipFactory, OrganizationFactory, ProcessFactory, SiteFactory
from qse.models import Membership, Organization, Process, Site
from qse.roles import Role
from risks.factories import RiskFactory, RiskMatrixFactory

FULL_SCALE = {"sites": 150, "processes": 2500, "users": 8000, "plans": 3000, "risks": 60000,
              "actions": 250000, "events": 200000, **MODULE_FULL_SCALE, **AUDIT_FULL_SCALE}
SMALL_ORGANIZATIONS = 20
# A small organization is this fraction of the group.
SMALL_FRACTION = 0.01
BATCH = 2000
PASSWORD = "bench-pilote"
TODAY = datetime.date(2026, 11, 30)

# Who the probes sign in as: the group's coordinator, and a process owner limited to 3 sites.
COORDINATOR = "bench-coordinator"
SITE_LIMITED = "bench-site-limited"


@dataclass(frozen=True)
class Counts:
    sites: int
    processes: int
    users: int
    plans: int
    risks: int
    actions: int
    events: int
    texts: int
    requirements: int
    applicabilities: int
    evaluations: int
    objectives: int
    indicators: int
    measurements: int
    devices: int
    sensor_readings: int
    waste_removals: int
    meters: int
    meter_readings: int
    audit_programmes: int
    audits: int
    checklist_answers: int
    suppliers: int
    reviews: int
    projects: int
    eightds: int
    a3s: int
    work_units: int
    occupational_risks: int
    duerp_versions: int
    teams: int
    suggestions: int
    training_topics: int
    training_records: int

    @classmethod
    def at(cls, scale: float) -> Counts:
        return cls(**{name: max(1, round(full * scale)) for name, full in FULL_SCALE.items()})


def dataset_build(*, scale: float, seed: int = 20261130) -> dict:
    """Build the group at ``scale`` and 20 small organizations; return the counts per org."""
    rng = random.Random(seed)
    password = make_password(PASSWORD)
    built = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('qse.all_organizations', 'on', true)")
        built["group"] = _organization("bench-group", "Groupe Industriel Bench", Counts.at(scale), rng, password,
                                       with_probe_users=True)
        small = Counts.at(scale * SMALL_FRACTION)
        for index in range(SMALL_ORGANIZATIONS):
            built[f"small-{index}"] = _organization(f"bench-small-{index:02d}", f"PME Bench {index:02d}", small, rng,
                                                    password)
    return built


def dataset_extend(*, scale: float, seed: int = 20261130) -> dict:
    """Add to an existing bench database the parts of ``dataset_audits`` its organizations
    lack (a database built before those modules); return the parts added per organization.
    Run twice, the second run adds nothing."""
    added = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('qse.all_organizations', 'on', true)")
        organizations = Organization.objects.filter(slug__startswith="bench-").order_by("pk")
        for index, organization in enumerate(organizations):
            fraction = 1 if organization.slug == "bench-group" else SMALL_FRACTION
            added[organization.slug] = build_audit_modules(SimpleNamespace(
                organization=organization, counts=Counts.at(scale * fraction), rng=random.Random(seed + index),
                users=list(get_user_model().objects.filter(username__startswith=f"{organization.slug}-u")
                           .order_by("username")),
                processes=list(Process.objects.filter(organization=organization).order_by("pk")),
                sites=list(Site.objects.filter(organization=organization).order_by("pk")), bulk=_bulk, batch=BATCH))
    return added


def _organization(slug, name, counts: Counts, rng, password, *, with_probe_users=False) -> dict:
    organization = OrganizationFactory(slug=slug, name=name)
    sites = _bulk(SiteFactory, counts.sites, organization=organization,
                  code=lambda i: f"S{i:03d}", name=lambda i: f"Site {i:03d}")
    users = _users(slug, counts.users, password)
    roles = [Role.PROCESS_OWNER] * 6 + [Role.CONTRIBUTOR] * 3 + [Role.AUDITOR]
    Membership.objects.bulk_create(
        [Membership(user=user, organization=organization, role=roles[i % len(roles)]) for i, user in enumerate(users)],
        batch_size=BATCH,
    )
    processes = _bulk(ProcessFactory, counts.processes, organization=organization,
                      code=lambda i: f"P{i:04d}", name=lambda i: f"Processus {i:04d}",
                      owner=lambda i: users[rng.randrange(len(users))])
    plans = _bulk(ActionPlanFactory, counts.plans, organization=organization,
                  owner=lambda i: users[rng.randrange(len(users))],
                  process=lambda i: processes[rng.randrange(len(processes))])
    _actions(organization, counts.actions, rng, users, plans, processes, sites)
    _risks(organization, counts.risks, rng, users, processes, sites)
    _events(organization, counts.events, rng, users, processes, sites)
    context = SimpleNamespace(organization=organization, counts=counts, rng=rng, users=users, processes=processes,
                              sites=sites, bulk=_bulk, batch=BATCH)
    build_modules(context)
    if with_probe_users:  # before the audits' part: the coordinator runs its services
        _probe_users(organization, sites, processes, password)
    build_audit_modules(context)
    return {"organization_id": organization.pk, **counts.__dict__}


def _users(slug, count, password):
    User = get_user_model()
    rows = [User(username=f"{slug}-u{i:05d}", first_name=f"Prénom{i}", last_name=f"Nom{i:05d}",
                 email=f"{slug}-u{i:05d}@bench.pilote-qse.local", password=password) for i in range(count)]
    return User.objects.bulk_create(rows, batch_size=BATCH)


def _bulk(factory, count, **fields):
    """``count`` rows built by the factory; a callable field value is called with the row index."""
    model = factory._meta.model
    rows = [factory.build(**{name: value(i) if callable(value) else value for name, value in fields.items()})
            for i in range(count)]
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _actions(organization, count, rng, users, plans, processes, sites):
    statuses = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.IN_PROGRESS, ActionStatus.DONE]

    def status(i):
        return statuses[i % len(statuses)]

    _bulk(ActionFactory, count, organization=organization,
          plan=lambda i: plans[rng.randrange(len(plans))],
          title=lambda i: f"Action {i:06d}",
          owner=lambda i: users[rng.randrange(len(users))],
          process=lambda i: processes[rng.randrange(len(processes))],
          site=lambda i: sites[rng.randrange(len(sites))],
          status=status,
          progress=lambda i: 100 if status(i) == ActionStatus.DONE else rng.choice((0, 25, 50, 75)),
          due_on=lambda i: TODAY + datetime.timedelta(days=rng.randint(-200, 400)))


def _risks(organization, count, rng, users, processes, sites):
    matrix = RiskMatrixFactory(organization=organization)
    _bulk(RiskFactory, count, organization=organization, matrix=matrix,
          reference=lambda i: f"R-{i:05d}", title=lambda i: f"Risque {i:05d}",
          owner=lambda i: users[rng.randrange(len(users))],
          process=lambda i: processes[rng.randrange(len(processes))],
          site=lambda i: sites[rng.randrange(len(sites))],
          inherent_gravity=lambda i: rng.randint(1, 5), inherent_probability=lambda i: rng.randint(1, 5))


def _events(organization, count, rng, users, processes, sites):
    types = [EventType.INTERNAL_NC, EventType.CUSTOMER_COMPLAINT, EventType.NEAR_MISS, EventType.INCIDENT]
    statuses = [EventStatus.OPEN, EventStatus.ANALYSIS, EventStatus.CLOSED, EventStatus.REPORTED]

    def occurred(i):
        return datetime.datetime(2026, 11, 1, 8, tzinfo=datetime.UTC) - datetime.timedelta(hours=rng.randint(0, 9000))

    _bulk(EventFactory, count, organization=organization,
          reference=lambda i: f"EV-B-{i:06d}", title=lambda i: f"Événement {i:06d}",
          event_type=lambda i: types[i % len(types)], status=lambda i: statuses[i % len(statuses)],
          severity=lambda i: rng.choice(list(Severity)),
          occurred_at=occurred, detected_on=lambda i: TODAY - datetime.timedelta(days=rng.randint(0, 370)),
          owner=lambda i: users[rng.randrange(len(users))],
          process=lambda i: processes[rng.randrange(len(processes))],
          site=lambda i: sites[rng.randrange(len(sites))])


def _probe_users(organization, sites, processes, password):
    User = get_user_model()
    coordinator = User.objects.create(username=COORDINATOR, first_name="Claire", last_name="Coordination",
                                      password=password)
    MembershipFactory(user=coordinator, organization=organization, role=Role.COORDINATOR)
    limited = User.objects.create(username=SITE_LIMITED, first_name="Luc", last_name="Limité", password=password)
    membership = MembershipFactory(user=limited, organization=organization, role=Role.PROCESS_OWNER)
    membership.sites.set(sites[:3])
    for process in processes[:5]:
        process.owner = limited
    type(processes[0]).objects.bulk_update(processes[:5], ["owner"])
