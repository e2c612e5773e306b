"""The ranking for purchasing on a hand-built register: eight suppliers whose scores, figures
and order are worked out by hand below (ties broken by « critical first », then the name; the
unrated last), read through the selector, its pages and the API; and the ranking's SQL reads
each source table once, whatever the number of suppliers (it was 120 correlated subplans that
PostgreSQL's JIT took 31 s to compile at 600 suppliers)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits.choices import AuditKind
from audits.factories import AuditAnswerFactory, AuditFactory, AuditQuestionFactory, SupplierFactory
from audits.factories_banks import SupplierCertificationFactory, SupplierFigureFactory
from audits.selectors_suppliers import supplier_ranking
from nonconformities.choices import EventStatus, EventType
from nonconformities.factories import EventFactory
from qse.roles import Role

ARCHIVED = datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)

# name -> (score, rating, audit score, on time %, rejected lots %, ppm, NCs), by hand below.
EXPECTED = {
    # 4 of 4 lots on time, 0 of 400 parts rejected: 100 and 100, no audit -> 100.
    "Zingage Ouest": (100, "A", None, 100, 0, 0, 0),
    # 10 of 10 lots, 0 of 1,000 parts -> 100 (two months: 6 + 4 lots, 600 + 400 parts).
    "Atelier Delta": (100, "A", None, 100, 0, 0, 0),
    "Cartonnerie Est": (100, "A", None, 100, 0, 0, 0),
    # Last audit (100 + 75) / 2 = 87.5; 9 of 10 lots on time = 90 %; 0 ppm -> quality 100.
    # 0.4 x 87.5 + 0.3 x 90 + 0.3 x 100 = 35 + 27 + 30 = 92.
    "Aciérie Alpha": (92, "A", 87.5, 90, 0, 0, 0),
    # Audit (40 + 40 + 0 + 100) / 4 = 45; 5 of 10 lots = 50 %; 5 of 1,000 parts = 5,000 ppm
    # -> quality 100 - 50 = 50; 0.4 x 45 + 0.3 x 50 + 0.3 x 50 = 48; four NCs cost at most 30 -> 18.
    "Emboutissage Sud": (18, "C", 45, 50, 10, 5000, 4),
    # No lot delivered (no delivery part); 50 of 100 parts = 500,000 ppm -> quality 0;
    # 0 / 0.3 = 0, minus 10 for its NC, floored at 0 -> 0, class C (rated, not unrated).
    "Fonderie Ouest": (0, "C", None, None, None, 500_000, 1),
    # No figures, no audit with an answer that counts: unrated, the critical one first.
    "Gravure Nouvelle": (None, "", None, None, None, None, 0),
    "Abrasifs Neufs": (None, "", None, None, None, None, 0),
}
ORDER = list(EXPECTED)


def _month(today, months_back):
    """The first day of the month ``months_back`` months before ``today``'s."""
    index = today.year * 12 + today.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _audit(supplier, on, results, **extra):
    audit = AuditFactory(organization=supplier.organization, kind=extra.pop("kind", AuditKind.SUPPLIER),
                         supplier=supplier, planned_start=on, **extra)
    for result in results:
        AuditAnswerFactory(question=AuditQuestionFactory(audit=audit), result=result)
    return audit


def _figures(supplier, period, lots, on_time, rejected_lots, parts, rejected_parts, **extra):
    return SupplierFigureFactory(supplier=supplier, period=period, lots_delivered=lots, lots_on_time=on_time,
                                 lots_rejected=rejected_lots, quantity_received=parts,
                                 quantity_rejected=rejected_parts, **extra)


def _nc(supplier, detected_on, **extra):
    return EventFactory(organization=supplier.organization, supplier=supplier, third_party=supplier.name,
                        detected_on=detected_on, event_type=EventType.SUPPLIER_NC, **extra)


