"""Events refer to a supplier of the register by its key: the migration links the existing
ones by name (once, where the name is that of exactly one supplier of the organization), the
event's form, API and filter offer the organization's suppliers only, the history keeps the
link, and the supplier's page lists its events and counts them."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from audits.factories import SupplierFactory
from nonconformities.choices import EventStatus, EventType, Severity
from nonconformities.factories import EventFactory
from nonconformities.models import Event
from qse.roles import Role

LINK_SQL = importlib.import_module("nonconformities.migrations.0003_auditfix_event_supplier_link").LINK_SQL

FORM = {
    "event_type": EventType.SUPPLIER_NC, "title": "Anodisation hors tolérance", "description": "Épaisseur 9 µm",
    "occurred_at": "2026-11-20T08:30", "detected_on": "2026-11-20", "detection_method": "inspection",
    "severity": Severity.MAJOR, "cost_scrap": "0", "cost_rework": "0", "cost_downtime": "0", "cost_penalties": "0",
    "cost_other": "0", "days_lost": "0",
}


def _link_existing_events() -> None:
    with connection.cursor() as cursor:
        cursor.execute(LINK_SQL)


def test_the_migration_links_an_event_to_the_one_supplier_of_its_organization_carrying_its_name(world):
    a, b = world.a.organization, world.b.organization
    foundry = SupplierFactory(organization=a, name="Fonderie du Gier")
    SupplierFactory(organization=b, name="Anodisation Beta")
    SupplierFactory(organization=a, name="Visserie Rhône")
    SupplierFactory(organization=a, name="visserie rhône ")  # the same name twice: a person must choose
    spelled = EventFactory(organization=a, event_type=EventType.SUPPLIER_NC, third_party="  FONDERIE du gier ")
    internal = EventFactory(organization=a, event_type=EventType.INTERNAL_NC, third_party="Fonderie du Gier")
    complaint = EventFactory(organization=a, event_type=EventType.CUSTOMER_COMPLAINT, third_party="Fonderie du Gier")
    twice = EventFactory(organization=a, event_type=EventType.SUPPLIER_NC, third_party="Visserie Rhône")
    elsewhere = EventFactory(organization=a, event_type=EventType.SUPPLIER_NC, third_party="Anodisation Beta")
    unknown = EventFactory(organization=a, event_type=EventType.SUPPLIER_NC, third_party="Transports Inconnus")
    _link_existing_events()
    linked = dict(Event.objects.filter(organization=a).values_list("pk", "supplier_id"))
    assert linked[spelled.pk] == foundry.pk and linked[internal.pk] == foundry.pk
    # A complaint's party is the customer; a name two suppliers share, another
    # organization's supplier, a name in no register: left unlinked.
    assert [linked[e.pk] for e in (complaint, twice, elsewhere, unknown)] == [None, None, None, None]
    history = apps.get_model("nonconformities", "EventEvent")
    assert history.objects.filter(pgh_obj=spelled, supplier=foundry).exists()  # the history keeps the link


def test_the_event_form_offers_the_organizations_suppliers_and_saves_the_link(client, world):
    ours = SupplierFactory(organization=world.a.organization, name="Rhône Traitements de Surface")
    theirs = SupplierFactory(organization=world.b.organization, name="Traitements Beta")
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    page = client.get(reverse("nonconformities:event_add")).content.decode()
    assert 'name="supplier"' in page and "Rhône Traitements de Surface" in page and "Traitements Beta" not in page
    refused = client.post(reverse("nonconformities:event_add"), {**FORM, "supplier": theirs.pk})
    assert refused.status_code == 400 and not Event.objects.filter(title=FORM["title"]).exists()
    assert '<div class="field invalid" data-field-group="third_party">' in refused.content.decode()  # on the field
    assert client.post(reverse("nonconformities:event_add"), {**FORM, "supplier": ours.pk}).status_code == 302
    event = Event.objects.get(title=FORM["title"])
    assert event.supplier == ours
    detail = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{ours.get_absolute_url()}"' in detail


def test_past_the_inline_limit_the_supplier_is_searched_not_listed(client, world, settings):
    settings.QSE_CHOICES_INLINE = 3
    for index in range(5):
        SupplierFactory(organization=world.a.organization, name=f"Sous-traitant {index}")
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    page = client.get(reverse("nonconformities:event_add")).content.decode()
    assert 'data-search-for="id_supplier"' in page and "Sous-traitant 4" not in page
    found = client.get(reverse("qse:choices", args=["audits.supplier"]), {"q": "traitant 4"}).json()
    assert [row["label"] for row in found["results"]] == ["Sous-traitant 4"]


def test_the_api_links_an_event_to_a_supplier_of_the_organization_only(client, world):
    ours = SupplierFactory(organization=world.a.organization, name="Métaux Alpes Distribution")
    theirs = SupplierFactory(organization=world.b.organization, name="Métaux Beta")
    client.force_login(world.a.users[Role.CONTRIBUTOR])
    refused = client.post("/api/v1/nonconformities/events/", {**FORM, "supplier": theirs.pk},
                          content_type="application/json")
    assert refused.status_code == 400 and "supplier" in refused.json()
    created = client.post("/api/v1/nonconformities/events/", {**FORM, "supplier": ours.pk},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["supplier"] == ours.pk
    EventFactory(organization=world.a.organization, title="Sans fournisseur")
    client.force_login(world.user())
    listed = client.get("/api/v1/nonconformities/events/", {"supplier": ours.pk}).json()["results"]
    assert [row["title"] for row in listed] == [FORM["title"]]
    page = client.get(reverse("nonconformities:event_list"), {"supplier": ours.pk}).content.decode()
    assert FORM["title"] in page and "Sans fournisseur" not in page


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUDITOR, Role.COORDINATOR])
def test_the_supplier_page_lists_the_events_linked_to_it_whatever_their_wording(client, world, role):
    supplier = SupplierFactory(organization=world.a.organization, name="Fonderie du Gier")
    other = SupplierFactory(organization=world.a.organization, name="Visserie Rhône")
    EventFactory(organization=world.a.organization, supplier=supplier, third_party="Fonderie Gier (site 2)",
                 event_type=EventType.SUPPLIER_NC, title="Porosités carter")
    EventFactory(organization=world.a.organization, supplier=other, third_party="Fonderie du Gier",
                 event_type=EventType.SUPPLIER_NC, title="Vis mal trempées")
    EventFactory(organization=world.a.organization, supplier=supplier, status=EventStatus.REJECTED,
                 event_type=EventType.SUPPLIER_NC, title="Doublon rejeté")
    client.force_login(world.a.users[role])
    page = client.get(supplier.get_absolute_url()).content.decode()
    events = page.split('id="events"')[1].split("</section>")[0]
    assert "Porosités carter" in events and "Vis mal trempées" not in events and "Doublon rejeté" not in events
    assert '<span data-testid="ncs">1</span>' in page
    assert f"{reverse('nonconformities:event_add')}?event_type=supplier_nc&amp;supplier={supplier.pk}" in events
    recorded = client.get(f"{reverse('nonconformities:event_add')}?event_type=supplier_nc&supplier={supplier.pk}")
    assert f'<option value="{supplier.pk}" selected>' in recorded.content.decode()


def test_a_supplier_with_events_cannot_be_deleted_from_under_them(world):
    from django.db.models import ProtectedError

    supplier = SupplierFactory(organization=world.a.organization)
    EventFactory(organization=world.a.organization, supplier=supplier)
    with pytest.raises(ProtectedError):
        supplier.delete()
    assert Event.objects.filter(supplier=supplier).count() == 1  # the event and its link are kept
