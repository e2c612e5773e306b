"""Qualifying the inbox (one item, several, through the page and the API), and the hand-built
pages of the watch: a site's applicability, an action from a gap, polling a source now."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from compliance import services_watch
from compliance.factories import (
    EvaluationFactory,
    RequirementFactory,
    SourceFactory,
    TextFactory,
    WatchItemFactory,
)
from compliance.models import Applicability, Requirement, Text, WatchItem
from improvement.models import Action
from qse.roles import Role

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def coordinator(as_member):
    return as_member(Role.COORDINATOR)


def _item(side, **extra):
    source = SourceFactory(organization=side.organization, domains=["E"], themes=["eau"])
    return WatchItemFactory(source=source, **extra)


def test_a_relevant_item_creates_a_text_filled_from_it(world, coordinator):
    item = _item(world.a, title="Arrêté du 10 novembre 2026 relatif aux rejets", identifiers={"nor": "TREP2630001A"},
                 published_at=NOW, summary="DCO abaissée.")
    qualified = services_watch.item_qualify(item=item, acting_user=coordinator, decision="new_text", kind="order", now=NOW)
    text = qualified.text
    assert (qualified.status, qualified.qualified_by, qualified.qualified_at) == ("relevant", coordinator, NOW)
    assert (text.kind, text.nor, text.summary, text.published_on, text.domains, text.themes) == (
        "order", "TREP2630001A", "DCO abaissée.", NOW.date(), ["E"], ["eau"])
    assert text.versions.count() == 1


def test_a_relevant_item_can_be_a_new_version_of_a_text_whose_requirements_are_flagged(world, coordinator):
    text = TextFactory(organization=world.a.organization, summary="Ancienne rédaction")
    requirement = RequirementFactory(text=text)
    item = _item(world.a, title="Arrêté modificatif", summary="Nouvelle rédaction")
    qualified = services_watch.item_qualify(item=item, acting_user=coordinator, decision="new_version", text=text, now=NOW)
    assert qualified.text_version.number == 1 + (text.versions.count() - 1)
    assert qualified.text_version.modified_by_reference == "Arrêté modificatif"
    requirement.refresh_from_db()
    assert requirement.needs_reevaluation


def test_not_relevant_needs_a_reason_and_an_item_is_qualified_only_once(world, coordinator):
    item = _item(world.a)
    with pytest.raises(ValidationError):
        services_watch.item_qualify(item=item, acting_user=coordinator, decision="not_relevant", reason=" ", now=NOW)
    services_watch.item_qualify(item=item, acting_user=coordinator, decision="not_relevant", reason="Hors périmètre", now=NOW)
    item.refresh_from_db()
    assert (item.status, item.reason) == ("not_relevant", "Hors périmètre")
    with pytest.raises(ValidationError):
        services_watch.item_qualify(item=item, acting_user=coordinator, decision="new_text", now=NOW)


def test_bulk_qualification_is_all_or_nothing(world, coordinator):
    first, second = _item(world.a), _item(world.a)
    done = _item(world.a, status="not_relevant", reason="déjà vu")
    with pytest.raises(ValidationError):
        services_watch.items_qualify_bulk(items=[first, second, done], acting_user=coordinator, decision="not_relevant",
                                          reason="Agenda", now=NOW)
    assert set(WatchItem.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {"new"}
    assert services_watch.items_qualify_bulk(items=[first, second], acting_user=coordinator, decision="not_relevant",
                                             reason="Agenda", now=NOW) == 2


def test_the_inbox_page_qualifies_ticked_items_and_the_manager_only_reads(client, world):
    items = [_item(world.a, title=f"Actualité {i}") for i in range(3)]
    theirs = _item(world.b)
    client.force_login(world.a.users[Role.MANAGEMENT])
    assert client.get(reverse("compliance:watchitem_list")).status_code == 200
    counts = client.get(reverse("compliance:watchitem_bulk"))
    assert counts.status_code == 200 and 'id="bulk-qualify"' not in counts.content.decode()
    assert client.post(reverse("compliance:watchitem_bulk"), {"items": [items[0].pk], "decision": "not_relevant",
                                                              "reason": "x"}).status_code == 403
    client.force_login(world.user())
    form = client.get(reverse("compliance:watchitem_bulk")).content.decode()
    assert 'id="bulk-qualify"' in form
    response = client.post(reverse("compliance:watchitem_bulk"), {
        "items": [items[0].pk, items[1].pk, theirs.pk], "decision": "not_relevant", "reason": "Agenda"})
    assert response.status_code == 302
    assert list(WatchItem.objects.filter(pk__in=[i.pk for i in items]).order_by("pk").values_list("status", flat=True)) == [
        "new", "new", "new"]  # another organization's item in the lot refuses the lot
    client.post(reverse("compliance:watchitem_bulk"), {
        "items": [items[0].pk, items[1].pk], "decision": "not_relevant", "reason": "Agenda"})
    assert list(WatchItem.objects.filter(pk__in=[i.pk for i in items]).order_by("pk").values_list("status", flat=True)) == [
        "not_relevant", "not_relevant", "new"]


def test_one_item_is_qualified_from_its_page_and_another_organizations_is_a_404(client, world):
    item, theirs = _item(world.a), _item(world.b)
    client.force_login(world.user())
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'id="qualify"' in page
    assert client.post(reverse("compliance:watchitem_qualify", args=[theirs.pk]),
                       {"decision": "not_relevant", "reason": "x"}).status_code == 404
    client.post(reverse("compliance:watchitem_qualify", args=[item.pk]), {"decision": "new_text", "kind": "decree"})
    item.refresh_from_db()
    assert item.status == "relevant" and item.text.kind == "decree"


def test_the_api_qualifies_one_item_and_several(client, world):
    item, more = _item(world.a), [_item(world.a), _item(world.a)]
    client.force_login(world.user())
    response = client.post(f"/api/v1/compliance/inbox/{item.pk}/qualify/", {"decision": "link", "reason": "Guide"},
                           content_type="application/json")
    assert response.status_code == 400 and "text" in response.json()
    text = TextFactory(organization=world.a.organization)
    response = client.post(f"/api/v1/compliance/inbox/{item.pk}/qualify/",
                           {"decision": "link", "text": text.pk, "reason": "Guide"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "relevant"
    response = client.post("/api/v1/compliance/inbox/qualify/", {
        "items": [m.pk for m in more], "decision": "new_text", "kind": "decree"}, content_type="application/json")
    assert response.json() == {"qualified": 2}
    assert Text.objects.filter(organization=world.a.organization).count() == 3


def test_the_site_applicability_page_records_the_suggestions_and_the_api_shows_the_effect_of_a_fact(client, world):
    world.a.site.headcount = 30
    world.a.site.save()
    text = TextFactory(organization=world.a.organization)
    duerp = RequirementFactory(text=text, title="DUERP", conditions=[{"headcount_at_least": 11}])
    cssct = RequirementFactory(text=text, title="CSSCT", conditions=[{"headcount_at_least": 300}])
    url = reverse("compliance:site_applicability", args=[world.a.site.pk])
    client.force_login(world.a.users[Role.MANAGEMENT])
    page = client.get(url).content.decode()
    assert "DUERP" in page and "Record the decisions" not in page and "Enregistrer les décisions" not in page
    client.force_login(world.user())
    assert client.get(reverse("compliance:site_applicability", args=[world.b.site.pk])).status_code == 404
    client.post(url, {"requirement": [duerp.pk, cssct.pk], f"status-{duerp.pk}": "applicable",
                      f"status-{cssct.pk}": "not_applicable", f"justification-{cssct.pk}": "30 salariés"})
    assert dict(Applicability.objects.filter(site=world.a.site).values_list("requirement__title", "status")) == {
        "DUERP": "applicable", "CSSCT": "not_applicable"}
    data = client.get(f"/api/v1/compliance/sites/{world.a.site.pk}/applicability/", {"headcount": 320}).json()
    assert [row["requirement_id"] for row in data["change"]["gained"]] == [cssct.pk]
    assert data["facts"]["headcount"] == 30
    assert client.get(f"/api/v1/compliance/sites/{world.b.site.pk}/applicability/").status_code == 404


def test_an_action_from_a_gap_through_the_page_and_the_api(client, world):
    requirement = RequirementFactory(text=TextFactory(organization=world.a.organization))
    gap = EvaluationFactory(requirement=requirement, site=world.a.site, status="non_compliant")
    theirs = EvaluationFactory(requirement=RequirementFactory(text=TextFactory(organization=world.b.organization)),
                               site=world.b.site, status="non_compliant")
    client.force_login(world.user())
    assert client.get(reverse("compliance:evaluation_action_create", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("compliance:evaluation_action_create", args=[gap.pk]), {
        "title": "Compléter le registre", "owner": world.user().pk, "due_on": "2026-12-31"})
    assert response.status_code == 302
    response = client.post(f"/api/v1/compliance/evaluations/{gap.pk}/actions/", {
        "title": "Former l'équipe", "owner": world.user().pk, "due_on": "2027-01-31"}, content_type="application/json")
    assert response.status_code == 201
    assert sorted(Action.objects.filter(origin_id=gap.pk, origin_kind="compliance").values_list("title", flat=True)) == [
        "Compléter le registre", "Former l'équipe"]
    assert "Compléter le registre" in client.get(gap.get_absolute_url()).content.decode()


def test_poll_now_is_queued_on_commit_for_a_polled_source_only(client, world, django_capture_on_commit_callbacks,
                                                                monkeypatch):
    from compliance import tasks

    queued = []
    monkeypatch.setattr(tasks.source_poll_task, "delay", lambda **kwargs: queued.append(kwargs))
    feed = SourceFactory(organization=world.a.organization)
    manual = SourceFactory(organization=world.a.organization, kind="manual")
    client.force_login(world.a.users[Role.MANAGEMENT])
    assert client.post(reverse("compliance:source_poll", args=[feed.pk])).status_code == 403
    client.force_login(world.user())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("compliance:source_poll", args=[feed.pk]))
        client.post(reverse("compliance:source_poll", args=[manual.pk]))
    assert queued == [{"organization_id": world.a.organization.pk, "source_id": feed.pk}]


def test_the_beat_task_sends_one_poll_per_due_source_of_every_organization(world, django_capture_on_commit_callbacks,
                                                                           monkeypatch):
    from compliance import tasks

    queued = []
    monkeypatch.setattr(tasks.source_poll_task, "delay", lambda **kwargs: queued.append(kwargs))
    due_a = SourceFactory(organization=world.a.organization)
    due_b = SourceFactory(organization=world.b.organization, next_poll_at=timezone.now() - datetime.timedelta(minutes=1))
    SourceFactory(organization=world.a.organization, next_poll_at=timezone.now() + datetime.timedelta(hours=1))
    SourceFactory(organization=world.a.organization, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.watch_poll_due.run() == 2
    assert sorted(q["source_id"] for q in queued) == sorted([due_a.pk, due_b.pk])


def test_requirements_of_a_text_are_listed_on_its_page(client, world):
    text = TextFactory(organization=world.a.organization)
    RequirementFactory(text=text, title="Tenir le registre")
    client.force_login(world.user())
    assert "Tenir le registre" in client.get(text.get_absolute_url()).content.decode()
    assert Requirement.objects.filter(text=text).count() == 1


def test_the_polling_schedule_is_a_beat_row_created_once(db):
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = importlib.import_module("compliance.migrations.0002_watch_poll_schedule")
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)
    task = PeriodicTask.objects.get(name="Poll watch sources")
    assert (task.task, task.interval.every, task.interval.period) == ("compliance.tasks.watch_poll_due", 15, "minutes")