def build_register(world, today):
    """The eight suppliers of ``EXPECTED`` (organization A), with what must not count: figures,
    audits and NCs before the window or archived, an internal audit, an audit not yet held,
    an audit whose answers all say « not applicable », an archived supplier, organization B's."""
    organization = world.a.organization
    recent, older = _month(today, 1), _month(today, 3)
    before_window = _month(today, 13)
    zinc = SupplierFactory(organization=organization, name="Zingage Ouest", critical=True)
    _figures(zinc, recent, 4, 4, 0, 400, 0)
    delta = SupplierFactory(organization=organization, name="Atelier Delta")
    _figures(delta, recent, 6, 6, 0, 600, 0)
    _figures(delta, older, 4, 4, 0, 400, 0)
    _figures(delta, before_window, 10, 0, 10, 100, 100)  # before the window
    _figures(delta, _month(today, 2), 10, 0, 10, 100, 100, archived_at=ARCHIVED)
    carton = SupplierFactory(organization=organization, name="Cartonnerie Est")
    _figures(carton, older, 10, 10, 0, 1_000, 0)
    _nc(carton, today - datetime.timedelta(days=3), status=EventStatus.REJECTED)
    _nc(carton, today - datetime.timedelta(days=3), archived_at=ARCHIVED)
    _nc(carton, today - datetime.timedelta(days=400))  # before the window
    alpha = SupplierFactory(organization=organization, name="Aciérie Alpha")
    _figures(alpha, recent, 10, 9, 0, 2_000, 0)
    _audit(alpha, today - datetime.timedelta(days=200), ["major_nc", "major_nc"])  # an older one
    _audit(alpha, today - datetime.timedelta(days=100), ["conforming", "observation", "not_applicable", ""])
    _audit(alpha, today - datetime.timedelta(days=50), ["not_applicable", ""])  # nothing that counts
    _audit(alpha, today - datetime.timedelta(days=40), ["major_nc"], kind=AuditKind.PROCESS)
    _audit(alpha, today - datetime.timedelta(days=30), ["major_nc"], archived_at=ARCHIVED)
    _audit(alpha, today + datetime.timedelta(days=10), ["major_nc"])  # not yet held
    SupplierCertificationFactory(supplier=alpha, expires_on=today + datetime.timedelta(days=200))
    SupplierCertificationFactory(supplier=alpha, expires_on=today + datetime.timedelta(days=20))
    SupplierCertificationFactory(supplier=alpha, expires_on=today + datetime.timedelta(days=5), archived_at=ARCHIVED)
    stamping = SupplierFactory(organization=organization, name="Emboutissage Sud")
    _figures(stamping, older, 10, 5, 1, 1_000, 5)
    _audit(stamping, today - datetime.timedelta(days=60), ["minor_nc", "minor_nc", "major_nc", "conforming"])
    for days in (1, 20, 90, 300):
        _nc(stamping, today - datetime.timedelta(days=days))
    foundry = SupplierFactory(organization=organization, name="Fonderie Ouest")
    _figures(foundry, recent, 0, 0, 0, 100, 50)
    _nc(foundry, today - datetime.timedelta(days=10))
    SupplierFactory(organization=organization, name="Gravure Nouvelle", critical=True)
    abrasives = SupplierFactory(organization=organization, name="Abrasifs Neufs")
    _audit(abrasives, today - datetime.timedelta(days=15), ["not_applicable", ""])
    old = SupplierFactory(organization=organization, name="Ancien Fournisseur", archived_at=ARCHIVED)
    _figures(old, recent, 10, 10, 0, 1_000, 0)
    beta = SupplierFactory(organization=world.b.organization, name="Beta Fournisseur")
    _figures(beta, recent, 10, 10, 0, 1_000, 0)
    return {"alpha": alpha}


def _figures_of(row):
    rounded = [None if value is None else round(value, 6) for value in
               (row.score, row.audit_score, row.on_time_rate, row.rejected_lot_rate, row.ppm)]
    return (rounded[0], row.rating, *rounded[1:], row.nc_count)


def test_the_ranking_orders_and_scores_a_hand_built_register_as_worked_out_by_hand(world, as_member):
    today = timezone.localdate()
    made = build_register(world, today)
    user = as_member(Role.COORDINATOR)
    rows = list(supplier_ranking(user=user, today=today))
    assert [row.name for row in rows] == ORDER
    assert {row.name: _figures_of(row) for row in rows} == EXPECTED
    expiry = {row.name: row.next_expiry for row in rows}
    assert expiry["Aciérie Alpha"] == today + datetime.timedelta(days=20)  # the archived one left out
    assert expiry["Zingage Ouest"] is None
    assert next(row for row in rows if row.name == "Aciérie Alpha").pk == made["alpha"].pk


def test_the_ranking_pages_in_order_and_counts_every_supplier(world, as_member):
    today = timezone.localdate()
    build_register(world, today)
    user = as_member(Role.COORDINATOR)
    ranking = supplier_ranking(user=user, today=today)
    assert len(ranking) == 8
    assert [row.name for row in ranking[2:5]] == ORDER[2:5]
    assert [row.name for row in ranking[6:25]] == ORDER[6:]


def test_the_api_pages_the_ranking_with_its_figures(client, world):
    build_register(world, timezone.localdate())
    client.force_login(world.a.users[Role.PROCESS_OWNER])
    first = client.get("/api/v1/audits/supplier-ranking/", {"limit": 3}).json()
    assert first["count"] == 8 and [row["name"] for row in first["results"]] == ORDER[:3]
    rest = client.get("/api/v1/audits/supplier-ranking/", {"limit": 3, "offset": 3}).json()
    assert [row["name"] for row in rest["results"]] == ORDER[3:6]
    stamping = rest["results"][1]
    assert (stamping["score"], stamping["rating"], stamping["audit_score"], stamping["on_time_rate"],
            stamping["rejected_lot_rate"], stamping["ppm"], stamping["nc_count"]) == (18, "C", 45, 50, 10, 5000, 4)
    assert rest["results"][0]["next_expiry"] == (timezone.localdate() + datetime.timedelta(days=20)).isoformat()


def test_the_ranking_page_shows_the_order_classes_and_figures(client, world):
    build_register(world, timezone.localdate())
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    page = client.get("/audits/suppliers/ranking/")
    assert page.status_code == 200
    text = page.content.decode()
    positions = [text.index(name) for name in ORDER]
    assert positions == sorted(positions)
    assert "Ancien Fournisseur" not in text and "Beta Fournisseur" not in text
    assert '92 <span class="tag" title=' in text and '18 <span class="tag late" title=' in text


def _reading(queries, table):
    return [query["sql"] for query in queries.captured_queries if table in query["sql"]]


def test_the_ranking_page_is_one_statement_reading_each_source_table_at_most_twice(client, world):
    build_register(world, timezone.localdate())
    client.force_login(world.a.users[Role.COORDINATOR])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/audits/suppliers/ranking/").status_code == 200
    # The figures, NCs and certifications aggregated once; the answers read twice (does the
    # audit have an answer that counts, then their mean for the last audit only).
    for table, times in (("audits_supplierfigure", 1), ("nonconformities_event", 1),
                         ("audits_suppliercertification", 1), ("audits_auditanswer", 2)):
        reading = _reading(queries, table)
        assert len(reading) == 1, table
        assert reading[0].count(table) == times, table
