"""The supplier evaluation, computed in SQL: the last supplier audit's score, delivery and
quality figures of the last twelve months, the supplier NCs (events linked to the supplier), the
overall score and class (every expected figure worked out by hand below); the ranking for
purchasing, the review's section, the certification reminders."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.choices import AuditKind
from audits.factories import AuditAnswerFactory, AuditFactory, AuditQuestionFactory, SupplierFactory
from audits.factories_banks import SupplierCertificationFactory, SupplierFigureFactory
from audits.selectors_suppliers import suppliers_evaluated, window_start
from nonconformities.choices import EventStatus, EventType
from nonconformities.factories import EventFactory
from qse.roles import Role

TODAY = datetime.date(2026, 11, 23)


def test_the_window_starts_on_the_first_of_the_month_eleven_months_earlier():
    assert window_start(TODAY) == datetime.date(2025, 12, 1)
    assert window_start(datetime.date(2026, 1, 5)) == datetime.date(2025, 2, 1)


def _audit(supplier, on, results):
    audit = AuditFactory(organization=supplier.organization, kind=AuditKind.SUPPLIER, supplier=supplier, planned_start=on)
    for result in results:
        AuditAnswerFactory(question=AuditQuestionFactory(audit=audit), result=result)
    return audit


def _event(supplier, party, detected_on, **extra):
    """An event linked to ``supplier`` (None: naming ``party`` only, linked to no supplier)."""
    organization = extra.pop("organization", None) or supplier.organization
    return EventFactory(organization=organization, supplier=supplier, third_party=party, detected_on=detected_on,
                        event_type=extra.pop("event_type", EventType.SUPPLIER_NC), **extra)


def _three_suppliers(organization):
    foundry = SupplierFactory(organization=organization, name="Fonderie du Gier", critical=True)
    SupplierFigureFactory(supplier=foundry, period=datetime.date(2026, 10, 1), lots_delivered=20, lots_on_time=18,
                          lots_rejected=1, quantity_received=10_000, quantity_rejected=30)
    SupplierFigureFactory(supplier=foundry, period=datetime.date(2026, 9, 1), lots_delivered=10, lots_on_time=10,
                          lots_rejected=0, quantity_received=5_000, quantity_rejected=0)
    SupplierFigureFactory(supplier=foundry, period=datetime.date(2025, 11, 1), lots_delivered=10, lots_on_time=0,
                          lots_rejected=5, quantity_received=1_000, quantity_rejected=1_000)  # before the window
    _audit(foundry, datetime.date(2025, 3, 1), ["conforming"] * 3)  # an older audit: not the last one
    _audit(foundry, datetime.date(2026, 6, 10),
           ["conforming", "conforming", "minor_nc", "major_nc", "not_applicable", "observation", ""])
    _event(foundry, " fonderie du GIER ", datetime.date(2026, 10, 2))
    # Its name without the link does not count: the register's key does.
    _event(None, "Fonderie du Gier", datetime.date(2026, 10, 9), organization=organization)
    _event(foundry, "Fonderie du Gier", datetime.date(2026, 10, 9), status=EventStatus.REJECTED)
    _event(foundry, "Fonderie du Gier", datetime.date(2026, 10, 9), archived_at=datetime.datetime(2026, 10, 20, tzinfo=datetime.UTC))
    _event(foundry, "Fonderie du Gier", datetime.date(2025, 1, 9))  # before the window
    screws = SupplierFactory(organization=organization, name="Visserie Rhône")
    SupplierFigureFactory(supplier=screws, period=datetime.date(2026, 11, 1), lots_delivered=10, lots_on_time=10,
                          lots_rejected=0, quantity_received=1_000, quantity_rejected=0)
    SupplierFactory(organization=organization, name="Emballages Nouveaux")
    return foundry


def test_the_evaluation_weighs_audit_delivery_quality_and_ncs_as_worked_out_by_hand(world, as_member):
    as_member(Role.COORDINATOR)
    _three_suppliers(world.a.organization)
    rows = {s.name: s for s in suppliers_evaluated(today=TODAY)}
    foundry = rows["Fonderie du Gier"]
    # Last audit: (100 + 100 + 40 + 0 + 75) / 5 = 63 (not applicable and unanswered left out).
    assert round(foundry.audit_score, 6) == 63
    # 28 of 30 lots on time; 30 of 15,000 parts rejected = 2,000 ppm -> quality 100 - 20 = 80.
    assert round(foundry.on_time_rate, 4) == 93.3333 and round(foundry.ppm) == 2000
    assert round(foundry.quality_score, 6) == 80 and round(foundry.rejected_lot_rate, 4) == 3.3333
    assert foundry.nc_count == 1
    # 0.4 x 63 + 0.3 x 93.333 + 0.3 x 80 = 77.2, minus 10 for the NC.
    assert round(foundry.score, 4) == 67.2 and foundry.rating == "B"
    screws = rows["Visserie Rhône"]
    # No audit: delivery and quality share the weight, 100 each.
    assert (screws.audit_score, round(screws.score, 6), screws.rating) == (None, 100, "A")
    unrated = rows["Emballages Nouveaux"]
    assert (unrated.score, unrated.rating, unrated.nc_count) == (None, "", 0)


def test_the_ranking_page_and_api_put_the_best_first_for_every_role(client, world):
    _three_suppliers(world.a.organization)
    SupplierFactory(organization=world.b.organization, name="Beta Fournisseur")
    for role in (Role.CONTRIBUTOR, Role.MANAGEMENT, Role.COORDINATOR):
        client.force_login(world.a.users[role])
        page = client.get("/audits/suppliers/ranking/")
        assert page.status_code == 200
        text = page.content.decode()
        assert text.index("Visserie Rhône") < text.index("Fonderie du Gier") < text.index("Emballages Nouveaux")
        assert "Beta Fournisseur" not in text
    api = client.get("/api/v1/audits/supplier-ranking/").json()
    assert [row["name"] for row in api["results"]][:3] == ["Visserie Rhône", "Fonderie du Gier", "Emballages Nouveaux"]
    assert api["results"][1]["rating"] == "B" and api["results"][1]["nc_count"] == 1


def test_the_ranking_queries_do_not_grow_with_suppliers(client, world):
    client.force_login(world.user())
    _three_suppliers(world.a.organization)
    with CaptureQueriesContext(connection) as few:
        client.get("/audits/suppliers/ranking/")
    for index in range(10):
        supplier = SupplierFactory(organization=world.a.organization, name=f"Sous-traitant {index}")
        SupplierFigureFactory(supplier=supplier, period=datetime.date(2026, 8, 1))
        _event(supplier, supplier.name, datetime.date.today())
        _audit(supplier, datetime.date(2026, 4, 1), ["conforming", "minor_nc"])
    with CaptureQueriesContext(connection) as many:
        client.get("/audits/suppliers/ranking/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_scorecard_page_shows_the_evaluation_certifications_and_ncs(client, world):
    foundry = _three_suppliers(world.a.organization)
    SupplierCertificationFactory(supplier=foundry, standard="IATF 16949", expires_on=datetime.date.today() + datetime.timedelta(days=20))
    client.force_login(world.a.users[Role.AUDITOR])
    page = client.get(foundry.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="score">' in text and "IATF 16949" in text
    assert 'class="tag late"' in text  # the certificate expiring within the notice


def test_the_review_section_ranks_the_critical_and_weakest_first_in_two_queries(world, as_member):
    from qse.review import ReviewScope, section

    as_member(Role.COORDINATOR)
    foundry = _three_suppliers(world.a.organization)
    SupplierCertificationFactory(supplier=foundry, standard="ISO 9001:2015", expires_on=datetime.date(2026, 12, 15))
    SupplierCertificationFactory(supplier=foundry, standard="ISO 14001:2015", expires_on=datetime.date(2028, 1, 1))
    scope = ReviewScope(organization_id=world.a.organization.pk, start=datetime.date(2026, 1, 1), end=TODAY)
    selector = section("audits.suppliers").selector
    with CaptureQueriesContext(connection) as queries:
        data = selector(scope)
    assert len(queries.captured_queries) == 2
    assert [row[0] for row in data["rows"]] == ["Fonderie du Gier", "Visserie Rhône", "Emballages Nouveaux"]
    assert data["rows"][0][2:] == ["B", 67, 63, 93.3, 2000, 1]
    assert [row[1] for row in data["certifications"]] == ["ISO 9001:2015"]
    import json

    json.dumps(data)  # frozen into the review's snapshot


def test_an_expiring_certificate_is_reminded_once_to_the_buyer_or_else_the_coordinators(world, as_member):
    from audits.reminders_suppliers import (
        plan_certification_reminders,
        render_certification_reminder,
    )
    from qse.models import Reminder

    as_member(Role.COORDINATOR)
    buyer = world.a.users[Role.PROCESS_OWNER]
    owned = SupplierCertificationFactory(supplier=SupplierFactory(organization=world.a.organization, owner=buyer),
                                         expires_on=TODAY + datetime.timedelta(days=30))
    SupplierCertificationFactory(supplier=SupplierFactory(organization=world.a.organization, name="Sans acheteur"),
                                 expires_on=TODAY - datetime.timedelta(days=3))
    SupplierCertificationFactory(supplier=SupplierFactory(organization=world.a.organization),
                                 expires_on=TODAY + datetime.timedelta(days=90))  # not yet
    assert plan_certification_reminders(today=TODAY) == 2
    assert plan_certification_reminders(today=TODAY) == 0
    reminders = Reminder.objects.filter(kind="supplier_certification_expiry")
    assert sorted(r.recipient_id for r in reminders) == sorted([buyer.pk, world.a.users[Role.COORDINATOR].pk])
    mine = reminders.get(recipient=buyer)
    message = render_certification_reminder(mine)
    assert owned.standard in message.subject and message.url == owned.supplier.get_absolute_url()
    owned.expires_on = TODAY + datetime.timedelta(days=1000)
    owned.save()
    assert render_certification_reminder(mine) is None  # renewed: the old reminder says nothing
